// Fuzz target: the compressed wrappers (.gz, .zst), detected by magic bytes.
//
// Input: one control byte, then a payload. The control byte decides what
// the reader is given, so the decompressors see both kinds of hostile input:
//   bits 0-2  0, 5-7: the payload as is (libFuzzer finds the magic bytes
//                      itself; seeds are real .gz/.zst files: corrupt streams)
//             1: the payload gzip-compressed   2: zstd-compressed
//                (valid streams whose content is hostile)
//             3: gzip, then cut short  4: zstd, then cut short
//                (truncated streams at every position)
//   bits 3-4  the name hint: .trace, .jsonl, .json, .trace.gz
// The cut removes 1 + (payload's first byte) bytes from the end.

#include <zlib.h>
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"

namespace {

std::string gzip(const std::string& payload) {
    z_stream stream{};
    // 15 window bits + 16 asks zlib for a gzip header instead of a zlib one.
    FUZZ_CHECK(deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&stream, payload.size()) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
    stream.avail_in = static_cast<uInt>(payload.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    FUZZ_CHECK(deflate(&stream, Z_FINISH) == Z_STREAM_END);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::string zstd(const std::string& payload) {
    std::string out(ZSTD_compressBound(payload.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), payload.data(), payload.size(), 1);
    FUZZ_CHECK(!ZSTD_isError(n));
    out.resize(n);
    return out;
}

std::string cut_short(std::string stream, const std::string& payload) {
    const std::size_t cut = 1 + (payload.empty() ? 0 : static_cast<unsigned char>(payload[0]));
    stream.resize(stream.size() > cut ? stream.size() - cut : 0);
    return stream;
}

std::string wrapped(unsigned mode, const std::string& payload) {
    switch (mode) {
        case 1: return gzip(payload);
        case 2: return zstd(payload);
        case 3: return cut_short(gzip(payload), payload);
        case 4: return cut_short(zstd(payload), payload);
        default: return payload;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kNames[] = {"fuzz.trace", "fuzz.jsonl", "fuzz.json", "fuzz.trace.gz"};
    const unsigned control = data[0];
    const std::string payload(reinterpret_cast<const char*>(data) + 1, size - 1);
    heapsim::fuzz::read_checked(wrapped(control & 7u, payload), kNames[(control >> 3) & 3u]);
    return 0;
}

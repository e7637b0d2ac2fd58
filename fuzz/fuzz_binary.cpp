// Fuzz target: the binary form (*.htb, trace_formats/htb_format.h), read
// through read_trace_buffer as a user's "x.htb" would be.
//
// Input: one control byte, then the file.
//   bit 0 clear: every block's crc32 is recomputed first, so mutations of
//                the payload reach the event decoder instead of stopping at
//                the checksum (almost every mutation would break it);
//   bit 0 set:   the file as is (checksums, truncation, the header).

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "trace_formats/htb_format.h"

namespace {

std::uint32_t get_u32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

void put_u32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

/// Walks the blocks as the reader would and writes each one's checksum:
/// crc32 of the block header's first 9 bytes, then of the payload.
void fix_checksums(std::string& file) {
    std::size_t at = heapsim::htb::kHeaderSize;
    while (at + heapsim::htb::kBlockHeaderSize <= file.size()) {
        const std::size_t payload = at + heapsim::htb::kBlockHeaderSize;
        const std::size_t length = get_u32(file, at + 1);
        if (length > file.size() - payload) return;  // truncated: nothing to sign
        uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(file.data() + at), 9);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(file.data() + payload), static_cast<uInt>(length));
        put_u32(file, at + 9, static_cast<std::uint32_t>(crc));
        at = payload + length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1u) == 0) fix_checksums(file);
    heapsim::fuzz::read_checked(file, "fuzz.htb");
    return 0;
}

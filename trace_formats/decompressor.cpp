#include "trace_formats/decompressor.h"

#include <zlib.h>
#include <zstd.h>

#include <vector>

namespace heapsim {
namespace {

/// The compressed input, read one chunk at a time.
struct CompressedChunks {
    RawInput& input;
    std::vector<char> buffer = std::vector<char>(Decompressor::kChunk);
    bool ended = false;

    /// Reads the next chunk into `buffer`: its size (0 at the end of the
    /// input), or -1 with `error` set.
    std::ptrdiff_t next(std::string& error) {
        const std::ptrdiff_t n = input.read(buffer.data(), buffer.size());
        if (n < 0) error = input.error();
        if (n == 0) ended = true;
        return n;
    }
};

class GzipDecompressor final : public Decompressor {
  public:
    explicit GzipDecompressor(RawInput& input) : chunks_{input} {
        // 16 + MAX_WBITS: expect a gzip header and trailer, not raw zlib.
        if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {
            error_ = "cannot start gzip decoding: out of memory";
        } else {
            initialised_ = true;
        }
    }
    ~GzipDecompressor() override {
        if (initialised_) inflateEnd(&stream_);
    }

    std::size_t read(char* out, std::size_t capacity) override {
        if (done_ || !error_.empty()) return 0;
        stream_.next_out = reinterpret_cast<Bytef*>(out);
        stream_.avail_out = static_cast<uInt>(capacity);
        while (stream_.avail_out == capacity && !done_ && error_.empty()) step();
        return capacity - stream_.avail_out;
    }

  private:
    // One inflate call, refilling the input first when it ran dry.
    void step() {
        if (stream_.avail_in == 0 && !chunks_.ended && !refill()) return;
        if (stream_.avail_in == 0 && chunks_.ended && !in_member_) {
            done_ = true;  // every member ended cleanly
            return;
        }
        const int rc = inflate(&stream_, Z_NO_FLUSH);
        if (rc == Z_OK) {
            in_member_ = true;
        } else if (rc == Z_STREAM_END) {
            // A member ended; another may follow (concatenated .gz files).
            in_member_ = false;
            inflateReset(&stream_);
        } else if (rc == Z_BUF_ERROR) {
            // No progress possible: fine if more input is coming, else the
            // stream stopped in the middle of a member.
            if (stream_.avail_in == 0 && chunks_.ended) error_ = "truncated gzip stream";
        } else {
            error_ = std::string("corrupt gzip data: ") +
                     (stream_.msg != nullptr ? stream_.msg : "inflate failed");
        }
    }

    bool refill() {
        const std::ptrdiff_t n = chunks_.next(error_);
        if (n < 0) return false;
        stream_.next_in = reinterpret_cast<Bytef*>(chunks_.buffer.data());
        stream_.avail_in = static_cast<uInt>(n);
        return true;
    }

    CompressedChunks chunks_;
    z_stream stream_{};
    bool initialised_ = false;
    bool in_member_ = false;
    bool done_ = false;
};

class ZstdDecompressor final : public Decompressor {
  public:
    explicit ZstdDecompressor(RawInput& input)
        : chunks_{input}, stream_(ZSTD_createDStream()) {
        if (stream_ == nullptr) error_ = "cannot start zstd decoding: out of memory";
    }
    ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }

    std::size_t read(char* out, std::size_t capacity) override {
        if (done_ || !error_.empty()) return 0;
        ZSTD_outBuffer output{out, capacity, 0};
        while (output.pos == 0 && !done_ && error_.empty()) step(output);
        return output.pos;
    }

  private:
    // One ZSTD_decompressStream call, refilling the input first when it ran
    // dry. With no input left it is still called, to flush what the decoder
    // holds back when the previous output buffer was full.
    void step(ZSTD_outBuffer& output) {
        if (in_.pos == in_.size && !chunks_.ended && !refill()) return;
        const bool no_input = in_.pos == in_.size;
        if (no_input && chunks_.ended && pending_ == 0) {
            done_ = true;  // every frame ended and was flushed
            return;
        }
        const std::size_t produced_before = output.pos;
        const std::size_t rc = ZSTD_decompressStream(stream_, &output, &in_);
        if (ZSTD_isError(rc)) {
            error_ = std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc);
            return;
        }
        pending_ = rc;  // 0 = frame complete and flushed
        if (no_input && chunks_.ended && output.pos == produced_before && pending_ != 0) {
            error_ = "truncated zstd stream";
        }
    }

    bool refill() {
        const std::ptrdiff_t n = chunks_.next(error_);
        if (n < 0) return false;
        in_ = ZSTD_inBuffer{chunks_.buffer.data(), static_cast<std::size_t>(n), 0};
        return true;
    }

    CompressedChunks chunks_;
    ZSTD_DStream* stream_;
    ZSTD_inBuffer in_{nullptr, 0, 0};
    std::size_t pending_ = 1;  // nothing decoded yet: a frame is expected
    bool done_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> make_gzip_decompressor(RawInput& input) {
    return std::make_unique<GzipDecompressor>(input);
}

std::unique_ptr<Decompressor> make_zstd_decompressor(RawInput& input) {
    return std::make_unique<ZstdDecompressor>(input);
}

}  // namespace heapsim

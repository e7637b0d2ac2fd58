#include "trace_formats/compressed_output.h"

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>

namespace heapsim {

// Turns input chunks into compressed bytes on `sink`.
class CompressingStreambuf::Encoder {
  public:
    explicit Encoder(std::ostream& sink) : sink_(sink), out_(kOutChunk) {}
    virtual ~Encoder() = default;
    virtual bool write(const char* data, std::size_t size) = 0;
    virtual bool end() = 0;

  protected:
    bool emit(std::size_t size) {
        sink_.write(out_.data(), static_cast<std::streamsize>(size));
        return static_cast<bool>(sink_);
    }
    static constexpr std::size_t kOutChunk = 128 * 1024;
    std::ostream& sink_;
    std::vector<char> out_;
};

namespace {

class GzipEncoder final : public CompressingStreambuf::Encoder {
  public:
    explicit GzipEncoder(std::ostream& sink) : Encoder(sink) {
        // 16 + MAX_WBITS: a gzip wrapper, as `gzip -d` and our reader expect.
        if (deflateInit2(&zs_, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            throw std::runtime_error("gzip: cannot initialise the compressor");
        }
    }
    ~GzipEncoder() override { deflateEnd(&zs_); }
    bool write(const char* data, std::size_t size) override { return run(data, size, Z_NO_FLUSH); }
    bool end() override { return run(nullptr, 0, Z_FINISH); }

  private:
    bool run(const char* data, std::size_t size, int flush) {
        zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        zs_.avail_in = static_cast<uInt>(size);
        while (true) {
            zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
            zs_.avail_out = static_cast<uInt>(out_.size());
            const int rc = deflate(&zs_, flush);
            if (rc == Z_STREAM_ERROR) return false;
            if (!emit(out_.size() - zs_.avail_out)) return false;
            if (flush == Z_FINISH ? rc == Z_STREAM_END : zs_.avail_in == 0 && zs_.avail_out != 0) {
                return true;
            }
        }
    }
    z_stream zs_{};
};

class ZstdEncoder final : public CompressingStreambuf::Encoder {
  public:
    explicit ZstdEncoder(std::ostream& sink) : Encoder(sink), cctx_(ZSTD_createCCtx()) {
        if (cctx_ == nullptr) throw std::runtime_error("zstd: cannot create a compression context");
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
    }
    ~ZstdEncoder() override { ZSTD_freeCCtx(cctx_); }
    bool write(const char* data, std::size_t size) override {
        return run(data, size, ZSTD_e_continue);
    }
    bool end() override { return run(nullptr, 0, ZSTD_e_end); }

  private:
    bool run(const char* data, std::size_t size, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in{data, size, 0};
        while (true) {
            ZSTD_outBuffer out{out_.data(), out_.size(), 0};
            const std::size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
            if (ZSTD_isError(left)) return false;
            if (!emit(out.pos)) return false;
            // continue: done once the input is consumed; end: once flushed.
            if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) return true;
        }
    }
    ZSTD_CCtx* cctx_;
};

constexpr std::size_t kInChunk = 128 * 1024;

}  // namespace

CompressingStreambuf::CompressingStreambuf(Compression compression, std::ostream& sink)
    : buffer_(kInChunk) {
    if (compression == Compression::Gzip) {
        encoder_ = std::make_unique<GzipEncoder>(sink);
    } else {
        encoder_ = std::make_unique<ZstdEncoder>(sink);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

CompressingStreambuf::~CompressingStreambuf() = default;

bool CompressingStreambuf::drain() {
    const auto size = static_cast<std::size_t>(pptr() - pbase());
    if (size > 0 && !failed_) failed_ = !encoder_->write(pbase(), size);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return !failed_;
}

CompressingStreambuf::int_type CompressingStreambuf::overflow(int_type ch) {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(ch);
        pbump(1);
    }
    return traits_type::not_eof(ch);
}

int CompressingStreambuf::sync() {
    return drain() ? 0 : -1;
}

bool CompressingStreambuf::finish() {
    if (!drain()) return false;
    failed_ = !encoder_->end();
    return !failed_;
}

}  // namespace heapsim

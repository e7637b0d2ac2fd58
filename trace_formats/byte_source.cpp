#include "trace_formats/byte_source.h"

#include <algorithm>
#include <cstring>

namespace heapsim {
namespace {

constexpr std::string_view kGzipMagic("\x1f\x8b", 2);
constexpr std::string_view kZstdMagic("\x28\xb5\x2f\xfd", 4);

}  // namespace

ByteSource ByteSource::open(const std::string& path) {
    return ByteSource(RawInput::open(path));
}

ByteSource ByteSource::over(std::string_view bytes) {
    return ByteSource(RawInput::over(bytes));
}

ByteSource::ByteSource(RawInput raw) : raw_(std::make_unique<RawInput>(std::move(raw))) {
    detect_compression();
}

ByteSource::ByteSource(ByteSource&&) noexcept = default;
ByteSource::~ByteSource() = default;

void ByteSource::detect_compression() {
    const std::string_view head = raw_->peek_head(kZstdMagic.size());
    if (!raw_->error().empty()) return fail(raw_->error());
    if (head.starts_with(kGzipMagic)) {
        compression_ = Compression::Gzip;
        decoder_ = make_gzip_decompressor(*raw_);
    } else if (head.starts_with(kZstdMagic)) {
        compression_ = Compression::Zstd;
        decoder_ = make_zstd_decompressor(*raw_);
    }
    if (decoder_ && !decoder_->error().empty()) fail(decoder_->error());
}

void ByteSource::fail(const std::string& message) {
    if (error_) return;  // the first failure is the one to report
    error_ = Diagnostic{ErrorKind::Io, 0, 0, message, true};
}

std::size_t ByteSource::read_decoded(char* out, std::size_t capacity) {
    if (error_ || capacity == 0) return 0;
    if (decoder_) {
        const std::size_t n = decoder_->read(out, capacity);
        if (n == 0 && !decoder_->error().empty()) fail(decoder_->error());
        return n;
    }
    const std::ptrdiff_t n = raw_->read(out, capacity);
    if (n < 0) {
        fail(raw_->error());
        return 0;
    }
    return static_cast<std::size_t>(n);
}

std::size_t ByteSource::read(char* out, std::size_t capacity) {
    if (lookahead_pos_ < lookahead_.size()) {
        const std::size_t n = std::min(capacity, lookahead_.size() - lookahead_pos_);
        std::memcpy(out, lookahead_.data() + lookahead_pos_, n);
        lookahead_pos_ += n;
        if (lookahead_pos_ == lookahead_.size()) {
            lookahead_.clear();
            lookahead_pos_ = 0;
        }
        return n;
    }
    return read_decoded(out, capacity);
}

std::string_view ByteSource::peek(std::size_t n) {
    n = std::min(n, kMaxPeek);
    // Drop what was consumed, then top the lookahead up to n bytes.
    lookahead_.erase(0, lookahead_pos_);
    lookahead_pos_ = 0;
    while (lookahead_.size() < n) {
        const std::size_t have = lookahead_.size();
        lookahead_.resize(n);
        const std::size_t got = read_decoded(lookahead_.data() + have, n - have);
        lookahead_.resize(have + got);
        if (got == 0) break;
    }
    return std::string_view(lookahead_).substr(0, n);
}

}  // namespace heapsim

#pragma once
// Splits a ByteSource into lines for the line-oriented encodings (text and
// JSON Lines) without copying them: a line is a view into one fixed buffer,
// valid until the next call. A line longer than kMaxLine is reported as too
// long and skipped chunk by chunk, so even a 100 MB line needs no more
// memory than the buffer.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "trace_formats/byte_masks.h"
#include "trace_formats/byte_source.h"

namespace heapsim {

struct Line {
    std::string_view text;     // without "\n" or "\r\n"; a too-long line's first kMaxLine bytes
    std::uint64_t number = 0;  // 1-based physical line
    bool too_long = false;
    bool unterminated = false;  // the input ended inside this line: no newline after it
    bool padded = false;        // kLinePadding bytes after text are readable (byte_masks.h)
};

class LineReader {
  public:
    explicit LineReader(ByteSource& source);

    /// The next line into `line`; false at the end of the input or when the
    /// source failed (see ByteSource::error()).
    bool next(Line& line) {
        // The common case inline: a whole line already in the buffer.
        if (!skipping_) {
            const char* const start = buffer_.get() + begin_;
            const std::size_t avail = end_ - begin_;
            const std::size_t length = newline_in(start, avail);
            if (length < avail && length <= kMaxLine) {
                line = Line{take(length, length + 1), ++line_number_, false, false, true};
                return true;
            }
        }
        return next_slow(line);
    }

    /// The buffered bytes not yet taken (`avail` of them, kLinePadding
    /// readable after them; 0 while a too-long line is being skipped), for
    /// a parser that finds a line's newline itself while classifying it
    /// (TextLineParser::parse_buffered); take_line() then consumes it.
    const char* peek(std::size_t& avail) const {
        avail = skipping_ ? 0 : end_ - begin_;
        return buffer_.get() + begin_;
    }
    /// The number the next line will have.
    std::uint64_t next_number() const { return line_number_ + 1; }
    /// Consumes a line of `length` bytes and its newline, found in peek().
    void take_line(std::size_t length) {
        begin_ += length + 1;
        ++line_number_;
    }

    static constexpr std::size_t kMaxLine = 1024 * 1024;
    static constexpr std::size_t kChunk = 256 * 1024;
    static constexpr std::size_t kBufferSize = kMaxLine + kChunk;

  private:
    bool next_slow(Line& line);
    bool fill();
    void skip_rest_of_line();
    std::string_view take(std::size_t length, std::size_t consumed) {
        std::string_view text(buffer_.get() + begin_, length);
        begin_ += consumed;
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        return text;
    }
    // The offset of the first '\n' in the `avail` bytes at p, or avail.
    // 16 bytes at a time: lines are short, and the buffer's padding makes
    // the last block readable.
    static std::size_t newline_in(const char* p, std::size_t avail) {
#if defined(__SSE2__)
        const __m128i newline = _mm_set1_epi8('\n');
        for (std::size_t at = 0; at < avail; at += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
            const unsigned hits =
                static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, newline)));
            if (hits != 0) {
                const std::size_t found = at + static_cast<std::size_t>(std::countr_zero(hits));
                return found < avail ? found : avail;
            }
            if (at >= kMaxLine) return avail;  // too long: next_slow reports it
        }
        return avail;
#else
        const void* nl = std::memchr(p, '\n', avail);
        return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) : avail;
#endif
    }

    ByteSource& source_;
    // kBufferSize + kLinePadding: a longest line plus one read, and the
    // padding the fast paths may read past a line. Not zero-filled: a
    // reader of a short trace would otherwise spend most of its time
    // clearing it (fill() clears the padding after the data instead).
    std::unique_ptr<char[]> buffer_;
    std::size_t begin_ = 0;  // first unconsumed byte
    std::size_t end_ = 0;    // end of the buffered bytes
    std::uint64_t line_number_ = 0;
    bool at_end_ = false;
    bool skipping_ = false;  // the previous line was too long: drop to its newline
};

}  // namespace heapsim

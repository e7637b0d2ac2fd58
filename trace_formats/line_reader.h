#pragma once
// Splits a ByteSource into lines for the line-oriented encodings (text and
// JSON Lines) without copying them: a line is a view into one fixed buffer,
// valid until the next call. A line longer than kMaxLine is reported as too
// long and skipped chunk by chunk, so even a 100 MB line needs no more
// memory than the buffer.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "trace_formats/byte_source.h"

namespace heapsim {

struct Line {
    std::string_view text;     // without "\n" or "\r\n"; a too-long line's first kMaxLine bytes
    std::uint64_t number = 0;  // 1-based physical line
    bool too_long = false;
    bool unterminated = false;  // the input ended inside this line: no newline after it
};

class LineReader {
  public:
    explicit LineReader(ByteSource& source);

    /// The next line into `line`; false at the end of the input or when the
    /// source failed (see ByteSource::error()).
    bool next(Line& line);

    static constexpr std::size_t kMaxLine = 1024 * 1024;
    static constexpr std::size_t kChunk = 256 * 1024;
    static constexpr std::size_t kBufferSize = kMaxLine + kChunk;

  private:
    bool fill();
    void skip_rest_of_line();
    std::string_view take(std::size_t length, std::size_t consumed);

    ByteSource& source_;
    // kBufferSize: a longest line plus one read. Not zero-filled: a reader
    // of a short trace would otherwise spend most of its time clearing it.
    std::unique_ptr<char[]> buffer_;
    std::size_t begin_ = 0;     // first unconsumed byte
    std::size_t end_ = 0;       // end of the buffered bytes
    std::uint64_t line_number_ = 0;
    bool at_end_ = false;
    bool skipping_ = false;  // the previous line was too long: drop to its newline
};

}  // namespace heapsim

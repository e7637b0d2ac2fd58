#include "trace_formats/line_reader.h"

#include <algorithm>
#include <cstring>

namespace heapsim {

LineReader::LineReader(ByteSource& source)
    : source_(source),
      buffer_(std::make_unique_for_overwrite<char[]>(kBufferSize + kLinePadding)) {}

// Moves the unconsumed tail to the front and appends one chunk; false when
// nothing more came (end of input or failure).
bool LineReader::fill() {
    if (at_end_) return false;
    if (begin_ > 0) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    const std::size_t room = std::min(kChunk, kBufferSize - end_);
    const std::size_t got = source_.read(buffer_.get() + end_, room);
    if (got == 0) at_end_ = true;
    end_ += got;
    // What the fast paths may read past the last line: defined bytes.
    std::memset(buffer_.get() + end_, 0, kLinePadding);
    return got > 0;
}

// Drops the rest of a too-long line, chunk by chunk, up to its newline.
void LineReader::skip_rest_of_line() {
    while (true) {
        const void* nl = std::memchr(buffer_.get() + begin_, '\n', end_ - begin_);
        if (nl != nullptr) {
            begin_ = static_cast<const char*>(nl) - buffer_.get() + 1;
            skipping_ = false;
            return;
        }
        begin_ = end_;
        if (!fill()) return;
    }
}

bool LineReader::next_slow(Line& line) {
    if (skipping_) skip_rest_of_line();
    while (true) {
        const std::size_t avail = end_ - begin_;
        const char* start = buffer_.get() + begin_;
        const void* nl = std::memchr(start, '\n', avail);
        const std::size_t length = nl ? static_cast<const char*>(nl) - start : avail;
        if (length > kMaxLine) {
            // Report the line now; its rest is skipped on the next call.
            line = Line{std::string_view(start, kMaxLine), ++line_number_, true, false, true};
            begin_ += nl ? length + 1 : avail;
            skipping_ = nl == nullptr;
            return true;
        }
        if (nl != nullptr) {
            line = Line{take(length, length + 1), ++line_number_, false, false, true};
            return true;
        }
        if (!fill()) {
            if (end_ == begin_ || source_.error() != nullptr) return false;
            // The last line has no newline.
            line = Line{take(end_ - begin_, end_ - begin_), ++line_number_, false, true, true};
            return true;
        }
    }
}

}  // namespace heapsim

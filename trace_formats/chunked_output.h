#pragma once
// A byte buffer in front of an std::ostream for the line writers: events are
// appended as characters and numbers, and the buffer goes to the stream in
// chunks of about kChunk bytes, so writing an event costs no stream call
// and no allocation once the buffer has grown to its size.

#include <charconv>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace heapsim {

class ChunkedOutput {
  public:
    explicit ChunkedOutput(std::ostream& out) : out_(out) { buffer_.reserve(kChunk + 4096); }

    void put(char c) { buffer_.push_back(c); }
    void put(std::string_view text) { buffer_.append(text); }
    void put_number(std::uint64_t value) {
        char digits[20];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        buffer_.append(digits, static_cast<std::size_t>(end - digits));
    }
    /// Call after each event: hands a full chunk to the stream.
    void end_record() {
        if (buffer_.size() >= kChunk) flush();
    }
    /// Hands everything to the stream and flushes it; false if it failed.
    bool flush() {
        out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        buffer_.clear();
        return static_cast<bool>(out_);
    }
    bool finish() { return flush() && static_cast<bool>(out_.flush()); }

    static constexpr std::size_t kChunk = 64 * 1024;

  private:
    std::ostream& out_;
    std::string buffer_;
};

}  // namespace heapsim

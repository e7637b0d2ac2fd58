#include "trace_formats/raw_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace heapsim {

RawInput RawInput::open(const std::string& path) {
    RawInput input;
    input.path_ = path;
    if (path == "-") {
        input.fd_ = STDIN_FILENO;
        return input;
    }
    input.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input.fd_ < 0) {
        input.error_ = "cannot open '" + path + "': " + std::strerror(errno);
    } else {
        input.owns_fd_ = true;
    }
    return input;
}

RawInput RawInput::over(std::string_view bytes) {
    RawInput input;
    input.memory_ = bytes;
    return input;
}

RawInput::RawInput(RawInput&& other) noexcept
    : fd_(other.fd_),
      owns_fd_(other.owns_fd_),
      memory_(other.memory_),
      memory_pos_(other.memory_pos_),
      path_(std::move(other.path_)),
      error_(std::move(other.error_)),
      head_len_(other.head_len_),
      head_pos_(other.head_pos_) {
    std::memcpy(head_, other.head_, sizeof head_);
    other.fd_ = -1;
    other.owns_fd_ = false;
}

RawInput::~RawInput() {
    if (owns_fd_) ::close(fd_);
}

std::ptrdiff_t RawInput::read_underlying(char* out, std::size_t capacity) {
    if (!error_.empty()) return -1;
    if (fd_ < 0) {
        const std::size_t n = std::min(capacity, memory_.size() - memory_pos_);
        std::memcpy(out, memory_.data() + memory_pos_, n);
        memory_pos_ += n;
        return static_cast<std::ptrdiff_t>(n);
    }
    while (true) {
        const ssize_t n = ::read(fd_, out, capacity);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        error_ = "cannot read '" + path_ + "': " + std::strerror(errno);
        return -1;
    }
}

std::string_view RawInput::peek_head(std::size_t n) {
    n = std::min(n, kMaxPeek);
    // A pipe may deliver the head in pieces: keep reading until n or EOF.
    while (head_len_ < n) {
        const std::ptrdiff_t got = read_underlying(head_ + head_len_, n - head_len_);
        if (got <= 0) break;
        head_len_ += static_cast<std::size_t>(got);
    }
    return {head_, std::min(n, head_len_)};
}

std::ptrdiff_t RawInput::read(char* out, std::size_t capacity) {
    if (head_pos_ < head_len_) {
        const std::size_t n = std::min(capacity, head_len_ - head_pos_);
        std::memcpy(out, head_ + head_pos_, n);
        head_pos_ += n;
        return static_cast<std::ptrdiff_t>(n);
    }
    return read_underlying(out, capacity);
}

}  // namespace heapsim

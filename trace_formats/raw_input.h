#pragma once
// The undecoded bytes of a trace: a file, standard input, or a buffer in
// memory. Its only extra is a short look at the first bytes, so that the
// compression can be recognised by its magic number without seeking (stdin
// and pipes cannot seek).

#include <cstddef>
#include <string>
#include <string_view>

namespace heapsim {

class RawInput {
  public:
    /// Opens `path` ("-" = standard input). On failure, error() says why.
    static RawInput open(const std::string& path);
    /// Reads `bytes` in place; they must outlive the RawInput.
    static RawInput over(std::string_view bytes);

    RawInput(RawInput&& other) noexcept;
    RawInput& operator=(RawInput&&) = delete;
    RawInput(const RawInput&) = delete;
    ~RawInput();

    /// Up to `capacity` bytes into `out`: the count, 0 at the end, -1 on a
    /// read error (then error() is set).
    std::ptrdiff_t read(char* out, std::size_t capacity);
    /// The first `n` bytes (fewer if the input is shorter), left unread.
    /// Only valid before the first read(), for n <= kMaxPeek.
    std::string_view peek_head(std::size_t n);

    const std::string& error() const { return error_; }

    static constexpr std::size_t kMaxPeek = 8;

  private:
    RawInput() = default;
    std::ptrdiff_t read_underlying(char* out, std::size_t capacity);

    int fd_ = -1;
    bool owns_fd_ = false;
    std::string_view memory_;
    std::size_t memory_pos_ = 0;
    std::string path_;
    std::string error_;
    char head_[kMaxPeek] = {};
    std::size_t head_len_ = 0;
    std::size_t head_pos_ = 0;
};

}  // namespace heapsim

#pragma once
// Standard output for the `heapsim` executable. SIGPIPE is ignored, so a
// reader that closes the pipe early (`heapsim gen | head -1`) makes a write
// fail with EPIPE instead of killing the process (status 141, which the
// documented exit statuses call a crash). On EPIPE the process ends at once,
// quietly, with status 0: the reader has what it wanted (docs/cli.md, "Exit
// status"). Ending at once, rather than unwinding, also stops a generator
// that would otherwise write 10^8 events into the void; nothing is lost,
// since every report file is committed before standard output is written.

#include <array>
#include <ostream>
#include <streambuf>

namespace heapsim::cli {

/// A buffered stream buffer over a file descriptor: EPIPE ends the process
/// with status 0, any other write error sets the stream's badbit.
class FdStreamBuf final : public std::streambuf {
  public:
    explicit FdStreamBuf(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
    ~FdStreamBuf() override;
    FdStreamBuf(const FdStreamBuf&) = delete;
    FdStreamBuf& operator=(const FdStreamBuf&) = delete;

  protected:
    int_type overflow(int_type ch) override;
    int sync() override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;

  private:
    bool drain();
    bool write_all(const char* p, std::size_t n);

    int fd_;
    std::array<char, 1 << 16> buf_{};
};

/// Ignores SIGPIPE for the whole process (call once, from main).
void ignore_sigpipe();

}  // namespace heapsim::cli

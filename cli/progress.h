#pragma once
// Progress lines on standard error, redrawn in place: events replayed by a
// long run ("heapsim: 12.6 M events replayed (4.1 M/s)"), runs done by a
// sweep ("heapsim sweep: 12/64 runs"). Shown only when standard error is a
// terminal (and -q was not given); erased before the report is written.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace heapsim::cli {

bool stderr_is_terminal();

class Progress {
  public:
    Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
    bool enabled() const { return enabled_; }
    void update(std::uint64_t events);
    /// Erases the line, if one was drawn.
    void finish();

  private:
    std::ostream& err_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// A progress line on standard error while a sweep runs, when it is a
/// terminal; nothing otherwise.
class ProgressLine {
  public:
    ProgressLine(std::ostream& err, std::string command, bool enabled)
        : err_(err), command_(std::move(command)), enabled_(enabled) {}
    ~ProgressLine();
    void update(std::uint64_t done, std::uint64_t total);

  private:
    std::ostream& err_;
    std::string command_;
    bool enabled_;
    bool shown_ = false;
};

}  // namespace heapsim::cli

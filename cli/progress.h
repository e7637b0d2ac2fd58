#pragma once
// A progress line on standard error for long runs ("heapsim: 12.6 M events
// replayed (4.1 M/s)"), redrawn in place. Shown only when standard error is
// a terminal and -q was not given; erased before the report is written.

#include <chrono>
#include <cstdint>
#include <ostream>

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

}  // namespace heapsim::cli

#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace heapsim::cli {

bool stderr_is_terminal() {
    return isatty(STDERR_FILENO) == 1;
}

void Progress::update(std::uint64_t events) {
    if (!enabled_) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char line[96];
    std::snprintf(line, sizeof line, "\rheapsim: %.1f M events replayed (%.1f M/s)",
                  static_cast<double>(events) / 1e6,
                  seconds > 0 ? static_cast<double>(events) / 1e6 / seconds : 0.0);
    err_ << line << std::flush;
    drawn_ = true;
}

void Progress::finish() {
    if (drawn_) err_ << "\r\033[K" << std::flush;
    drawn_ = false;
}

void ProgressLine::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    err_ << "\rheapsim " << command_ << ": " << done << "/" << total << " runs" << std::flush;
    shown_ = true;
}

ProgressLine::~ProgressLine() {
    if (shown_) err_ << "\r\033[K" << std::flush;
}

}  // namespace heapsim::cli

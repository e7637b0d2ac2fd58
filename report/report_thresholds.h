#pragma once
// How the human reports (text, Markdown) describe the collector's
// thresholds: the starting ones, whether automatic collection is off, and
// what the trace's own `threshold` events did to them, so that a run with
// --threshold 100 whose trace resets the thresholds does not pass for a
// run under 100 (docs/report.md, "Thresholds").

#include <optional>
#include <string>

#include "sim/run_result.h"

namespace heapsim {

/// "700, 10, 10"
std::string thresholds_text(const std::array<std::int64_t, 3>& t);

/// "cpython-3.11 (thresholds 700, 10, 10)", "cpython-3.11 (thresholds 0, 10,
/// 10: automatic collection off)", "refcount (no cyclic collector)".
std::string policy_text(const RunResult& r);

/// What the trace's `threshold` events did, or nullopt when it had none:
/// "35 applied; in force at the end: 2000, 10, 10" or "35 ignored
/// (--ignore-trace-thresholds): 700, 10, 10 throughout".
std::optional<std::string> threshold_events_text(const RunResult& r);

}  // namespace heapsim

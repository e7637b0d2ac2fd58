#pragma once
// The numbers a sweep compares runs by, taken from a finished run: what the
// tables, budgets, the Pareto frontier and the recommendation read.

#include <cstdint>

#include "sim/run_result.h"

namespace heapsim::sweep {

struct RunMetrics {
    std::array<std::uint64_t, 3> collections{};
    std::uint64_t gc_time_ns = 0;  // sum of the modelled pauses
    std::uint64_t p50_pause_ns = 0, p99_pause_ns = 0, max_pause_ns = 0;
    std::uint64_t peak_live_bytes = 0;
    std::uint64_t peak_cyclic_garbage_bytes = 0;
    std::uint64_t collected_by_gc = 0;
    std::uint64_t leaked_objects = 0, leaked_bytes = 0;  // garbage at the end (docs/report.md)
    std::uint64_t end_time_ns = 0;                       // the trace's last timestamp
};

/// The metrics of `result`.
///
/// peak_cyclic_garbage_bytes is the most cyclic garbage the run is known to
/// have held at one moment: the largest of the timeline's exact measurements
/// (RunProfile::peak_cyclic_garbage_bytes, docs/report.md), the bytes one
/// collection freed (garbage held until that collection) and the cyclic
/// garbage still held at the end (cycle and uncollectable leaks). Between
/// measurements a higher moment can pass unseen, so it is a lower bound of
/// the schema's quantity, as the run report's peak is.
RunMetrics metrics_of(const RunResult& result);

}  // namespace heapsim::sweep

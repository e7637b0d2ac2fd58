#pragma once
// Choosing among the runs of a sweep: the Pareto frontier over (GC time,
// peak live bytes, p99 pause) and the recommendation, the configuration
// with the least GC time among those within every budget.
//
// Both read only RunPoints, which a sweep builds from its runs and `merge`
// from the parts' JSON, so a merged document chooses exactly as one run.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace heapsim::sweep {

struct RunPoint {
    std::uint64_t run = 0;    // run number
    std::uint64_t trace = 0;  // index into the sweep's traces
    std::string config;       // canonical SPEC
    std::uint64_t gc_time_ns = 0, peak_live_bytes = 0, p99_pause_ns = 0;
    bool within_budgets = true;
};

/// The runs no other run of the same trace beats on all three measures
/// (at least as good on each, better on one), in run order.
std::vector<std::uint64_t> pareto_frontier(const std::vector<RunPoint>& points);

struct Recommendation {
    std::uint64_t run = 0;
    std::string why;
};

/// The configuration within budgets on every trace with the least total GC
/// time (ties: less peak memory, then shorter p99 pause, then the first);
/// `run` is its run on the first trace. `why` says so in one sentence and
/// what it costs against the default thresholds of its policy when the
/// grid has them. nullopt when no configuration is within budgets.
std::optional<Recommendation> recommend(const std::vector<RunPoint>& points);

}  // namespace heapsim::sweep

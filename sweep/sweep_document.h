#pragma once
// The heapsim-sweep/1 document (shared spec report-schema.md) that
// `compare`, `sweep` and `merge` write. A run's entry is built once, from
// its RunResult, and never again: `merge` copies the parts' entries as they
// are and recomputes only the frontier and the recommendation, from the
// same RunPoints, so a merged document is byte for byte the unsharded one.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run_result.h"
#include "sweep/budget.h"
#include "sweep/configuration.h"
#include "sweep/pareto.h"
#include "sweep/run_metrics.h"
#include "sweep/shard.h"

namespace heapsim::sweep {

inline constexpr const char* kSweepSchema = "heapsim-sweep/1";

struct SweepTrace {
    std::string path;
    std::uint64_t events = 0;
};

/// One finished run of a sweep, reduced to what its reports need: the
/// RunResult itself (collections, leaks) is dropped as soon as this is made.
struct SweepRun {
    std::uint64_t run = 0;
    std::uint64_t trace = 0;
    Configuration config;
    std::string spec;  // canonical_spec(config)
    RunMetrics metrics;
    std::vector<BudgetCheck> budgets;
    nlohmann::ordered_json json;  // its entry in "runs"

    bool within_budgets() const;
};

/// Reduces `result`, run number `run` of trace `trace` under `config`.
SweepRun make_sweep_run(std::uint64_t run, std::uint64_t trace, const Configuration& config,
                        const RunResult& result, const Budgets& budgets);

RunPoint point_of(const SweepRun& run);
/// The RunPoint of a run entry read back from JSON; nullopt if malformed.
std::optional<RunPoint> point_of_json(const nlohmann::ordered_json& run);

/// What makes a shard part: the shard, and what identifies its sweep.
struct PartInfo {
    Shard shard;
    std::string sweep_id;
    std::uint64_t total_runs = 0;
};

/// The document: with `part`, a shard part (its own runs, no frontier or
/// recommendation, which need every run); else the whole result.
nlohmann::ordered_json sweep_document(const std::vector<SweepTrace>& traces,
                                      const std::vector<nlohmann::ordered_json>& runs,
                                      const std::vector<RunPoint>& points,
                                      const std::optional<PartInfo>& part);

/// The document indented by two spaces, with a final newline.
void write_sweep_json(const nlohmann::ordered_json& document, std::ostream& out);

/// A digest (16 hex digits, FNV-1a) of what defines a sweep: the trace
/// paths, every configuration in run order and the budgets. Parts of one
/// sweep share it; parts of different sweeps almost surely do not.
std::string sweep_id(const std::vector<std::string>& trace_paths,
                     const std::vector<std::string>& specs, const Budgets& budgets, bool lenient);

}  // namespace heapsim::sweep

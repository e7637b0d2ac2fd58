#pragma once
// Runs a sweep: each trace is read once into an EventBuffer and its runs
// are replayed on `threads` std::thread workers that share it read-only.
// Every result lands in the slot of its run number, so the output is the
// same for any number of threads; a run is reduced to its SweepRun at once,
// so memory stays one EventBuffer plus one heap per worker. An error in a
// worker (a bad event, a limit, an exception) comes back as a value.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "events/diagnostic.h"
#include "sweep/budget.h"
#include "sweep/configuration.h"
#include "sweep/shard.h"
#include "sweep/sweep_document.h"

namespace heapsim::sweep {

struct SweepPlan {
    std::vector<std::string> traces;
    std::vector<Configuration> configs;  // per trace, in grid order
    Budgets budgets;
    bool lenient = false;
    Shard shard;
    unsigned threads = 0;  // 0 = one per core

    std::uint64_t total_runs() const { return traces.size() * configs.size(); }
};

/// The run that stopped a sweep, and why.
struct SweepFailure {
    std::string trace;  // its path
    std::string spec;   // "" when reading the trace failed
    Diagnostic diagnostic;
};

struct SweepOutcome {
    std::vector<SweepTrace> traces;
    std::vector<SweepRun> runs;  // this shard's, in run order
    std::optional<SweepFailure> failure;
};

/// Called after each run with the runs done and the shard's total.
using SweepProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

SweepOutcome run_sweep(const SweepPlan& plan, const SweepProgress& progress = {});

}  // namespace heapsim::sweep

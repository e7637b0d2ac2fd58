#include "sweep/sweep_runner.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "engine/buffered_replay.h"
#include "engine/overlapped_replay.h"

namespace heapsim::sweep {

namespace {

/// One run's slot: its reduced result or what stopped it.
struct Slot {
    std::optional<SweepRun> run;
    std::optional<Diagnostic> error;
};

}  // namespace

SweepOutcome run_sweep(const SweepPlan& plan, const SweepProgress& progress) {
    SweepOutcome outcome;
    const std::uint64_t per_trace = plan.configs.size();
    std::uint64_t shard_total = 0;
    for (std::uint64_t r = 0; r < plan.total_runs(); ++r) shard_total += plan.shard.owns(r) ? 1 : 0;
    std::uint64_t done = 0;
    std::mutex progress_mutex;
    unsigned threads =
        plan.threads != 0 ? plan.threads : std::max(1u, std::thread::hardware_concurrency());

    for (std::uint64_t t = 0; t < plan.traces.size(); ++t) {
        std::vector<std::uint64_t> mine;  // this shard's run numbers of this trace
        for (std::uint64_t c = 0; c < per_trace; ++c)
            if (plan.shard.owns(t * per_trace + c)) mine.push_back(t * per_trace + c);
        std::vector<Slot> slots(mine.size());
        const auto config_of = [&](std::size_t i) -> const Configuration& {
            return plan.configs[mine[i] - t * per_trace];
        };
        OverlappedRuns runs;
        runs.count = mine.size();
        runs.options = [&](std::size_t i) { return replay_options(config_of(i), plan.lenient); };
        runs.done = [&](std::size_t i, ReplayOutcome replayed) {
            if (replayed.error) {
                slots[i].error = replayed.error;
            } else {
                try {
                    slots[i].run =
                        make_sweep_run(mine[i], t, config_of(i), *replayed.result, plan.budgets);
                } catch (...) {
                    slots[i].error = outcome_of_current_exception().error;
                }
            }
            if (progress) {
                std::lock_guard lock(progress_mutex);
                progress(++done, shard_total);
            }
        };
        // The trace loads on this thread while the others start its runs.
        GrowingTrace trace(plan.traces[t]);
        replay_while_loading(trace, plan.lenient, threads, runs);
        if (trace.error()) {
            outcome.failure = SweepFailure{plan.traces[t], "", *trace.error()};
            return outcome;
        }
        outcome.traces.push_back(SweepTrace{plan.traces[t], trace.events_read()});
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (slots[i].error) {
                outcome.failure = SweepFailure{
                    plan.traces[t], canonical_spec(plan.configs[mine[i] - t * per_trace]),
                    *slots[i].error};
                return outcome;
            }
            outcome.runs.push_back(std::move(*slots[i].run));
        }
    }
    return outcome;
}

}  // namespace heapsim::sweep

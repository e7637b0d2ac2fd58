#include "sweep/sweep_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <thread>

#include "engine/buffered_replay.h"

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
        const LoadedTrace trace = load_trace(plan.traces[t], plan.lenient);
        if (trace.error) {
            outcome.failure = SweepFailure{plan.traces[t], "", *trace.error};
            return outcome;
        }
        outcome.traces.push_back(SweepTrace{plan.traces[t], trace.events_read});
        std::vector<std::uint64_t> mine;  // this shard's run numbers of this trace
        for (std::uint64_t c = 0; c < per_trace; ++c)
            if (plan.shard.owns(t * per_trace + c)) mine.push_back(t * per_trace + c);
        std::vector<Slot> slots(mine.size());
        std::atomic<std::size_t> next{0};
        const auto work = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < mine.size();) {
                const Configuration& config = plan.configs[mine[i] - t * per_trace];
                const ReplayOutcome replayed =
                    replay_guarded(trace, replay_options(config, plan.lenient), replay_loaded);
                if (replayed.error) {
                    slots[i].error = replayed.error;
                } else {
                    try {
                        slots[i].run =
                            make_sweep_run(mine[i], t, config, *replayed.result, plan.budgets);
                    } catch (const std::bad_alloc&) {
                        slots[i].error = Diagnostic{ErrorKind::Limit, 0, 0, "out of memory", true};
                    } catch (const std::exception& e) {
                        slots[i].error =
                            Diagnostic{ErrorKind::Internal, 0, 0,
                                       std::string("internal error: ") + e.what(), true};
                    }
                }
                if (progress) {
                    std::lock_guard lock(progress_mutex);
                    progress(++done, shard_total);
                }
            }
        };
        const unsigned workers = static_cast<unsigned>(
            std::min<std::size_t>(threads, std::max<std::size_t>(1, mine.size())));
        std::vector<std::thread> pool;
        for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
        work();
        for (std::thread& th : pool) th.join();
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

#include "engine/overlapped_replay.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/buffered_replay.h"
#include "engine/growing_replay.h"

namespace heapsim {

namespace {

/// This thread's CPU time, for the counters.
std::uint64_t thread_cpu_ns() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<std::uint64_t>(t.tv_sec) * 1000000000u +
           static_cast<std::uint64_t>(t.tv_nsec);
}

/// The runs not yet taken: the next number, and those a worker gave back.
class RunQueue {
  public:
    explicit RunQueue(std::size_t count) : count_(count) {}
    /// The next run to start; false when none is left.
    bool take(std::size_t& i) {
        {
            std::lock_guard lock(mutex_);
            if (!returned_.empty()) {
                i = returned_.back();
                returned_.pop_back();
                return true;
            }
        }
        i = next_.fetch_add(1);
        return i < count_;
    }
    void give_back(std::size_t i) {
        std::lock_guard lock(mutex_);
        returned_.push_back(i);
    }

  private:
    const std::size_t count_;
    std::atomic<std::size_t> next_{0};
    std::mutex mutex_;
    std::vector<std::size_t> returned_;
};

/// A worker's share of the runs: it takes a run when it has room for one,
/// and keeps its runs going until none is left.
class Worker {
  public:
    Worker(const GrowingTrace& trace, const OverlappedRuns& runs, RunQueue& queue)
        : trace_(trace), runs_(runs), queue_(queue) {}

    void work() {
        for (;;) {
            // Advance each run as far as the loader allows; finished ones go.
            std::erase_if(active_, [&](Active& a) { return step(a); });
            bound_extras();
            // While the trace loads, every run left here is waiting for it:
            // room for another. Once it is complete, the runs above finished.
            const bool loading = !active_.empty();
            const bool room = !loading || (extras_ && active_.size() < kRunsPerWorkerWhileLoading);
            if (!trace_.failed() && room) {
                if (start()) continue;
                if (!loading) return;
            }
            if (trace_.failed()) return;  // the runs here are moot
            // All waiting, no room or no run left: wait for the loader.
            std::size_t first = active_.front().replay->next_segment();
            for (const Active& a : active_) first = std::min(first, a.replay->next_segment());
            trace_.wait_segment(first);
        }
    }

  private:
    struct Active {
        std::size_t index;
        std::unique_ptr<GrowingReplay> replay;
        // For the counters: events applied by its replays that ended.
        std::uint64_t applied_before = 0;
        std::uint64_t applied() const {
            return applied_before + (replay ? replay->events_applied() : 0);
        }
    };

    /// Takes the next run; false when none is left.
    bool start() {
        std::size_t i = 0;
        if (!queue_.take(i)) return false;
        if (runs_.counters && !trace_.complete()) ++runs_.counters->started_while_loading;
        Active a{i, nullptr};
        try {
            a.replay = std::make_unique<GrowingReplay>(trace_, runs_.options(i));
        } catch (...) {
            runs_.done(i, outcome_of_current_exception());
            return true;
        }
        if (!step(a)) active_.push_back(std::move(a));
        return true;
    }

    /// Advances one run as far as the loader allows; true when it ended
    /// (its outcome handed over).
    bool step(Active& a) {
        if (!runs_.counters) return advance(a);
        // The bench's account: this thread's CPU time and the events applied,
        // while the trace loads or after.
        const bool loading = !trace_.complete();
        const std::uint64_t cpu = thread_cpu_ns();
        const std::uint64_t applied = a.applied();
        const bool ended = advance(a);
        const std::uint64_t events = a.applied() - applied;
        (loading ? runs_.counters->loading_cpu_ns : runs_.counters->after_cpu_ns) +=
            thread_cpu_ns() - cpu;
        (loading ? runs_.counters->loading_events : runs_.counters->after_events) += events;
        return ended;
    }

    /// step() without the counters' account.
    bool advance(Active& a) {
        ReplayOutcome outcome;
        try {
            for (;;) {
                if (!a.replay->advance(false)) return false;
                if (!a.replay->lost_step()) break;
                // Again, on the whole table: waits for the load to complete.
                if (runs_.counters) {
                    ++runs_.counters->lost_step;
                    runs_.counters->wasted_events += a.replay->events_applied();
                    a.applied_before += a.replay->events_applied();
                }
                a.replay.reset();
                a.replay = std::make_unique<GrowingReplay>(trace_, runs_.options(a.index), true);
            }
            outcome = a.replay->take_outcome();
        } catch (...) {
            outcome = outcome_of_current_exception();
        }
        if (a.replay) a.applied_before += a.replay->events_applied();
        a.replay.reset();  // its heap, before the next run allocates one
        if (!trace_.failed()) runs_.done(a.index, std::move(outcome));
        return true;
    }

    /// Drops the newest extra runs while their heaps exceed the bound.
    void bound_extras() {
        for (;;) {
            std::uint64_t live = 0;
            for (std::size_t k = 1; k < active_.size(); ++k)
                live += active_[k].replay->live_objects();
            if (live <= runs_.extra_live_objects) return;
            queue_.give_back(active_.back().index);
            if (runs_.counters) {
                ++runs_.counters->given_back;
                runs_.counters->wasted_events += active_.back().replay->events_applied();
            }
            active_.pop_back();
            extras_ = false;
        }
    }

    const GrowingTrace& trace_;
    const OverlappedRuns& runs_;
    RunQueue& queue_;
    std::vector<Active> active_;  // the first is the worker's own heap, the others extras
    bool extras_ = true;          // false once an extra outgrew the bound
};

}  // namespace

void replay_while_loading(GrowingTrace& trace, bool lenient, unsigned threads,
                          const OverlappedRuns& runs) {
    replay_while_loading(trace, lenient, threads, runs, {});
}

void replay_while_loading(GrowingTrace& trace, bool lenient, unsigned threads,
                          const OverlappedRuns& runs, const GrowingTrace::Reader& read) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::clamp<std::size_t>(runs.count, 1, threads));
    RunQueue queue(runs.count);
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back([&] { Worker(trace, runs, queue).work(); });
    try {
        if (read) {
            trace.load(lenient, read);
        } else {
            trace.load(lenient);
        }
    } catch (...) {
        pool.clear();  // joins: the workers stop at the trace's error
        throw;
    }
    Worker(trace, runs, queue).work();
}

}  // namespace heapsim

#pragma once
// Parse once, replay many times, with the parse overlapped: the trace loads
// on the calling thread while the other threads already replay it, then the
// calling thread joins them (docs/performance.md, "Session 6: overlapping
// the parse"). `threads` counts the loading thread: with 1 the trace loads
// whole, then its runs replay one after another, as before.
//
// While the trace loads, a worker keeps up to kRunsPerWorkerWhileLoading runs
// going (GrowingReplay): a replay is several times faster than the parse, so
// a single run following the loader would leave its core mostly idle; the
// worker starts another run whenever all of its runs have caught up with the
// loader. Memory: a worker's first run is its one heap; the others are
// extras, kept only while their heaps together hold fewer than
// kExtraLiveObjectsWhileLoading objects. Past that (a trace whose live heap
// is large), the newest extra is dropped, to be run again from the start
// later, and that worker starts no more extras: the sweep's memory stays one
// EventBuffer plus one heap per thread, plus at most that bound while the
// trace loads. A run that lost step with the trace's symbols (see
// GrowingReplay) runs again once the trace is complete. Runs start in the
// order given; each outcome goes to `done` as
// soon as it is known, on the thread that computed it, so results never
// depend on which thread or when.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "engine/growing_trace.h"
#include "engine/replay.h"

namespace heapsim {

inline constexpr std::size_t kRunsPerWorkerWhileLoading = 4;
/// ~120 MB at ~120 bytes per live object (docs/performance.md).
inline constexpr std::uint64_t kExtraLiveObjectsWhileLoading = std::uint64_t{1} << 20;

struct OverlappedRuns {
    std::size_t count = 0;
    /// The options of run `i` (0 <= i < count), called on a worker thread.
    std::function<ReplayOptions(std::size_t)> options;
    /// Run `i`'s outcome, called once per run on the thread that ran it (at
    /// the same time as other threads' calls): an exception during the run
    /// is its error, never std::terminate. Not called for runs left undone
    /// because the trace failed: then trace.error() is the answer.
    std::function<void(std::size_t, ReplayOutcome)> done;
    /// The bound on the extras' heaps (see above); tests make it small.
    std::uint64_t extra_live_objects = kExtraLiveObjectsWhileLoading;
    /// If set, counts the extras dropped for that bound and the runs that
    /// lost step with the trace's symbols (GrowingReplay) and ran again, the
    /// events those replayed for nothing, the runs started before the trace
    /// was complete, and the replays' thread CPU time and events while the
    /// trace loads and after (bench/sweep_bench.cpp prints them).
    struct Counters {
        std::atomic<std::uint64_t> given_back{0}, lost_step{0}, wasted_events{0};
        std::atomic<std::uint64_t> started_while_loading{0};
        std::atomic<std::uint64_t> loading_cpu_ns{0}, loading_events{0};
        std::atomic<std::uint64_t> after_cpu_ns{0}, after_events{0};
    };
    Counters* counters = nullptr;
};

/// Loads `trace` (GrowingTrace::load with `lenient`) on this thread while up
/// to `threads - 1` others (0 = one per core) replay it, then helps them
/// finish; returns when every run is done. An exception from the load
/// propagates once the workers have stopped.
void replay_while_loading(GrowingTrace& trace, bool lenient, unsigned threads,
                          const OverlappedRuns& runs);
/// The same with another reader (tests; see GrowingTrace::load).
void replay_while_loading(GrowingTrace& trace, bool lenient, unsigned threads,
                          const OverlappedRuns& runs, const GrowingTrace::Reader& read);

}  // namespace heapsim

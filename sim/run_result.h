#pragma once
// The value a simulation returns: everything a reporter needs, nothing about
// how it will be printed. Field meanings follow the report schema
// heapsim-report/1 (docs/report.md).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/retention_path_store.h"
#include "sim/run_profile.h"
#include "sim/pause_model.h"

namespace heapsim {

enum class Trigger : std::uint8_t { Threshold, Collect };
enum class LeakReason : std::uint8_t { Cycle, Uncollectable, NeverStored, LiveAtEnd };

const char* trigger_name(Trigger t);
const char* leak_reason_name(LeakReason r);

struct CollectionRecord {
    std::uint64_t seq = 0;      // 1-based
    std::uint64_t event = 0;    // event during which it ran
    std::uint64_t time_ns = 0;  // trace timestamp of that event
    int generation = 0;         // oldest generation collected
    Trigger trigger = Trigger::Threshold;
    std::uint64_t collected = 0;      // gc.callbacks info["collected"]
    std::uint64_t uncollectable = 0;  // info["uncollectable"]
    std::uint64_t scanned = 0;        // tracked objects examined
    std::uint64_t promoted = 0;       // survivors moved to an older generation
    std::uint64_t pause_ns = 0;       // modelled pause
    std::uint64_t bytes_freed = 0;    // bytes of the objects the collection freed
    std::array<std::uint64_t, 3> gen_sizes{};  // tracked objects per generation at the start
    std::array<std::int64_t, 3> thresholds{};  // in force when it ran
    std::uint64_t threshold_events = 0;        // trace `threshold` events applied before it
    // 3.14.0's incremental collector (cpython-gc.md §6.4): objects the
    // marking step moved to the visited space, and whether this entry is a
    // marking-only increment (the first of a scavenge: nothing collected).
    std::uint64_t marked = 0;
    bool mark_only = false;
};

struct WeakrefCallbackRecord {
    std::uint64_t event = 0;
    std::string weakref;  // id of the weakref object
    std::string label;    // its callback label
};

struct FinalizerRecord {
    std::uint64_t event = 0;
    std::string id;
};

struct LeakRecord {
    std::string id;
    std::string type;
    std::string site;  // "" when the alloc had no site
    std::uint64_t bytes = 0;
    LeakReason reason = LeakReason::LiveAtEnd;
    std::string held_by;  // live-at-end: the root name that keeps it alive; else ""
    PathRef path = kEmptyPath;  // why it is still alive: RunResult::paths (retention_path_store.h)
    std::string finalizer;  // uncollectable: the object whose legacy finalizer (tp_del) keeps it
};

/// Garbage (cycle, uncollectable, never-stored): what nothing can reach or
/// free, a leak proper. LiveAtEnd: still reachable from a root at the end,
/// which may be module state as well as a leak (docs/report.md, "Leaks").
inline bool is_garbage(LeakReason r) {
    return r != LeakReason::LiveAtEnd;
}

/// Objects alive at the end aggregated by (reason, root, site, type), largest
/// first. The root is set for live-at-end groups only.
struct LeakGroup {
    LeakReason reason = LeakReason::LiveAtEnd;
    std::string site;
    std::string type;
    std::uint64_t objects = 0;
    std::uint64_t bytes = 0;
    std::string held_by;  // live-at-end: the root name that keeps them (as LeakRecord::held_by)
    /// How many of these objects were already alive at 1/4, 1/2 and 3/4 of
    /// the trace's events, and at the end (= objects): an object alive at
    /// the end was alive ever since its allocation.
    std::array<std::uint64_t, 4> alive_at_quarters{};
    /// The retention path of one of its objects (the one with the shortest
    /// path, then the first in handle order) and that object's id.
    std::string example_id;
    PathRef path = kEmptyPath;  // in RunResult::paths
    std::string finalizer;  // uncollectable: as LeakRecord::finalizer
    /// Strictly more objects at each quarter point: a group that keeps
    /// growing through the whole trace, unlike state built once.
    bool growing() const {
        return alive_at_quarters[0] < alive_at_quarters[1] &&
               alive_at_quarters[1] < alive_at_quarters[2] &&
               alive_at_quarters[2] < alive_at_quarters[3];
    }
};

struct ExpectFailure {
    std::uint64_t event = 0;
    std::uint64_t line = 0;
    std::string message;  // "expect refcount 7 2: refcount is 3"
};

struct PauseStats {
    std::uint64_t count = 0, total_ns = 0, p50_ns = 0, p95_ns = 0, p99_ns = 0, max_ns = 0;
};

/// One sample of the heap over the trace (reporter-defined `timeline`).
struct TimelineSample {
    std::uint64_t event = 0;
    std::uint64_t time_ns = 0;
    std::uint64_t live_objects = 0;
    std::uint64_t live_bytes = 0;
    std::array<std::uint64_t, 3> gc_count{};
    /// Bytes of live objects no root reaches (report-schema.md, "Cyclic
    /// garbage held"), exact at event `garbage_measured_at`: this sample's
    /// event unless the marking budget postponed it (docs/report.md).
    std::uint64_t cyclic_garbage_bytes = 0;
    std::uint64_t garbage_measured_at = 0;
};

struct SkippedEvents {
    std::string kind;  // error_kind_name()
    std::uint64_t count = 0;
    std::vector<std::uint64_t>
        first_lines;  // the first kSkippedLinesShown lines (0 = no line), ascending
};
inline constexpr std::size_t kSkippedLinesShown = 3;

struct Summary {
    std::uint64_t objects_allocated = 0;
    std::uint64_t freed_by_refcount = 0;
    std::uint64_t collected_by_gc = 0;  // freed by the cyclic collector
    std::uint64_t uncollectable = 0;    // found unreachable but kept (gc.garbage)
    std::uint64_t live_at_end = 0;
    std::uint64_t live_bytes_at_end = 0;
    std::uint64_t peak_live_objects = 0;
    std::uint64_t peak_live_bytes = 0;
    std::array<std::uint64_t, 3> final_count{};   // gc.get_count() after the last event
    std::array<std::uint64_t, 3> collections{};   // per generation
    std::uint64_t expect_failures = 0;
};

struct RunResult {
    std::string trace_path;
    std::uint64_t events = 0;
    std::string policy;
    std::string policy_named_by;  // "cpython 3.12.1 (default build)" when the trace chose it
    std::string provenance;       // "verified against interpreter 3.11.7" / "modelled from source ..."
    std::string collector;        // "generational", "incremental" or "free-threaded"
    std::string pause_model = PauseModel{}.name;  // the PauseModel's name ("builtin-2025")
    std::string pause_model_source = PauseModel{}.source;  // where its coefficients come from
    std::array<std::int64_t, 3> thresholds{};  // as at the start of the run
    bool trace_thresholds_followed = true;     // trace-thresholds=follow (else ignore)
    std::uint64_t threshold_events = 0;        // `threshold` events replayed
    std::uint64_t threshold_events_applied = 0;       // ... that changed the thresholds in force
    std::array<std::int64_t, 3> thresholds_at_end{};  // in force after the last event
    std::uint64_t end_time_ns = 0;  // trace timestamp of the last event (0: untimed)

    Summary summary;
    std::vector<CollectionRecord> collections;
    std::vector<WeakrefCallbackRecord> weakref_callbacks;
    std::vector<FinalizerRecord> finalizers;
    std::vector<LeakRecord> leaks;             // at most SimOptions::max_leak_records
    std::uint64_t leaks_omitted = 0;           // leaked objects beyond that cap
    RetentionPathStore paths;                  // the paths of leaks and leak_groups
    std::vector<LeakGroup> leak_groups;        // largest first (bytes, then objects), as reported
    std::vector<ExpectFailure> expect_failures;
    std::array<PauseStats, 3> pauses{};  // per generation
    PauseStats pauses_all;
    std::array<std::uint64_t, 2> promoted{};  // objects moved gen0->gen1, gen1->gen2
    std::vector<TimelineSample> timeline;
    std::vector<SkippedEvents> skipped;  // --lenient: bad events per kind, in ErrorKind order
    RunProfile profile;                  // promotions by site, peaks, temporaries (run_profile.h)
};

}  // namespace heapsim

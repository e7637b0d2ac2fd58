#pragma once
// Workload profiles for `heapsim gen --profile mixed|web|cache|cycles`.
//
// `mixed` (random_trace.h) exercises every corner of the model at random;
// the others each model one kind of program and share its guarantees:
// deterministic per seed (own PRNG), valid by construction
// (no diagnostic, every expect holds), expressible in Python (events name
// only objects that are bound to a name or still hold their creation
// reference, so `heapsim verify` can replay them) and streaming. Unlike
// `mixed`, they are timestamped, and they know exactly which objects are dead and
// reuse those ids, last freed first, as an allocator reuses addresses: an
// object freed by reference counting at the event that frees it, an object
// of a garbage cycle after the next explicit full `collect`. So the number of
// distinct ids and names is bounded by the live set, not by the trace length.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace heapsim {

enum class WorkloadProfile : std::uint8_t { Mixed, Web, Cache, Cycles };

struct WorkloadOptions {
    std::uint64_t events = 10000;  // approximate; open constructs are finished
    std::uint64_t seed = 1;
    /// cache: the number of objects the caches hold once warm (0: the
    /// default, min(events / 8, 100000)). Ignored by the other profiles.
    std::uint64_t live = 0;
    /// mixed: also use a type with a legacy finalizer (tp_del). Ignored by
    /// the other profiles.
    bool legacy_finalizers = false;
    /// mixed: also name objects no name reaches (only a set holds them, or
    /// an unreachable cycle); false keeps to walkable ones (gen --walkable).
    bool unreachable_shapes = true;
};

/// What a generator kept track of, for tests and benchmarks.
struct WorkloadStats {
    std::uint64_t events = 0;        // events written
    std::uint64_t distinct_ids = 0;  // highest id number used
    // Not kept by `mixed`, which never reuses an id:
    std::uint64_t peak_tracked = 0;   // most objects the generator tracked at once (live or
                                      // awaiting a collection): its memory is proportional to this
    std::uint64_t full_collects = 0;  // explicit `collect` events (the points of cycle id reuse)
};

std::optional<WorkloadProfile> workload_profile_by_name(std::string_view name);

/// Writes a text trace of `profile` to `out`, streaming.
WorkloadStats write_workload_trace(WorkloadProfile profile, const WorkloadOptions& options,
                                   std::ostream& out);

WorkloadStats write_mixed_trace(const WorkloadOptions& options, std::ostream& out);
WorkloadStats write_web_trace(const WorkloadOptions& options, std::ostream& out);
WorkloadStats write_cache_trace(const WorkloadOptions& options, std::ostream& out);
WorkloadStats write_cycles_trace(const WorkloadOptions& options, std::ostream& out);

}  // namespace heapsim

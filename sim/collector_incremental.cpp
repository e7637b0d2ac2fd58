// CPython 3.14.0-3.14.4's incremental collector (gh-108362, reverted by
// 3.14.5, gh-142516), modelled from source, not verified: no interpreter of
// that line is available here (docs/policies.md). cpython-gc.md §6.4.
//
// Source read: Python/gc.c of the 3.14.0 line (the version whose
// assess_work_to_do caps the heap fraction at new_objects*3/2 and whose
// gc_collect_increment has no early `work_to_do < 0` return; later main
// changed both). Functions are cited by name: that file was read without
// its tag's line numbers.
//
// Lists: young = kGen0, old[0] = kGen1, old[1] = kGen2. An object's old
// space is the list it is in, so "not visited" (gc_old_space(gc) !=
// visited_space) is "in young or in the pending space".
//
// What a trace is to this collector: its bound names are module globals,
// reached by mark_global_roots through sys.modules at the first increment
// of each scavenge (mark_at_start). Between two statements the frame's
// stack is empty and the module frame's f_locals (the globals dict) is
// already visited, so the later mark_stacks(start=false) calls find
// nothing to mark. The interpreter's own objects (interpreter_objects)
// count in heap_size and are marked once per scavenge.
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {

namespace {
// Divide by 10, so that the default incremental threshold of 10 scans
// objects at 1% of the heap size (SCAN_RATE_DIVISOR, Python/gc.c).
constexpr std::int64_t kScanRateDivisor = 10;
}  // namespace

std::uint64_t Heap::incremental_collect(int generation, Trigger trigger) {
    // _PyGC_Collect: 0 -> gc_collect_young, 1 -> gc_collect_increment,
    // 2 -> gc_collect_full.
    switch (generation) {
        case 0:
            return collect_young(trigger);
        case 1:
            return collect_increment(trigger);
        default:
            return collect_full(trigger);
    }
}

// gc_collect_young: only gc.collect(0) runs it. Survivors join the visited
// space; old[visited].count += 1.
std::uint64_t Heap::collect_young(Trigger trigger) {
    const std::array<std::uint64_t, 3> sizes{objects_.size(kGen0), objects_.size(kGen1),
                                             objects_.size(kGen2)};
    untrack_tuples(kGen0);
    const std::uint64_t scanned = objects_.size(kGen0);
    deduce_unreachable(kGen0, kUnreachable);
    untrack_tuples(kGen0);
    const std::uint64_t survivors = objects_.size(kGen0);
    objects_.merge(kGen0, visited_list());
    const RegionOutcome out = collect_unreachable(visited_list());
    gc_.count[0] = 0;
    ++gc_.count[1 + visited_space_];
    record_collection(0, trigger, scanned, survivors, out, sizes, 0, false);
    return out.collected + out.uncollectable;
}

// assess_work_to_do: the new objects plus a heap fraction, capped at 3/2 of
// them; resets young.count.
std::int64_t Heap::assess_work_to_do() {
    const std::int64_t scale = std::max<std::int64_t>(2, gc_.threshold[1]);
    const auto new_objects = static_cast<std::int64_t>(gc_.count[0]);
    const std::int64_t max_heap_fraction = new_objects * 3 / 2;
    const std::int64_t heap_fraction =
        std::min(heap_size_ / kScanRateDivisor / scale, max_heap_fraction);
    gc_.count[0] = 0;
    return new_objects + heap_fraction;
}

// mark_all_reachable: breadth first from the kMarking list; every object
// taken moves to the visited space, every not-yet-visited tracked referent
// is queued (visit_add_to_container).
std::uint64_t Heap::mark_all_reachable() {
    std::uint64_t added = 0;
    const ListId visited = visited_list();
    while (!objects_.empty(kMarking)) {
        const Handle h = objects_.first(kMarking);
        objects_.move_tail(visited, h);
        const std::uint32_t n = objects_[h].nedges;
        for (std::uint32_t k = 0; k < n; ++k) {
            const Handle t = edge(h, visit_position(h, k)).target;
            if (objects_.tracked(t) && not_visited(t)) {
                objects_.move_tail(kMarking, t);
                ++added;
            }
        }
    }
    return added;
}

// mark_at_start = mark_global_roots + mark_stacks(start=true): the closure
// of the roots moves to the visited space. Roots here: the objects bound
// to names (module globals) and the interpreter's own objects (counted,
// not represented).
std::uint64_t Heap::mark_at_start() {
    std::uint64_t marked = options_.interpreter_objects;
    for (Handle h : names_) {
        // move_to_reachable: a tracked GC object not yet visited.
        if (h == kNoHandle || !objects_.tracked(h) || !not_visited(h)) continue;
        objects_.move_tail(kMarking, h);
        ++marked;
    }
    marked += mark_all_reachable();
    return marked;
}

// expand_region_transitively_reachable: from `from` to the end of the
// increment, every not-yet-visited tracked referent joins the increment.
std::uint64_t Heap::expand_region_transitively_reachable(Handle from) {
    std::uint64_t added = 0;
    for (Handle h = from; h != kNoHandle; h = objects_.next(h)) {
        const std::uint32_t n = objects_[h].nedges;
        for (std::uint32_t k = 0; k < n; ++k) {
            const Handle t = edge(h, visit_position(h, k)).target;
            if (objects_.tracked(t) && not_visited(t)) {
                objects_.move_tail(kIncrement, t);
                ++added;
            }
        }
    }
    return added;
}

// completed_scavenge: with the permanent generation empty the spaces swap
// (the old visited space is the next scavenge's pending one); otherwise the
// visited space is merged into the pending one.
void Heap::completed_scavenge() {
    if (objects_.empty(kPermanent)) {
        visited_space_ ^= 1;
    } else {
        objects_.merge(visited_list(), pending_list());
    }
    work_to_do_ = 0;
    mark_phase_ = true;
}

// gc_collect_increment: the automatic collection (_Py_RunGC calls
// _PyGC_Collect(tstate, 1, HEAP), no threshold re-check) and gc.collect(1).
std::uint64_t Heap::collect_increment(Trigger trigger) {
    const std::array<std::uint64_t, 3> sizes{objects_.size(kGen0), objects_.size(kGen1),
                                             objects_.size(kGen2)};
    work_to_do_ += assess_work_to_do();
    untrack_tuples(kGen0);
    if (mark_phase_) {
        // The first increment of a scavenge only marks. mark_at_start
        // subtracts the marked objects from work_to_do and the caller does
        // again. Nothing collected, add_stats not called; the callbacks
        // still fire with generation 1.
        const auto marked = static_cast<std::int64_t>(mark_at_start());
        work_to_do_ -= marked;
        mark_phase_ = false;
        work_to_do_ -= marked;
        record_collection(1, trigger, 0, 0, RegionOutcome{}, sizes,
                          static_cast<std::uint64_t>(marked), true);
        return 0;
    }
    // mark_stacks(start=false): nothing new between statements (above).
    objects_.merge(kGen0, kIncrement);
    auto increment_size = static_cast<std::int64_t>(objects_.size(kIncrement));
    const ListId pending = pending_list();
    while (increment_size < work_to_do_ && !objects_.empty(pending)) {
        const Handle g = objects_.first(pending);
        objects_.move_tail(kIncrement, g);
        ++increment_size;
        increment_size += static_cast<std::int64_t>(expand_region_transitively_reachable(g));
    }
    const auto scanned = static_cast<std::uint64_t>(increment_size);
    deduce_unreachable(kIncrement, kUnreachable);
    untrack_tuples(kIncrement);
    const std::uint64_t survivors = objects_.size(kIncrement);
    objects_.merge(kIncrement, visited_list());
    const RegionOutcome out = collect_unreachable(visited_list());
    const std::int64_t scale = std::max<std::int64_t>(2, gc_.threshold[1]);
    work_to_do_ += heap_size_ / kScanRateDivisor / scale;
    work_to_do_ -= increment_size;
    record_collection(1, trigger, scanned, survivors, out, sizes, 0, false);
    if (objects_.empty(pending_list())) completed_scavenge();
    return out.collected + out.uncollectable;
}

// gc_collect_full: gc.collect() / collect(2). Everything is merged into the
// visited space and collected there; all counts reset; the scavenge ends.
std::uint64_t Heap::collect_full(Trigger trigger) {
    const std::array<std::uint64_t, 3> sizes{objects_.size(kGen0), objects_.size(kGen1),
                                             objects_.size(kGen2)};
    untrack_tuples(kGen0);
    objects_.merge(kGen0, pending_list());
    gc_.count[0] = 0;
    objects_.merge(pending_list(), visited_list());
    const ListId visited = visited_list();
    const std::uint64_t scanned = objects_.size(visited);
    deduce_unreachable(visited, kUnreachable);
    untrack_tuples(visited);
    const RegionOutcome out = collect_unreachable(visited);
    gc_.count = {0, 0, 0};
    completed_scavenge();
    clear_freelists();
    record_collection(2, trigger, scanned, 0, out, sizes, 0, false);
    return out.collected + out.uncollectable;
}

}  // namespace heapsim

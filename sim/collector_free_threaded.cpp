// The free-threaded builds' collector (3.13t, 3.14t; Python/gc_free_threading.c),
// modelled from source, not verified (docs/policies.md). cpython-gc.md §6.6.
//
// No generations: every collection examines the whole GC heap, whatever
// generation is asked for. A trace is one thread, so the per-thread
// alloc_count of that thread is the only buffer. All tracked objects live in
// kGen0; the collection of that one list is the shared one (§5), with the
// heap as both `young` and `old`.
//
// Not modelled: the order of the mimalloc heap walk (the unreachable set is
// a work list built while walking the heap, so finalizer and tp_clear order
// can differ from allocation order); 3.14t's "mark alive" pre-pass, which
// only skips objects that the unreachable search would keep anyway.
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {

namespace {
// LOCAL_ALLOC_COUNT_THRESHOLD, Python/gc_free_threading.c:29@v3.13.0.
constexpr std::int64_t kLocalAllocCountThreshold = 512;
}  // namespace

// record_allocation (gc_free_threading.c:1058@v3.13.0): +1 on the thread's
// count; at +512 the count goes to the shared young count and, if
// gc_should_collect says so and no collection runs, one is scheduled.
void Heap::ft_record_allocation() {
    if (++ft_alloc_count_ < kLocalAllocCountThreshold) return;
    gc_.count[0] += static_cast<std::uint64_t>(ft_alloc_count_);
    ft_alloc_count_ = 0;
    if (options_.policy.collects() && !gc_.collecting && ft_should_collect()) gc_scheduled_ = true;
}

// record_deallocation (right after record_allocation, v3.13.0): -1; at -512 flushed. The shared count
// is a C int and may go below zero (kept here in the unsigned word, wrapping).
void Heap::ft_record_deallocation() {
    if (--ft_alloc_count_ > -kLocalAllocCountThreshold) return;
    gc_.count[0] += static_cast<std::uint64_t>(ft_alloc_count_);
    ft_alloc_count_ = 0;
}

// gc_should_collect: 3.13t :1043@v3.13.0; 3.14t :2118@v3.14.7 (§6.6).
bool Heap::ft_should_collect() {
    const auto count = static_cast<std::int64_t>(gc_.count[0]);
    const std::int64_t threshold = gc_.threshold[0];
    if (count <= threshold || threshold == 0 || !gc_.enabled) return false;
    const auto quarter = static_cast<std::int64_t>(gc_.long_lived_total / 4);
    if (traits_.kind == PolicyKind::CPython313t) return count > quarter || gc_.threshold[1] == 0;
    // 3.14t: old[0].threshold == 0 forces it; below a quarter of the
    // long-lived objects it waits (:2131); else the process memory decides.
    if (gc_.threshold[1] == 0) return true;
    if (count < quarter) return false;
    return ft_mem_usage_grew();
}

// gc_should_collect_mem_usage (:2080@v3.14.7). The process's RSS + swap is
// modelled as the trace's live bytes (KiB): the simulator has no process.
// A real process adds the interpreter's own memory to both readings, which
// makes the 10% growth harder to reach than here.
bool Heap::ft_mem_usage_grew() {
    const std::int64_t threshold = gc_.threshold[0];
    if (ft_deferred_count_ > threshold * 40) return true;  // :2089
    const auto mem = static_cast<std::int64_t>(live_bytes_ / 1024);
    if (mem - ft_last_mem_kib_ > std::max<std::int64_t>(ft_last_mem_kib_ / 10, 128))
        return true;  // :2100
    // :2109-2113: the young count is deferred, and the check starts again.
    ft_deferred_count_ += static_cast<std::int64_t>(gc_.count[0]);
    gc_.count[0] = 0;
    return false;
}

// gc_collect_main (v3.13.0; 3.14t :2328): an automatic run re-checks
// gc_should_collect; then the counters as the generational collectors keep
// them, and gc_collect_internal's phases in order: stop the world, merge
// refcounts, find the unreachable over the whole heap, record
// long_lived_total, clear weakrefs and queue callbacks, start the world,
// callbacks, finalizers, stop the world, resurrection check, clear
// freelists, start the world, delete_garbage, legacy finalizers.
std::uint64_t Heap::ft_collect(int generation, Trigger trigger, bool automatic) {
    if (automatic && !ft_should_collect()) return 0;
    const std::array<std::uint64_t, 3> sizes{objects_.size(kGen0), objects_.size(kGen1),
                                             objects_.size(kGen2)};
    if (generation + 1 < 3) ++gc_.count[generation + 1];
    for (int i = 0; i <= generation; ++i) gc_.count[i] = 0;
    objects_.merge(kGen1, kGen0);
    objects_.merge(kGen2, kGen0);
    const std::uint64_t scanned = objects_.size(kGen0);
    deduce_unreachable(kGen0, kUnreachable);
    untrack_tuples(kGen0);
    // state->long_lived_total: the surviving tracked objects (3.13t);
    // 3.14t (gh-142531, 3.14.3+) every object of the GC heap, tracked or not.
    if (traits_.kind == PolicyKind::CPython313t)
        gc_.long_lived_total = objects_.size(kGen0) + options_.interpreter_objects;
    else
        // heap_size_ already counts the interpreter's own objects.
        gc_.long_lived_total = static_cast<std::uint64_t>(heap_size_) - freelist_entries() -
                               objects_.size(kUnreachable);
    const RegionOutcome out = collect_unreachable(kGen0);
    clear_freelists();  // _PyGC_ClearAllFreeLists, every collection
    // 3.14t: the collection records the process memory and forgets the
    // deferred count (:2301).
    ft_last_mem_kib_ = static_cast<std::int64_t>(live_bytes_ / 1024);
    ft_deferred_count_ = 0;
    record_collection(generation, trigger, scanned, 0, out, sizes, 0, false);
    return out.collected + out.uncollectable;
}

}  // namespace heapsim

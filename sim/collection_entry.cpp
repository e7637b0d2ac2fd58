// Where a collection enters the policy's collector: gc.collect(generation),
// the automatic run at a safe point, and gc.get_count(). The generational
// collectors (3.8-3.13, 3.14.5+) are collector.cpp; 3.14.0's incremental one
// collector_incremental.cpp; the free-threaded ones collector_free_threaded.cpp.
#include "sim/heap.h"

namespace heapsim {

std::uint64_t Heap::collect(int generation, Trigger trigger) {
    switch (traits_.collector) {
        case Collector::Incremental:
            return incremental_collect(generation, trigger);
        case Collector::FreeThreaded:
            return ft_collect(generation, trigger, false);
        case Collector::Generational:
            break;
    }
    return collect_with_stats(generation, trigger);
}

// _Py_RunGC: the generational collectors pick a generation from the counts
// of this moment (possibly none); 3.14.0 runs one increment whatever the
// counts (Python/gc.c:_Py_RunGC); free-threaded gc_collect_main(tstate, 0,
// HEAP) asks gc_should_collect again (gc_free_threading.c:1676@v3.13.0).
void Heap::run_scheduled() {
    if (gc_.collecting) return;  // finalizers of this collection: it runs after
    gc_scheduled_ = false;
    if (!gc_.enabled) return;
    set_collecting(true);
    switch (traits_.collector) {
        case Collector::Generational:
            collect_generations();
            break;
        case Collector::Incremental:
            collect_increment(Trigger::Threshold);
            break;
        case Collector::FreeThreaded:
            ft_collect(0, Trigger::Threshold, true);
            break;
    }
    set_collecting(false);
}

// gc.get_count(). 3.14.0: (young, old[visited], old[pending]) (gc_get_count
// over GEN_HEAD order, §6.4). Free-threaded: the calling thread's buffered
// count is flushed first (Modules/gcmodule.c:gc_get_count_impl), which
// changes the state as the real call does.
std::array<std::int64_t, 3> Heap::get_count() {
    if (free_threaded_ && ft_alloc_count_ != 0) {
        gc_.count[0] += static_cast<std::uint64_t>(ft_alloc_count_);
        ft_alloc_count_ = 0;
    }
    std::array<std::int64_t, 3> c{};
    for (int i = 0; i < 3; ++i) c[i] = static_cast<std::int64_t>(gc_.count[i]);
    if (traits_.collector == Collector::Incremental) {
        c[1] = static_cast<std::int64_t>(gc_.count[1 + visited_space_]);
        c[2] = static_cast<std::int64_t>(gc_.count[1 + (visited_space_ ^ 1)]);
    }
    return c;
}

}  // namespace heapsim

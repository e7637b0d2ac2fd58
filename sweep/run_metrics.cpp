#include "sweep/run_metrics.h"

#include <algorithm>

namespace heapsim::sweep {

RunMetrics metrics_of(const RunResult& r) {
    RunMetrics m;
    m.collections = r.summary.collections;
    m.gc_time_ns = r.pauses_all.total_ns;
    m.p50_pause_ns = r.pauses_all.p50_ns;
    m.p99_pause_ns = r.pauses_all.p99_ns;
    m.max_pause_ns = r.pauses_all.max_ns;
    m.peak_live_bytes = r.summary.peak_live_bytes;
    m.collected_by_gc = r.summary.collected_by_gc;
    m.end_time_ns = r.end_time_ns;
    std::uint64_t cyclic_at_end = 0;
    for (const LeakGroup& g : r.leak_groups) {
        if (!is_garbage(g.reason)) continue;
        m.leaked_objects += g.objects;
        m.leaked_bytes += g.bytes;
        if (g.reason != LeakReason::NeverStored) cyclic_at_end += g.bytes;
    }
    m.peak_cyclic_garbage_bytes = std::max(cyclic_at_end, r.profile.peak_cyclic_garbage_bytes.value);
    for (const CollectionRecord& c : r.collections)
        m.peak_cyclic_garbage_bytes = std::max(m.peak_cyclic_garbage_bytes, c.bytes_freed);
    return m;
}

}  // namespace heapsim::sweep

// Pause percentiles (the heap timeline: timeline.cpp).
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {
namespace {

// Nearest-rank percentile of sorted values.
std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, unsigned p) {
    if (sorted.empty()) return 0;
    std::size_t rank = (sorted.size() * p + 99) / 100;
    if (rank == 0) rank = 1;
    return sorted[rank - 1];
}

PauseStats stats_of(std::vector<std::uint64_t> pauses) {
    PauseStats s;
    std::sort(pauses.begin(), pauses.end());
    s.count = pauses.size();
    for (auto p : pauses) s.total_ns += p;
    s.p50_ns = percentile(pauses, 50);
    s.p95_ns = percentile(pauses, 95);
    s.p99_ns = percentile(pauses, 99);
    s.max_ns = pauses.empty() ? 0 : pauses.back();
    return s;
}

}  // namespace

void Heap::compute_statistics(RunResult& r) const {
    std::vector<std::uint64_t> all, per_gen[3];
    for (const auto& c : collections_) {
        all.push_back(c.pause_ns);
        per_gen[c.generation].push_back(c.pause_ns);
    }
    for (int g = 0; g < 3; ++g) r.pauses[g] = stats_of(per_gen[g]);
    r.pauses_all = stats_of(all);
    r.promoted = promoted_;
}

}  // namespace heapsim

// Pause percentiles and the heap timeline.
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {
namespace {

constexpr std::size_t kTimelineMax = 2048;

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

// One sample every `timeline_stride_` events; when the buffer fills, every
// other sample is dropped and the stride doubles, so a trace of any length
// gives at most kTimelineMax evenly spaced samples.
void Heap::sample_timeline() {
    if (event_number_ % timeline_stride_ != 0) return;
    if (timeline_.size() == kTimelineMax) {
        std::size_t kept = 0;
        for (std::size_t i = 1; i < timeline_.size(); i += 2) timeline_[kept++] = timeline_[i];
        timeline_.resize(kept);
        timeline_stride_ *= 2;
        if (event_number_ % timeline_stride_ != 0) return;
    }
    timeline_.push_back(TimelineSample{event_number_, time_ns_, live_objects_, live_bytes_,
                                       {gc_.count[0], gc_.count[1], gc_.count[2]}});
}

}  // namespace heapsim

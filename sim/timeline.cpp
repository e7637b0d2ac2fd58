// The heap over time: a bounded number of samples of live objects, live
// bytes and cyclic garbage held (docs/report.md, "Memory over time").
//
// Cyclic garbage held is exact only by marking the heap from the roots, which
// costs the whole live heap. Marking at every sample of a long run over a big
// heap would cost more than the run, so measurements are paid from a budget
// that grows with the events replayed: a sample marks the heap when the
// budget covers the heap's size, and otherwise repeats the latest exact
// measurement, saying at which event it was made (garbage_measured_at). A
// heap small against the run's length is measured at every sample; the
// budget bounds the total cost at kBaseVisits + events / kEventsPerVisit
// object and reference visits (a few per cent of the run at most: the
// figures are in docs/report.md).
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {
namespace {

// At most 1000 samples with the one finish() adds at the last event; even,
// so that decimation pairs them all.
constexpr std::size_t kTimelineMax = 998;
// Marking budget, in objects and references visited.
constexpr std::uint64_t kBaseVisits = std::uint64_t{1} << 23;
constexpr std::uint64_t kEventsPerVisit = 8;

}  // namespace

bool Heap::garbage_budget_allows() const {
    const std::uint64_t cost = objects_.capacity() + bound_names_.size();
    return marking_.visits + cost <= kBaseVisits + event_number_ / kEventsPerVisit;
}

// Roots as report-schema.md defines them: the bound names and the objects
// still holding their creation reference. gc.garbage is not a root: what it
// holds is garbage the collector will never reclaim, so it counts.
std::uint64_t Heap::measure_garbage() {
    const std::size_t n = objects_.capacity();
    marks_.assign(n, 0);
    mark_stack_.clear();
    const auto push = [&](Handle h) {
        if (marks_[h]) return;
        marks_[h] = 1;
        mark_stack_.push_back(h);
    };
    // The names bound now; the list forgets the others (names_ is indexed
    // by symbol, as large as the trace's vocabulary: never scanned here).
    std::size_t kept = 0;
    for (Sym name : bound_names_) {
        if (names_[name] == kNoHandle) {
            name_listed_[name] = 0;
            continue;
        }
        bound_names_[kept++] = name;
        push(names_[name]);
    }
    const std::uint64_t names = bound_names_.size();
    bound_names_.resize(kept);
    // The objects still holding their creation reference: the listed ones
    // (new_object lists each), not a scan of every handle. The budget still
    // counts the n handles such a scan visits, so that the samples measured,
    // and the report, do not depend on how the roots are found.
    kept = 0;
    for (Handle h : roots_) {
        const std::uint16_t f = objects_[h].flags;
        if (!((f & flag::kLive) && (f & flag::kCreationRef))) {
            root_listed_[h] = 0;
            continue;
        }
        roots_[kept++] = h;
        push(h);
    }
    roots_.resize(kept);
    std::uint64_t reachable = 0, visits = n + names;
    while (!mark_stack_.empty()) {
        const Handle h = mark_stack_.back();
        mark_stack_.pop_back();
        const Object& o = objects_[h];
        if (!(o.flags & flag::kHidden)) reachable += o.bytes;
        visits += o.nedges;
        if (o.nedges == 0) continue;
        // Tombstones of a keyed container (sim/key_index.h) go first, as
        // edge() does; the raw read below then sees the dense order.
        if (o.flags & flag::kSparseEdges) [[unlikely]]
            compact_keyed(h);
        const Edge* edges = refs_.at(objects_[h].edges);
        for (std::uint32_t k = 0; k < o.nedges; ++k) push(edges[k].target);
    }
    ++marking_.marks;
    marking_.visits += visits;
    const std::uint64_t garbage = live_bytes_ - reachable;
    last_garbage_ = garbage;
    last_garbage_event_ = event_number_;
    if (garbage > peak_garbage_.value) peak_garbage_ = PeakPoint{event_number_, garbage};
    return garbage;
}

// Keeps roots_ to the objects that still hold their creation reference once
// it has doubled since the last time, so that it stays bounded by the live
// heap however rarely the garbage is measured.
void Heap::compact_roots() {
    std::size_t kept = 0;
    for (Handle h : roots_) {
        const std::uint16_t f = objects_[h].flags;
        if ((f & flag::kLive) && (f & flag::kCreationRef)) {
            roots_[kept++] = h;
        } else {
            root_listed_[h] = 0;
        }
    }
    roots_.resize(kept);
    roots_compact_at_ = std::max(kRootsCompactMin, 2 * kept);
}

TimelineSample Heap::timeline_sample() {
    // As gc.get_count() reads (Heap::get_count), without its flush: a
    // free-threaded young count below zero (kept wrapped) shows as 0;
    // 3.14.0 shows (young, visited space, pending space).
    const std::uint64_t c0 = static_cast<std::int64_t>(gc_.count[0]) < 0 ? 0 : gc_.count[0];
    const bool incremental = traits_.collector == Collector::Incremental;
    const std::uint64_t c1 = incremental ? gc_.count[1 + visited_space_] : gc_.count[1];
    const std::uint64_t c2 = incremental ? gc_.count[1 + (visited_space_ ^ 1)] : gc_.count[2];
    TimelineSample s{event_number_, time_ns_, live_objects_, live_bytes_, {c0, c1, c2}};
    if (garbage_budget_allows()) {
        s.cyclic_garbage_bytes = measure_garbage();
    } else {
        s.cyclic_garbage_bytes = last_garbage_;
        ++marking_.samples_carried;
    }
    s.garbage_measured_at = last_garbage_event_;
    return s;
}

// One sample every `timeline_stride_` events; when the buffer fills, each
// pair of neighbours keeps the one with more live bytes (so the peaks stay
// on the chart) and the stride doubles: at most kTimelineMax samples.
// The stride is a power of two: a mask, not a division, on every event.
void Heap::add_timeline_sample() {
    if (timeline_.size() == kTimelineMax) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i + 1 < timeline_.size(); i += 2) {
            const TimelineSample& a = timeline_[i];
            const TimelineSample& b = timeline_[i + 1];
            timeline_[kept++] = b.live_bytes > a.live_bytes ? b : a;
        }
        timeline_.resize(kept);
        timeline_stride_ *= 2;
        if ((event_number_ & (timeline_stride_ - 1)) != 0) return;
    }
    timeline_.push_back(timeline_sample());
}

}  // namespace heapsim

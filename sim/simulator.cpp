#include "sim/simulator.h"

#include <algorithm>
#include <utility>

#include "sim/heap.h"

namespace heapsim {

const char* trigger_name(Trigger t) {
    return t == Trigger::Threshold ? "threshold" : "collect";
}

const char* leak_reason_name(LeakReason r) {
    switch (r) {
        case LeakReason::Cycle:
            return "cycle";
        case LeakReason::Uncollectable:
            return "uncollectable";
        case LeakReason::NeverStored:
            return "never-stored";
        case LeakReason::LiveAtEnd:
            return "live-at-end";
    }
    return "?";
}

Simulator::Simulator(const SimOptions& options, SymbolTable& symbols)
    : heap_(std::make_unique<Heap>(options, symbols)), freeze_at_(options.freeze_at) {}

Simulator::~Simulator() = default;

std::optional<Diagnostic> Simulator::apply_and_freeze(const Event& event) {
    std::optional<Diagnostic> d = heap_->apply(event);
    if (!d) {
        // freeze-at=N: the program called gc.freeze() once event N was done.
        Event freeze = event;
        freeze.kind = EventKind::GcControl;
        freeze.action = GcAction::Freeze;
        freeze.refs = {};
        d = heap_->apply(freeze);
    }
    return d;
}

void Simulator::note_skipped(const Diagnostic& diagnostic) {
    heap_->note_skipped(diagnostic);
}

RunResult Simulator::finish(const std::string& trace_path, std::uint64_t events) {
    return heap_->finish(trace_path, events);
}

std::uint64_t Simulator::live_objects() const {
    return heap_->live_objects();
}

std::vector<MemoryUse> Simulator::memory_use() const {
    return heap_->memory_use();
}

ObjectInfo Simulator::describe(Sym id) const {
    return heap_->describe(id);
}
std::optional<AccessPath> Simulator::access_path(Sym id) const {
    return heap_->access_path(id);
}
std::optional<std::uint32_t> Simulator::position_of(Sym container, Sym ref) const {
    return heap_->position_of(container, ref);
}
Sym Simulator::key_at(Sym container, std::uint32_t position) const {
    return heap_->key_at(container, position);
}
Sym Simulator::next_append_key(Sym container) const {
    return heap_->next_append_key(container);
}
std::vector<Sym> Simulator::clear_order(Sym container) const {
    return heap_->clear_order(container);
}
std::vector<Sym> Simulator::type_keys(Sym type) const {
    return heap_->type_keys(type);
}
const std::vector<Sym>& Simulator::freed_ids() const {
    return heap_->freed_ids();
}

Heap::Heap(const SimOptions& options, SymbolTable& symbols)
    : options_(options), symbols_(symbols), types_(symbols), traits_(options.policy.traits()) {
    gc_.threshold = options.policy.thresholds;
    forget_ids_ = symbols.forgets_dead_ids();
    gc_.long_lived_total = options.interpreter_objects;
    heap_size_ = static_cast<std::int64_t>(options.interpreter_objects);
    free_threaded_ = traits_.collector == Collector::FreeThreaded;
    refresh_trigger();
    trash_limit_ =
        traits_.trashcan_limit == PolicyTraits::kNoTrashcan ? INT_MAX : traits_.trashcan_limit;
    trash_drain_at_ = traits_.trashcan_drain_at;
}

// The reader's skipped events of a buffered trace are noted before the
// simulator's, so lines do not come in order: keep the smallest few.
void Heap::note_skipped(const Diagnostic& d) {
    const auto k = static_cast<std::size_t>(d.kind);
    ++skipped_[k];
    std::vector<std::uint64_t>& lines = skipped_lines_[k];
    lines.insert(std::upper_bound(lines.begin(), lines.end(), d.line), d.line);
    if (lines.size() > kSkippedLinesShown) lines.pop_back();
}

RunResult Heap::finish(const std::string& trace_path, std::uint64_t events) {
    RunResult r;
    r.trace_path = trace_path;
    r.events = events;
    r.policy = options_.policy.name();
    r.provenance = traits_.provenance;
    r.collector = !options_.policy.collects()                    ? "none"
                  : traits_.collector == Collector::Generational ? "generational"
                  : traits_.collector == Collector::Incremental  ? "incremental"
                                                                 : "free-threaded";
    r.pause_model = options_.pause_model.name;
    r.pause_model_source = options_.pause_model.source;
    r.thresholds = options_.policy.thresholds;
    r.trace_thresholds_followed = options_.policy.follow_trace_thresholds;
    r.threshold_events = threshold_events_;
    r.threshold_events_applied = threshold_events_applied_;
    r.thresholds_at_end = gc_.threshold;
    r.end_time_ns = time_ns_;
    summary_.live_at_end = live_objects_;
    summary_.live_bytes_at_end = live_bytes_;
    const std::array<std::int64_t, 3> count = get_count();
    // The free-threaded young count can be negative (a -512 flush); the
    // report's counts are unsigned and show 0 then (docs/policies.md).
    for (int i = 0; i < 3; ++i)
        summary_.final_count[i] = static_cast<std::uint64_t>(std::max<std::int64_t>(count[i], 0));
    r.summary = summary_;
    r.collections = collections_;
    // Moved, not copied: one record per finalizer and callback run, so on a
    // long trace they are the largest thing the report needs (~3.6 MB at
    // 10^8 `web` events) and a copy doubled them at the end of the run.
    r.weakref_callbacks = std::move(callbacks_);
    r.finalizers = std::move(finalizers_);
    r.expect_failures = expect_failures_;
    analyse_leaks(r);
    compute_statistics(r);
    r.timeline = timeline_;
    // The last sample is always measured: its garbage is the run's garbage.
    if (!r.timeline.empty() && r.timeline.back().event == event_number_) r.timeline.pop_back();
    r.timeline.push_back(TimelineSample{event_number_,
                                        time_ns_,
                                        live_objects_,
                                        live_bytes_,
                                        summary_.final_count});
    r.timeline.back().cyclic_garbage_bytes = measure_garbage();
    r.timeline.back().garbage_measured_at = event_number_;
    for (Handle h = kListCount; h < objects_.capacity(); ++h)
        if (objects_[h].flags & flag::kLive) site_stats_.on_live_at_end(objects_[h].profile);
    site_stats_.fill(r.profile, types_, symbols_, options_.profile_top, promoted_[0] + promoted_[1]);
    r.profile.peak_live_bytes = PeakPoint{peak_live_bytes_event_, summary_.peak_live_bytes};
    r.profile.peak_cyclic_garbage_bytes = peak_garbage_;
    r.profile.at_peak.event = peak_live_bytes_event_;
    r.profile.at_peak.live_bytes = summary_.peak_live_bytes;
    r.profile.marking = marking_;
    for (int k = 0; k < kErrorKindCount; ++k)
        if (skipped_[k])
            r.skipped.push_back(
                {error_kind_name(static_cast<ErrorKind>(k)), skipped_[k], skipped_lines_[k]});
    return r;
}

}  // namespace heapsim

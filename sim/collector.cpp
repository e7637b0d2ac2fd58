// CPython 3.11's cyclic collector (Modules/gcmodule.c), step by step on the
// heap's intrusive lists. Comments name the CPython function each part
// mirrors; the order of every list operation matters because it decides the
// order of finalizers, weakref callbacks, tuple untracking and tp_clear.
#include "sim/heap.h"
#include "sim/pause_model.h"

namespace heapsim {

// gc_collect_generations: the oldest generation over its threshold, except
// that a full collection waits until the objects that survived generation-1
// collections since the last full one exceed a quarter of the long-lived ones.
std::uint64_t Heap::freelist_entries() const {
    std::uint64_t kept = free_lists_.list + free_lists_.dict;
    for (std::uint32_t n : free_lists_.tuple) kept += n;
    return kept;
}

std::uint64_t Heap::collect_generations() {
    for (int i = 2; i >= 0; --i) {
        if (static_cast<std::int64_t>(gc_.count[i]) > gc_.threshold[i]) {
            if (i == 2 && gc_.long_lived_pending < gc_.long_lived_total / 4) continue;
            return collect_with_stats(i, Trigger::Threshold);
        }
    }
    return 0;
}

// The referents of h that are in the generation being collected, in
// tp_traverse order.
void Heap::traverse_collecting(Handle h, std::vector<Handle>& out) const {
    out.clear();
    const std::uint32_t n = objects_[h].nedges;
    for (std::uint32_t k = 0; k < n; ++k) {
        const Handle t = edge(h, visit_position(h, k)).target;
        if (objects_[t].flags & flag::kCollecting) out.push_back(t);
    }
}

// update_refs, subtract_refs, move_unreachable. Adds the references
// subtract_refs traverses to references_traversed_ (the pause model's count).
void Heap::deduce_unreachable(ListId young, ListId unreachable) {
    std::uint64_t references = 0;
    for (Handle h = objects_.first(young); h != kNoHandle; h = objects_.next(h)) {
        objects_[h].gc_refs = objects_[h].refcnt;
        objects_[h].flags |= flag::kCollecting;
    }
    for (Handle h = objects_.first(young); h != kNoHandle; h = objects_.next(h)) {
        const Object& o = objects_[h];
        references += o.nedges;
        for (std::uint32_t k = 0; k < o.nedges; ++k) {
            Object& t = objects_[edge(h, k).target];
            if (t.flags & flag::kCollecting) --t.gc_refs;
        }
    }
    Handle h = objects_.first(young);
    while (h != kNoHandle) {
        Handle next;
        if (objects_[h].gc_refs > 0) {
            traverse_collecting(h, work_);
            for (Handle t : work_) {
                Object& r = objects_[t];
                if (r.flags & flag::kUnreachable) {
                    // Met before its referrer: back to the young tail, to be scanned again.
                    r.flags &= ~flag::kUnreachable;
                    objects_.move_tail(young, t);
                    r.gc_refs = 1;
                } else if (r.gc_refs == 0) {
                    r.gc_refs = 1;
                }
            }
            objects_[h].flags &= ~flag::kCollecting;
            SiteStats::add_age(objects_[h].profile);  // found reachable: survives this one
            next = objects_.next(h);  // after the traversal: it may have appended
        } else {
            next = objects_.next(h);
            objects_.move_tail(unreachable, h);
            objects_[h].flags |= flag::kUnreachable;
        }
        h = next;
    }
    references_traversed_ += references;
}

// untrack_tuples: a surviving tuple whose items the collector never needs to
// see is untracked. Items this model does not represent (the callbacks held
// by interpreter-internal argument tuples) are functions, which it would see.
void Heap::untrack_tuples(ListId young) {
    for (Handle h = objects_.first(young); h != kNoHandle;) {
        const Handle next = objects_.next(h);
        const Object& o = objects_[h];
        if (types_[o.type].layout == Layout::Tuple && o.tuple_size() == o.nedges) {
            bool keep = false;
            for (std::uint32_t k = 0; k < o.nedges && !keep; ++k)
                keep = may_be_tracked(edge(h, k).target);
            if (!keep) objects_.unlink(h);
        }
        h = next;
    }
}

// untrack_dicts (full collections only): _PyDict_MaybeUntrack.
void Heap::untrack_dicts(ListId young) {
    for (Handle h = objects_.first(young); h != kNoHandle;) {
        const Handle next = objects_.next(h);
        if (objects_[h].type == types_.dict()) {
            bool keep = false;
            for (std::uint32_t k = 0; k < objects_[h].nedges && !keep; ++k)
                keep = may_be_tracked(edge(h, k).target);
            if (!keep) objects_.unlink(h);
        }
        h = next;
    }
}

// move_legacy_finalizers + move_legacy_finalizer_reachable: objects with
// tp_del, and everything they reach in the garbage, are uncollectable.
void Heap::move_legacy_finalizers() {
    for (Handle h = objects_.first(kUnreachable); h != kNoHandle;) {
        const Handle next = objects_.next(h);
        Object& o = objects_[h];
        o.flags &= ~flag::kUnreachable;
        if (types_[o.type].legacy_finalizer) {
            o.flags &= ~flag::kCollecting;
            objects_.move_tail(kLegacy, h);
        }
        h = next;
    }
    for (Handle h = objects_.first(kLegacy); h != kNoHandle; h = objects_.next(h)) {
        traverse_collecting(h, work_);
        for (Handle t : work_) {
            objects_.move_tail(kLegacy, t);
            objects_[t].flags &= ~flag::kCollecting;
        }
    }
}

// handle_weakrefs: every weakref to the garbage is cleared before any
// callback or finalizer runs; callbacks run only for weakrefs that are not
// garbage themselves. Returns the weakrefs freed right after their callback.
std::uint64_t Heap::handle_weakrefs(ListId old) {
    for (Handle h = objects_.first(kUnreachable); h != kNoHandle; h = objects_.next(h)) {
        const TypeInfo& t = types_[objects_[h].type];
        if (t.layout == Layout::Weakref) detach_weakref(h);
        if (!t.weakrefable) continue;
        for (Handle wr = objects_[h].first_weakref(); wr != kNoHandle;
             wr = objects_[h].first_weakref()) {
            detach_weakref(wr);
            if (weak_infos_[objects_[wr].weak_info()].label == kNoSym) continue;
            if (objects_[wr].flags & flag::kCollecting) continue;
            incref(wr);
            objects_.move_tail(kCallbacks, wr);
        }
    }
    if (!hooks_.empty()) queue_hook_callbacks();
    std::uint64_t freed = 0;
    while (!objects_.empty(kCallbacks)) {
        const Handle wr = objects_.first(kCallbacks);
        if (hooks_.empty() || !run_hook_callback(wr)) record_callback(wr);
        objects_[wr].flags |= flag::kGcFreed;
        decref(wr);
        if (objects_.first(kCallbacks) == wr) {
            objects_[wr].flags &= ~flag::kGcFreed;
            objects_.move_tail(old, wr);
        } else {
            ++freed;
        }
    }
    return freed;
}

// finalize_garbage: tp_finalize (__del__) once per object, in list order.
void Heap::finalize_garbage() {
    while (!objects_.empty(kUnreachable)) {
        const Handle h = objects_.first(kUnreachable);
        objects_.move_tail(kSeen, h);
        Object& o = objects_[h];
        if (!(o.flags & flag::kFinalized) && types_[o.type].finalizer) {
            o.flags |= flag::kFinalized;
            record_finalizer(h);
            if (!hooks_.empty()) run_hook(GcAction::Finalizer, h);
        }
    }
    objects_.merge(kSeen, kUnreachable);
}

// tp_clear of one object; tuples have none.
void Heap::gc_clear(Handle h) {
    if (types_[objects_[h].type].layout == Layout::Tuple) return;
    release_all(h);
}

// delete_garbage: clear the head of the list until the cascades have freed
// everything; a survivor moves to the older generation.
// Garbage that survives its own clear usually dies when a later one is
// cleared; it still counts as freed by this collection, so the mark stays
// until the end.
void Heap::delete_garbage(ListId old) {
    for (Handle h = objects_.first(kUnreachable); h != kNoHandle; h = objects_.next(h))
        objects_[h].flags |= flag::kGcFreed;
    const std::size_t base = survivors_.size();
    while (!objects_.empty(kUnreachable)) {
        const Handle h = objects_.first(kUnreachable);
        incref(h);
        gc_clear(h);
        decref(h);
        if (objects_.first(kUnreachable) == h) {
            objects_[h].flags &= ~flag::kCollecting;
            objects_.move_tail(old, h);
            survivors_.push_back(h);
        }
    }
    for (std::size_t i = base; i < survivors_.size(); ++i) {
        Object& o = objects_[survivors_[i]];
        if ((o.flags & flag::kLive) && o.list != kUntracked) o.flags &= ~flag::kGcFreed;
    }
    survivors_.resize(base);
}

// clear_freelists (full collections): the kept objects are really freed,
// each decrementing count0, never below zero.
void Heap::clear_freelists() {
    const std::uint64_t kept = freelist_entries();
    free_lists_ = FreeLists{};
    if (traits_.collector == Collector::FreeThreaded) {
        for (std::uint64_t i = 0; i < kept; ++i) gc_unlink_count();
        return;
    }
    heap_size_ -= static_cast<std::int64_t>(kept);
    gc_.count[0] = kept >= gc_.count[0] ? 0 : gc_.count[0] - kept;
}

// Steps 6-14 of gc_collect_main (cpython-gc.md §5), shared by every
// collector (gc_collect_region does the same, Python/gc.c of 3.14.0): the
// unreachable list is garbage; what survives its handling goes to `old`.
Heap::RegionOutcome Heap::collect_unreachable(ListId old) {
    const std::size_t finalizers_before = finalizers_.size(), callbacks_before = callbacks_.size();
    move_legacy_finalizers();
    bytes_freed_in_collection_ = 0;
    std::uint64_t collected = handle_weakrefs(old);
    finalize_garbage();
    // handle_resurrected_objects: only a finalizer hook (`gc finalizer`) can
    // store a reference; without one the list stays as it is.
    if (hook_bound_) handle_resurrected_objects(old);
    hook_bound_ = false;
    hooks_.clear();  // armed for this collection only
    collected += objects_.size(kUnreachable);
    delete_garbage(old);
    const std::uint64_t uncollectable = objects_.size(kLegacy);
    for (Handle h = objects_.first(kLegacy); h != kNoHandle; h = objects_.next(h)) {
        Object& o = objects_[h];
        if (types_[o.type].legacy_finalizer && !(o.flags & flag::kGarbage)) {
            o.flags |= flag::kGarbage;
            incref(h);  // gc.garbage holds it
            garbage_.push_back(h);
        }
    }
    objects_.merge(kLegacy, old);
    return RegionOutcome{collected, uncollectable, finalizers_.size() - finalizers_before,
                         callbacks_.size() - callbacks_before};
}

// The report's record of one collection (or, 3.14.0, one marking step).
void Heap::record_collection(int generation, Trigger trigger, std::uint64_t scanned,
                             std::uint64_t promoted, RegionOutcome out,
                             const std::array<std::uint64_t, 3>& gen_sizes, std::uint64_t marked,
                             bool mark_only) {
    CollectionRecord rec;
    rec.seq = collections_.size() + 1;
    rec.event = event_number_;
    rec.thresholds = gc_.threshold;
    rec.threshold_events = threshold_events_applied_;
    rec.time_ns = time_ns_;
    rec.generation = generation;
    rec.trigger = trigger;
    rec.collected = out.collected;
    rec.uncollectable = out.uncollectable;
    rec.scanned = scanned;
    rec.promoted = promoted;
    rec.pause_ns = options_.pause_model.pause_ns(
        CollectionCost{scanned + marked, references_traversed_, out.collected + out.uncollectable,
                       out.finalizers, out.callbacks});
    references_traversed_ = 0;
    rec.bytes_freed = mark_only ? 0 : bytes_freed_in_collection_;
    rec.gen_sizes = gen_sizes;
    rec.marked = marked;
    rec.mark_only = mark_only;
    collections_.push_back(rec);
    ++summary_.collections[generation];
    summary_.uncollectable += out.uncollectable;
}

// gc_collect_main for generation `n`, with the bookkeeping of
// gc_collect_with_callback. Returns collected + uncollectable.
std::uint64_t Heap::collect_with_stats(int n, Trigger trigger) {
    const std::array<std::uint64_t, 3> gen_sizes{objects_.size(kGen0), objects_.size(kGen1),
                                                 objects_.size(kGen2)};
    if (n + 1 < 3) ++gc_.count[n + 1];
    for (int i = 0; i <= n; ++i) gc_.count[i] = 0;
    const auto young = static_cast<ListId>(n);
    for (int i = 0; i < n; ++i) objects_.merge(static_cast<ListId>(i), young);
    const ListId old = n < 2 ? static_cast<ListId>(n + 1) : young;
    const std::uint64_t scanned = objects_.size(young);

    deduce_unreachable(young, kUnreachable);
    untrack_tuples(young);
    std::uint64_t promoted = 0;
    if (young != old) {
        promoted = objects_.size(young);
        if (n == 1) gc_.long_lived_pending += promoted;
        promoted_[n] += promoted;
        for (Handle h = objects_.first(young); h != kNoHandle; h = objects_.next(h))
            site_stats_.on_promoted(objects_[h].profile);
        objects_.merge(young, old);
    } else {
        if (traits_.untrack_dicts) untrack_dicts(young);
        gc_.long_lived_pending = 0;
        gc_.long_lived_total =
            objects_.size(young) + (gc_.interpreter_frozen ? 0 : options_.interpreter_objects);
    }
    const RegionOutcome out = collect_unreachable(old);
    if (n == 2) clear_freelists();
    record_collection(n, trigger, scanned, promoted, out, gen_sizes, 0, false);
    return out.collected + out.uncollectable;
}

}  // namespace heapsim

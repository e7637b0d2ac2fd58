// What __del__ and weakref callbacks did inside a recorded collection, as
// collection hooks for the model (docs/recording.md, "Finalizers and weakref
// callbacks"; docs/trace-format.md, "Collection hooks").
//
// The recording shows a collection as its snapshot (COLLECT_START), then the
// deaths and creations while it ran, then its result (COLLECT_STOP). The
// importer reads those records ahead before it emits the collection, and
// compares them with the garbage the snapshot implies (objects unreachable
// from outside the collected generations):
//
//   - garbage that does not die in the collection was resurrected by a
//     finalizer (cpython-gc.md §5.7): each such object with a finalizer gets
//     `gc finalizer oK oK` (its finalizer binds its pin again), and the
//     model's handle_resurrected_objects keeps it and what it reaches;
//     such garbage with no finalizer that no resurrected object reaches was
//     stored by another object's finalizer: it is pinned before the
//     collection (resurrected_by_others);
//   - objects outside the garbage that die before any garbage does died in
//     the weakref-callback step (§5.5; callbacks run before finalizers and
//     before delete_garbage frees anything). A weakref freed right after
//     its callback counts as collected (rule (d)); the recorded `collected`
//     says how many: that many of them get `gc callback oK oK` (the
//     callback drops the weakref's pin), in the order they died. Which
//     objects can be: from format 2 on, the WEAKREF records after the
//     snapshot name every weakref to an object of the collected
//     generations, so exactly the weakrefs whose callback the collection
//     runs (select_callback_weakrefs); a version 1 recording has none, and
//     types named like a weakref are taken first (a guess: the import
//     counts the collections where it made one, stats().callbacks_by_name).
#include <algorithm>

#include "recording/snapshot_import.h"

namespace heapsim {

namespace {

bool weakref_type_name(const std::string& name) {
    return name.find("ref") != std::string::npos || name.find("Ref") != std::string::npos;
}

}  // namespace

// Reads the records of the collection that just started, up to its
// COLLECT_STOP (or whatever ends it early), into the queue run() drains.
bool SnapshotImporter::look_ahead(RecordingReader& reader, std::string& error) {
    Record r;
    while (reader.next(r)) {
        queue_.push_back(r);
        if (r.kind == RecordKind::CollectStop || r.kind == RecordKind::CollectStart ||
            r.kind == RecordKind::Snapshot || r.kind == RecordKind::End)
            return true;
    }
    if (!reader.error().empty()) {
        error = reader.error();
        return false;
    }
    return true;
}

// Keeps, of the objects that died in the weakref step (in death order), those
// that can be weakrefs freed right after their callback. Format 2: the
// weakrefs handle_weakrefs calls back (cpython-gc.md §5.5: a callback, the
// referent garbage, the weakref itself not garbage), from the WEAKREF
// records that follow the snapshot in the queue. Version 1: every one,
// types named like a weakref first.
void SnapshotImporter::select_callback_weakrefs(std::vector<std::uint32_t>& dying) const {
    if (!weakrefs_recorded_) {
        std::stable_partition(dying.begin(), dying.end(), [this](std::uint32_t o) {
            const auto t = types_.find(objs_[o].tid);
            return t != types_.end() && weakref_type_name(t->second.name);
        });
        return;
    }
    std::vector<std::uint32_t> called;
    for (std::size_t i = queue_at_; i < queue_.size(); ++i) {
        const Record& r = queue_[i];
        if (r.kind != RecordKind::Weakref || !r.callback) continue;
        const std::uint32_t referent = by_addr_.find(r.from);
        if (referent == AddressMap::kNone || !in_garbage(referent)) continue;
        const std::uint32_t wr = by_addr_.find(r.addr);
        if (wr == AddressMap::kNone || !objs_[wr].alive || in_garbage(wr)) continue;
        called.push_back(wr);
    }
    std::sort(called.begin(), called.end());
    std::erase_if(dying, [&called](std::uint32_t o) {
        return !std::binary_search(called.begin(), called.end(), o);
    });
}

// Garbage that a finalizer freed (`__del__` dropping a reference that was
// its only holder): finalize_garbage runs before delete_garbage, so these
// are the collection's first garbage deaths, and CPython does not count
// them (they leave `unreachable` before final_unreachable is counted,
// cpython-gc.md §5.6-5.8): the recorded collected is short of the model's
// garbage by their number, `n`. Only a collection whose garbage has a
// finalizer can. The model keeps them out of the collection: each is
// pinned, drops its references to the rest of the garbage (as its death
// did), and survives until the recording's death of it, after the
// collection. Marks them kept (died_ = 2); returns how many.
std::uint64_t SnapshotImporter::keep_finalizer_freed(std::uint64_t n) {
    bool finalizer = false;
    for (const std::uint32_t o : snap_objs_)
        if (in_garbage(o) && (types_[objs_[o].tid].flags & kTypeFinalizer)) finalizer = true;
    if (!finalizer) return 0;
    std::vector<std::uint32_t> freed;
    for (std::size_t i = queue_at_; i < queue_.size() && freed.size() < n; ++i) {
        const Record& r = queue_[i];
        if (r.kind != RecordKind::Dealloc && r.kind != RecordKind::Freed) continue;
        const std::uint32_t o = by_addr_.find(r.addr);
        if (o == AddressMap::kNone || !in_garbage(o) || died_[objs_[o].snap_index] == 2) continue;
        died_[objs_[o].snap_index] = 2;
        freed.push_back(o);
    }
    for (const std::uint32_t o : freed) pin(o);
    for (const std::uint32_t o : freed) {
        // A copy: remove_ref edits the list being walked.
        const std::vector<std::uint32_t> out(objs_[o].out.begin(), objs_[o].out.end());
        for (const std::uint32_t t : out)
            if (in_garbage(t) && died_[objs_[t].snap_index] != 2) remove_ref(o, t);
    }
    return freed.size();
}

// Garbage that survives the collection although no resurrected finalizer
// object reaches it (called after those are marked kept, died_ == 2) was
// stored by ANOTHER object's finalizer (`saved.append(self.child)`;
// cpython-gc.md §5.7: after finalize_garbage, every unreachable object now
// referenced from outside is kept). No hook can say so (`gc finalizer`
// binds the finalized object itself), so the caller pins these before the
// collection: the model sees them, and what they reach, as reachable, which
// counts the same (final_unreachable excludes them) and moves them to the
// generation handle_resurrected_objects moves them to. Garbage kept by a
// legacy finalizer (tp_del: uncollectable; the model keeps it itself) and
// what it reaches is not returned, nor anything when no garbage object has
// a finalizer.
std::vector<std::uint32_t> SnapshotImporter::resurrected_by_others() const {
    std::vector<std::uint32_t> kept;
    bool finalizer = false;
    for (std::size_t k = 0; k < snap_objs_.size(); ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (!in_garbage(o)) continue;
        const auto t = types_.find(objs_[o].tid);
        if (t != types_.end() && (t->second.flags & kTypeFinalizer)) finalizer = true;
        if (died_[k] == 0) kept.push_back(o);
    }
    // Without a __del__ in the garbage nothing can resurrect; a survivor is
    // then a death the recording shows later (a free-list type whose
    // dealloc the eval loop called directly, "How it sees objects").
    if (!finalizer || kept.empty()) return {};
    std::vector<std::uint8_t> legacy(snap_objs_.size(), 0);
    std::vector<std::uint32_t> walk;
    for (const std::uint32_t o : snap_objs_) {
        const auto t = types_.find(objs_[o].tid);
        if (in_garbage(o) && t != types_.end() && (t->second.flags & kTypeLegacyFinalizer)) {
            legacy[objs_[o].snap_index] = 1;
            walk.push_back(o);
        }
    }
    mark_reached_garbage(walk, legacy, 1);
    std::erase_if(kept, [&](std::uint32_t o) { return legacy[objs_[o].snap_index] != 0; });
    return kept;
}

// Marks `value` on the garbage reachable from the objects on `stack` (marked
// already), emptying it; returns how many objects it took off the stack.
std::uint64_t SnapshotImporter::mark_reached_garbage(std::vector<std::uint32_t>& stack,
                                                     std::vector<std::uint8_t>& marks,
                                                     std::uint8_t value) const {
    std::uint64_t reached = 0;
    while (!stack.empty()) {
        const std::uint32_t o = stack.back();
        stack.pop_back();
        ++reached;
        for (const std::uint32_t t : objs_[o].out)
            if (in_garbage(t) && marks[objs_[t].snap_index] != value) {
                marks[objs_[t].snap_index] = value;
                stack.push_back(t);
            }
    }
    return reached;
}

bool SnapshotImporter::in_garbage(std::uint32_t o) const {
    const Obj& x = objs_[o];
    return x.alive && x.stamp == snapshot_no_ && !reach_[x.snap_index];
}

// Emits the hooks for the collection whose records are in queue_[queue_at_..]
// and updates the mirror: `survivors_` gets the resurrected garbage.
void SnapshotImporter::emit_collection_effects() {
    resurrected_.clear();
    const Record* stop = nullptr;
    std::vector<std::uint32_t> dying_outside;
    died_.assign(snap_objs_.size(), 0);
    bool garbage_died = false;
    for (std::size_t i = queue_at_; i < queue_.size(); ++i) {
        const Record& r = queue_[i];
        if (r.kind == RecordKind::CollectStop) stop = &r;
        if (r.kind != RecordKind::Dealloc && r.kind != RecordKind::Freed) continue;
        const std::uint32_t o = by_addr_.find(r.addr);
        if (o == AddressMap::kNone || !objs_[o].alive) continue;
        if (in_garbage(o)) {
            died_[objs_[o].snap_index] = 1;
            garbage_died = true;
        } else if (!garbage_died && std::find(dying_outside.begin(), dying_outside.end(), o) ==
                                        dying_outside.end()) {
            dying_outside.push_back(o);
        }
    }
    if (stop == nullptr) return;  // the window closed inside the collection
    std::uint64_t garbage = 0;
    for (std::size_t k = 0; k < snap_objs_.size(); ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (!in_garbage(o)) continue;
        ++garbage;
        if (died_[k]) continue;
        if (types_[objs_[o].tid].flags & kTypeFinalizer) resurrected_.push_back(o);
    }
    // Resurrection keeps what the resurrected objects reach.
    std::vector<std::uint32_t> stack = resurrected_;
    std::uint64_t kept = 0;
    std::vector<std::uint8_t>& keep = died_;  // reused: 2 = kept
    for (const std::uint32_t o : stack) keep[objs_[o].snap_index] = 2;
    kept += mark_reached_garbage(stack, keep, 2);
    for (const std::uint32_t o : resurrected_by_others()) {
        if (keep[objs_[o].snap_index] == 2) continue;  // reached from one pinned before
        pin(o);
        keep[objs_[o].snap_index] = 2;
        stack.push_back(o);
        kept += mark_reached_garbage(stack, keep, 2);
    }
    for (const std::uint32_t o : resurrected_) {
        Event e;
        e.kind = EventKind::GcControl;
        e.action = GcAction::Finalizer;
        e.id = objs_[o].id;
        e.name = objs_[o].pin;
        emit(e);
    }
    // Weakrefs freed right after their callback: collected beyond the garbage
    // kept. Format 2 knows how many died so (`called`): a recorded count
    // short of the garbage plus those is garbage a finalizer freed.
    const std::uint64_t recorded = stop->collected + stop->uncollectable;
    std::uint64_t model = garbage - kept;
    select_callback_weakrefs(dying_outside);
    const std::uint64_t called = weakrefs_recorded_ ? dying_outside.size() : 0;
    if (recorded < model + called) model -= keep_finalizer_freed(model + called - recorded);
    if (recorded <= model) return;
    std::uint64_t want = recorded - model;
    if (!weakrefs_recorded_ && !dying_outside.empty()) ++stats_.callbacks_by_name;
    for (const std::uint32_t o : dying_outside) {
        if (want == 0) break;
        // Its pin must be its only holder for the callback's unbind to free
        // it: the references the callback drops (`del d[key]`) go now. Those
        // holders are outside the garbage, so no reachability changes.
        if (std::any_of(objs_[o].in.begin(), objs_[o].in.end(),
                        [this](std::uint32_t s) { return in_garbage(s); }))
            continue;
        pin(o);
        while (!objs_[o].in.empty()) remove_ref(objs_[o].in.back(), o);
        --want;
        Obj& x = objs_[o];
        Event e;
        e.kind = EventKind::GcControl;
        e.action = GcAction::Callback;
        e.id = x.id;
        e.name = x.pin;
        emit(e);
        const std::uint64_t addr = x.addr;
        x.pinned = false;
        maybe_free(o);
        // Events mode keeps the address: its FREED is the model's doing.
        if (events() && by_addr_.find(addr) == AddressMap::kNone) by_addr_.put(addr, o);
    }
}

}  // namespace heapsim

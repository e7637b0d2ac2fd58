#include "recording/snapshot_import.h"

#include <algorithm>
#include <charconv>

#include "trace_formats/numbered_ids.h"

namespace heapsim {

namespace {

// A recorded type name as a trace TYPE token: invalid bytes become '_', and
// the recording's type id keeps two types of one name apart.
std::string type_token(const std::string& name, std::uint32_t tid) {
    std::string t;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        t.push_back(ok ? c : '_');
    }
    if (t.size() > 200) t.resize(200);
    return "py." + t + ":" + std::to_string(tid);
}

}  // namespace

void SnapshotImporter::emit(Event& e) {
    e.time_ns = time_ns_;
    ++stats_.events;
    sink_(e);
}

void SnapshotImporter::emit_gc(GcAction action) {
    Event e;
    e.kind = EventKind::GcControl;
    e.action = action;
    emit(e);
}

Sym SnapshotImporter::declare_type(std::uint32_t tid) {
    TypeInfo& t = types_[tid];
    if (t.sym != kNoSym) return t.sym;
    if (t.name.empty()) t.name = "unknown";
    t.sym = symbols_.intern(type_token(t.name, tid));
    Event e;
    e.kind = EventKind::Type;
    e.name = t.sym;
    e.decl.gc = true;
    e.decl.weakrefable = (t.flags & kTypeWeakrefable) != 0;
    e.decl.finalizer = (t.flags & kTypeFinalizer) != 0;
    e.decl.legacy_finalizer = (t.flags & kTypeLegacyFinalizer) != 0;
    if (t.size > 0 && t.size <= 0xFFFFFFFFu) e.decl.size = static_cast<std::int64_t>(t.size);
    emit(e);
    return t.sym;
}

// alloc + bind to its pin: the pin takes over the creation reference.
std::uint32_t SnapshotImporter::create(std::uint64_t addr, std::uint32_t tid, bool counted) {
    const auto o = static_cast<std::uint32_t>(objs_.size());
    Obj& x = objs_.emplace_back();
    x.addr = addr;
    x.tid = tid;
    x.alive = true;
    x.pinned = true;
    // The pin is a root named like the object (roots and objects are separate
    // namespaces): one symbol per object.
    if (numbered_ids_ && o <= kMaxIdNumber) {
        x.id = numbered_id(o);
    } else {
        char text[kNumberedIdChars];
        x.id = symbols_.intern(std::string_view(text, format_numbered_id(o, text)));
    }
    x.pin = x.id;
    by_addr_.put(addr, o);
    gens_[0].push_back(o);
    ++stats_.objects;
    Event a;
    a.kind = EventKind::Alloc;
    a.id = x.id;
    a.type = declare_type(tid);
    // A free-list block, or an object that predates the window: count0 unchanged.
    if (events() && !counted) emit_gc(GcAction::Uncounted);
    emit(a);
    Event b;
    b.kind = EventKind::Bind;
    b.name = x.pin;
    b.id = x.id;
    emit(b);
    return o;
}

void SnapshotImporter::pin(std::uint32_t o) {
    if (objs_[o].pinned) return;
    objs_[o].pinned = true;
    Event b;
    b.kind = EventKind::Bind;
    b.name = objs_[o].pin;
    b.id = objs_[o].id;
    emit(b);
}

void SnapshotImporter::unpin(std::uint32_t o) {
    if (!objs_[o].pinned) return;
    objs_[o].pinned = false;
    Event u;
    u.kind = EventKind::Unbind;
    u.name = objs_[o].pin;
    emit(u);
    maybe_free(o);
}

void SnapshotImporter::add_ref(std::uint32_t from, std::uint32_t to) {
    objs_[from].out.push_back(to);
    objs_[to].in.push_back(from);
    Event e;
    e.kind = EventKind::Append;
    e.id = objs_[from].id;
    e.ref = objs_[to].id;
    emit(e);
}

void SnapshotImporter::remove_ref(std::uint32_t from, std::uint32_t to) {
    if (events() && !objs_[to].pinned && objs_[to].in.size() == 1) pin(to);
    objs_[from].out.erase_one(to);
    objs_[to].in.erase_one(from);
    Event e;
    e.kind = EventKind::Remove;
    e.id = objs_[from].id;
    e.ref = objs_[to].id;
    emit(e);
    maybe_free(to);
}

// The model frees an object whose count (pin + incoming references) reaches
// zero, and its references go with it: mirror that, without recursion.
void SnapshotImporter::maybe_free(std::uint32_t o) {
    if (!objs_[o].alive || objs_[o].pinned || !objs_[o].in.empty()) return;
    free_stack_.push_back(o);
    while (!free_stack_.empty()) {
        const std::uint32_t x = free_stack_.back();
        free_stack_.pop_back();
        Obj& d = objs_[x];
        if (!d.alive) continue;
        d.alive = false;
        if (by_addr_.find(d.addr) == x) by_addr_.erase(d.addr);
        for (const std::uint32_t t : d.out) {
            objs_[t].in.erase_one(x);
            if (objs_[t].alive && !objs_[t].pinned && objs_[t].in.empty()) free_stack_.push_back(t);
        }
        d.out.release();
    }
}

void SnapshotImporter::release_refs_of(std::uint32_t o) {
    if (objs_[o].out.empty()) return;
    if (events())
        for (const std::uint32_t t : objs_[o].out)
            if (std::all_of(objs_[t].in.begin(), objs_[t].in.end(),
                            [o](std::uint32_t s) { return s == o; }))
                protect(t);
    Event c;
    c.kind = EventKind::Clear;
    c.id = objs_[o].id;
    emit(c);
    // maybe_free below never reaches here again (`o` is pinned): one scratch.
    std::vector<std::uint32_t>& out = scratch_released_;
    out.assign(objs_[o].out.begin(), objs_[o].out.end());
    objs_[o].out.release();
    for (const std::uint32_t t : out) objs_[t].in.erase_one(o);
    for (const std::uint32_t t : out) maybe_free(t);
}

// The recorded object died: it leaves the trace at this point.
void SnapshotImporter::kill(std::uint32_t o, bool counted) {
    if (!objs_[o].alive) return;
    pin(o);  // alive while its references change
    release_refs_of(o);
    while (!objs_[o].in.empty()) {
        const std::uint32_t s = objs_[o].in.back();
        remove_ref(s, o);
    }
    // Events mode: a death the recording shows as memory returned counts
    // (count0 - 1); any other went to a free list.
    if (events() && !counted) emit_gc(GcAction::Uncounted);
    unpin(o);
}

void SnapshotImporter::forget_address(std::uint64_t addr, bool counted) {
    const std::uint32_t o = by_addr_.find(addr);
    if (o == AddressMap::kNone) return;
    kill(o, counted);
    by_addr_.erase(addr);
}

// Events mode: every object whose last reference (as far as the trace
// knows) is about to go keeps one through its pin.
void SnapshotImporter::protect(std::uint32_t t) {
    Obj& x = objs_[t];
    if (!x.alive || x.pinned) return;
    pin(t);
}

bool SnapshotImporter::snapshot(RecordingReader& reader, const Record& start, std::string& error) {
    const int gen = start.generation;
    const bool collects = start.kind == RecordKind::CollectStart;  // else a cadence snapshot
    ++snapshot_no_;
    if (collects) ++stats_.collections;
    snap_objs_.clear();
    snap_refcnt_.clear();
    snap_ref_begin_.clear();
    snap_ref_addrs_.clear();
    SnapshotObject so;
    // 1. Every object of the snapshot exists in the trace, pinned.
    for (std::uint64_t i = 0; i < start.objects; ++i) {
        if (!reader.next_object(so)) {
            error = reader.error();
            return false;
        }
        std::uint32_t o = 0;
        const std::uint32_t known = by_addr_.find(so.addr);
        if (known != AddressMap::kNone && objs_[known].alive &&
            objs_[known].stamp == snapshot_no_) {
            // A generation list holds an object once: the recording is corrupt.
            error = "byte " + std::to_string(reader.offset()) +
                    ": address listed twice in one snapshot";
            return false;
        }
        if (known != AddressMap::kNone && objs_[known].alive && objs_[known].tid == so.tid) {
            o = known;
            pin(o);
        } else {
            if (known != AddressMap::kNone) forget_address(so.addr);
            o = create(so.addr, so.tid, false);  // events mode: it predates the window
        }
        objs_[o].stamp = snapshot_no_;
        objs_[o].snap_index = static_cast<std::uint32_t>(snap_objs_.size());
        snap_objs_.push_back(o);
        snap_refcnt_.push_back(so.refcnt);
        snap_ref_begin_.push_back(static_cast<std::uint32_t>(snap_ref_addrs_.size()));
        snap_ref_addrs_.insert(snap_ref_addrs_.end(), so.refs.begin(), so.refs.end());
    }
    snap_ref_begin_.push_back(static_cast<std::uint32_t>(snap_ref_addrs_.size()));
    stats_.snapshot_objects += start.objects;

    // 2. Objects the model has in generations 0..gen that the snapshot lacks
    //    are dead or untracked in the recorded process.
    for (int g = 0; g <= gen; ++g) {
        std::vector<std::uint32_t>& list = scratch_list_;
        list.clear();
        list.swap(gens_[g]);
        for (const std::uint32_t o : list)
            if (objs_[o].alive && objs_[o].gen == g && objs_[o].stamp != snapshot_no_) kill(o);
    }

    // 3. References among snapshot objects are the recorded ones.
    const std::size_t n = snap_objs_.size();
    std::vector<std::uint32_t>&want = scratch_want_, &have = scratch_have_;
    std::vector<std::uint32_t>&extra = scratch_extra_, &missing = scratch_missing_;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        want.clear();
        for (std::uint32_t r = snap_ref_begin_[k]; r < snap_ref_begin_[k + 1]; ++r) {
            const std::uint32_t t = by_addr_.find(snap_ref_addrs_[r]);
            if (t != AddressMap::kNone && objs_[t].alive && objs_[t].stamp == snapshot_no_)
                want.push_back(t);
        }
        have.assign(objs_[o].out.begin(), objs_[o].out.end());
        std::sort(want.begin(), want.end());
        std::sort(have.begin(), have.end());
        extra.clear();
        missing.clear();
        std::set_difference(have.begin(), have.end(), want.begin(), want.end(),
                            std::back_inserter(extra));
        std::set_difference(want.begin(), want.end(), have.begin(), have.end(),
                            std::back_inserter(missing));
        for (const std::uint32_t t : missing) add_ref(o, t);
        for (const std::uint32_t t : extra) remove_ref(o, t);
    }

    // 4. Pins: only objects referred to from outside the collected
    //    generations keep one; stale references from outside are removed.
    internal_.assign(n, 0);
    for (std::size_t k = 0; k < n; ++k)
        for (const std::uint32_t t : objs_[snap_objs_[k]].out) ++internal_[objs_[t].snap_index];
    reach_.assign(n, 0);
    std::vector<std::uint32_t>& stack = scratch_stack_;
    stack.clear();
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (snap_refcnt_[k] > internal_[k]) {
            reach_[k] = 1;
            stack.push_back(static_cast<std::uint32_t>(k));
            continue;
        }
        std::vector<std::uint32_t>& outside = scratch_outside_;
        outside.clear();
        for (const std::uint32_t s : objs_[o].in)
            if (objs_[s].stamp != snapshot_no_) outside.push_back(s);
        for (const std::uint32_t s : outside) remove_ref(s, o);
        if (!events() || !objs_[o].in.empty()) unpin(o);
    }
    // 5. What the collector will find: reachable from a pinned object.
    while (!stack.empty()) {
        const std::uint32_t k = stack.back();
        stack.pop_back();
        for (const std::uint32_t t : objs_[snap_objs_[k]].out) {
            const std::uint32_t j = objs_[t].snap_index;
            if (!reach_[j]) {
                reach_[j] = 1;
                stack.push_back(j);
            }
        }
    }
    if (!collects) {  // a cadence snapshot: the graph is current, nothing moves
        for (const std::uint32_t o : snap_objs_)
            if (objs_[o].alive) gens_[objs_[o].gen].push_back(o);
        return true;
    }
    if (!look_ahead(reader, error)) return false;
    emit_collection_effects();
    if (events()) {
        run_collection(start);
    } else {
        Event c;
        c.kind = EventKind::Collect;
        c.generation = gen;
        emit(c);
    }
    // The model frees the unreachable objects; survivors move up, and so
    // does the garbage a finalizer resurrected (held by its pin again).
    const int up = gen < 2 ? gen + 1 : 2;
    for (const std::uint32_t o : resurrected_) objs_[o].pinned = true;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (!objs_[o].alive) continue;
        if (reach_[k] || died_[k] == 2) {
            reach_[k] = 1;
            objs_[o].gen = static_cast<std::uint8_t>(up);
            gens_[up].push_back(o);
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (reach_[k] || !objs_[o].alive) continue;
        Obj& d = objs_[o];
        d.alive = false;
        // Events mode keeps the address: its FREED is the model's own
        // collection's doing, not a death to replay.
        if (!events() && by_addr_.find(d.addr) == o) by_addr_.erase(d.addr);
        for (const std::uint32_t t : d.out) objs_[t].in.erase_one(o);
        d.out.release();
        d.in.release();
    }
    pending_generation_ = gen;
    return true;
}

void SnapshotImporter::collected(const Record& stop) {
    if (pending_generation_ != stop.generation) return;
    if (events()) {  // every collection: generation, collected, uncollectable
        Event c;
        c.kind = EventKind::Expect;
        c.expect = ExpectKind::Collection;
        c.nvalues = 3;
        c.values[0] = stop.generation;
        c.values[1] = static_cast<std::int64_t>(stop.collected);
        c.values[2] = static_cast<std::int64_t>(stop.uncollectable);
        emit(c);
    }
    if (events() && !explicit_pending_) {  // automatic: checked above and by its counts
        pending_generation_ = -1;
        return;
    }
    pending_generation_ = -1;
    Event e;
    e.kind = EventKind::Expect;
    e.expect = ExpectKind::Collected;
    e.nvalues = 1;
    e.values[0] = static_cast<std::int64_t>(stop.collected + stop.uncollectable);
    emit(e);
}

// --- events mode ----------------------------------------------------------

// The collector's state when the window opened: thresholds (a recorded
// state, so the call's argument tuple is not counted), counts, enabled.
// From 3.12 on, the first `gc safepoint` makes safe points explicit.
void SnapshotImporter::start_events(const RecordingHeader& h) {
    at_safe_point_ = h.hexversion >= 0x030C0000;
    threshold_ = h.thresholds;
    count_ = h.counts;
    enabled_ = h.enabled;
    emit_gc(GcAction::Uncounted);
    Event t;
    t.kind = EventKind::Threshold;
    t.nvalues = 3;
    for (int i = 0; i < 3; ++i) t.values[i] = h.thresholds[i];
    emit(t);
    Event c;
    c.kind = EventKind::GcControl;
    c.action = GcAction::Counts;
    c.nvalues = 3;
    for (int i = 0; i < 3; ++i) c.values[i] = h.counts[i];
    emit(c);
    if (!enabled_) emit_gc(GcAction::Disable);
    if (at_safe_point_) emit_gc(GcAction::Safepoint);
}

// A creation: fresh memory counts (count0 + 1), a free-list block does not.
// 3.11: the allocation that starts a collection is recorded after it
// (NEW_EARLY); allocations seen before it belong to the collection's start
// (gc.callbacks), erased by its count reset, so they are not counted.
// 3.12+: after each counted allocation the model may run a scheduled
// collection (`gc safepoint`), except while the recorded collector has one
// pending: the recorded process reached no safe point until it ran.
void SnapshotImporter::on_new(const Record& r) {
    forget_address(r.addr, false);  // its old occupant died unseen: a free list
    if (!events()) return;
    bool counted = r.kind == RecordKind::NewFresh;
    const bool early = r.kind == RecordKind::NewEarly && awaiting_early_;
    if (counted) {
        const bool armed = enabled_ && threshold_[0] != 0;
        if (!at_safe_point_ && (prelude_ || (armed && count_[0] + 1 > threshold_[0]))) {
            prelude_ = true;
            counted = false;
        } else {
            ++count_[0];
            if (at_safe_point_ && armed && count_[0] > threshold_[0]) scheduled_ = true;
        }
    }
    create(r.addr, r.tid, counted || early);
    if (early) {
        awaiting_early_ = false;
        prelude_ = false;
        count_ = after_counts_;
        expect_counts();
        std::vector<Record> later;
        later.swap(deferred_);
        for (const Record& d : later) handle_deferred(d);
        return;
    }
    if (counted && at_safe_point_ && !scheduled_) emit_gc(GcAction::Safepoint);
}

// Events mode: the object's dealloc ran; it releases what it held now, and
// leaves the trace when its memory goes back (FREED) or its block is reused.
void SnapshotImporter::on_dealloc(std::uint64_t addr) {
    const std::uint32_t o = by_addr_.find(addr);
    if (o == AddressMap::kNone || !objs_[o].alive || objs_[o].dealloced) return;
    pin(o);
    release_refs_of(o);
    while (!objs_[o].in.empty()) remove_ref(objs_[o].in.back(), o);
    objs_[o].dealloced = true;
}

// Events mode, at a recorded collection whose snapshot is now in the trace.
void SnapshotImporter::run_collection(const Record& start) {
    const int gen = start.generation;
    after_counts_ = start.values;
    if (gen < 2) ++after_counts_[gen + 1];
    for (int g = 0; g <= gen; ++g) after_counts_[g] = 0;
    explicit_pending_ = start.explicit_collect;
    if (start.explicit_collect) {
        Event c;
        c.kind = EventKind::Collect;
        c.generation = gen;
        emit(c);
    } else if (at_safe_point_) {
        emit_gc(GcAction::Safepoint);  // the model runs the collection it scheduled
    } else {
        awaiting_early_ = true;  // the model collects inside the NEW_EARLY allocation
        return;
    }
    count_ = after_counts_;
    prelude_ = false;
    scheduled_ = false;
    expect_counts();
}

// The recorded counts right after the collection: a replay that collected
// at another point or another generation fails here.
void SnapshotImporter::expect_counts() {
    Event e;
    e.kind = EventKind::Expect;
    e.expect = ExpectKind::Count;
    e.nvalues = 3;
    for (int i = 0; i < 3; ++i) e.values[i] = after_counts_[i];
    emit(e);
}

bool SnapshotImporter::handle(RecordingReader& reader, const Record& r, std::string& error) {
    if (awaiting_early_ && r.kind != RecordKind::NewEarly && r.kind != RecordKind::CollectStart &&
        r.kind != RecordKind::Snapshot) {
        deferred_.push_back(r);
        return true;
    }
    switch (r.kind) {
        case RecordKind::CollectStart:
        case RecordKind::Snapshot:
            return snapshot(reader, r, error);
        default:
            handle_simple(r);
            return true;
    }
}

// Every record but snapshots.
void SnapshotImporter::handle_simple(const Record& r) {
    switch (r.kind) {
        case RecordKind::Type: {
            TypeInfo& t = types_[r.tid];
            t = TypeInfo{r.type_name, r.type_flags, r.basicsize, kNoSym};
            break;
        }
        case RecordKind::NewFresh:
        case RecordKind::NewReused:
        case RecordKind::NewEarly:
            on_new(r);
            break;
        case RecordKind::Move: {
            const std::uint32_t o = by_addr_.find(r.from);
            if (o != AddressMap::kNone) {
                by_addr_.erase(r.from);
                forget_address(r.addr);
                objs_[o].addr = r.addr;
                by_addr_.put(r.addr, o);
            }
            break;
        }
        case RecordKind::Dealloc:
            if (events())
                on_dealloc(r.addr);
            else
                forget_address(r.addr);
            break;
        case RecordKind::Freed: {
            if (!events()) {
                forget_address(r.addr);
                break;
            }
            if (prelude_) {  // 3.11: before the collection's count reset
                forget_address(r.addr, false);
                break;
            }
            const bool counted = count_[0] > 0;  // CPython floors count0 at 0
            if (counted) --count_[0];
            if (const std::uint32_t o = by_addr_.find(r.addr);
                o != AddressMap::kNone && !objs_[o].alive) {
                by_addr_.erase(r.addr);  // garbage of a recorded collection
                // Freed after a finalizer or weakref callback of the same
                // collection allocated (count0 > 0 again): CPython's count0
                // - 1 is not floored away. The model freed this garbage in
                // its collection, before those creations replay (count0 was
                // 0): a stand-in gives it the same count0 - 1.
                if (counted) {
                    create(r.addr, kPredatingTid, false);
                    forget_address(r.addr, true);
                }
                break;
            }
            if (by_addr_.find(r.addr) == AddressMap::kNone) {
                // An object that predates the window died: count0 - 1 in the
                // model too, through a stand-in.
                create(r.addr, kPredatingTid, false);
            }
            forget_address(r.addr, true);
            break;
        }
        case RecordKind::GcState:
            if (events()) on_gcstate(r);
            break;
        case RecordKind::CollectStop:
            collected(r);
            break;
        case RecordKind::Time:
            time_ns_ = r.time_ns;
            break;
        case RecordKind::End:
            ended_ = true;
            break;
        case RecordKind::Freeze:
        case RecordKind::Unfreeze:
            on_freeze(r);
            break;
        case RecordKind::LongLived:
            // The first one is the collector's state when the window opened
            // (events mode: the model's full-collection rule starts from
            // it); the later ones, before each collection, are the
            // recorded process's own, for checks.
            if (events() && !long_lived_seen_) {
                Event l;
                l.kind = EventKind::GcControl;
                l.action = GcAction::LongLived;
                l.nvalues = 2;
                l.values[0] = r.values[0];
                l.values[1] = r.values[1];
                emit(l);
            }
            long_lived_seen_ = true;
            break;
        case RecordKind::CollectStart:
        case RecordKind::Snapshot:
        case RecordKind::DebugCount:
        case RecordKind::Weakref:  // read with its collection (collection_effects.cpp)
            break;
    }
}

// gc.freeze() moves generations 0-2 into the permanent one, gc.unfreeze()
// moves it back into the oldest (_PyGC_Freeze/_PyGC_Unfreeze); the model
// does the same on `gc freeze` / `gc unfreeze`. Frozen objects are in no
// snapshot: the mirror must not take them for dead.
void SnapshotImporter::on_freeze(const Record& r) {
    if (r.kind == RecordKind::Freeze) {
        for (int g = 0; g < 3; ++g) {
            for (const std::uint32_t o : gens_[g]) {
                if (!objs_[o].alive || objs_[o].gen != g) continue;
                objs_[o].gen = kFrozen;
                frozen_.push_back(o);
            }
            gens_[g].clear();
        }
    } else {
        for (const std::uint32_t o : frozen_) {
            if (!objs_[o].alive || objs_[o].gen != kFrozen) continue;
            objs_[o].gen = 2;
            gens_[2].push_back(o);
        }
        frozen_.clear();
    }
    if (events()) count_ = r.values;
    emit_gc(r.kind == RecordKind::Freeze ? GcAction::Freeze : GcAction::Unfreeze);
}

// Thresholds and the enabled state as the recorded program set them (the
// calls' own allocations are recorded creations: the threshold's argument
// tuple is not counted again).
void SnapshotImporter::on_gcstate(const Record& r) {
    if (r.values != threshold_) {
        threshold_ = r.values;
        emit_gc(GcAction::Uncounted);
        Event t;
        t.kind = EventKind::Threshold;
        t.nvalues = 3;
        for (int i = 0; i < 3; ++i) t.values[i] = r.values[i];
        emit(t);
    }
    if (r.enabled != enabled_) {
        enabled_ = r.enabled;
        emit_gc(enabled_ ? GcAction::Enable : GcAction::Disable);
    }
}

bool SnapshotImporter::run(RecordingReader& reader, std::string& error) {
    RecordingHeader h;
    if (!reader.read_header(h)) {
        error = reader.error();
        return false;
    }
    stats_.interpreter = h.interpreter;
    weakrefs_recorded_ = h.version >= kRecordingVersionWeakrefs;
    TypeInfo& predating = types_[kPredatingTid];
    predating.name = "predating";
    predating.flags = kTypeGc;
    if (events()) {
        start_events(h);
    } else {
        emit_gc(GcAction::Disable);
    }
    Record r;
    for (;;) {
        if (queue_at_ < queue_.size()) {
            r = std::move(queue_[queue_at_++]);
            if (queue_at_ == queue_.size()) {
                queue_.clear();
                queue_at_ = 0;
            }
        } else if (!reader.next(r)) {
            break;
        }
        if (!handle(reader, r, error)) return false;
    }
    if (awaiting_early_) {  // the window closed before the allocation came
        awaiting_early_ = false;
        std::vector<Record> later;
        later.swap(deferred_);
        for (const Record& d : later) handle_deferred(d);
    }
    stats_.records = reader.records();
    if (!reader.error().empty()) {
        error = reader.error();
        return false;
    }
    if (!ended_) {
        error = "the recording has no end record (the recorder did not stop cleanly)";
        return false;
    }
    return true;
}

}  // namespace heapsim

#include "recording/snapshot_import.h"

#include <algorithm>

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
std::uint32_t SnapshotImporter::create(std::uint64_t addr, std::uint32_t tid) {
    const auto o = static_cast<std::uint32_t>(objs_.size());
    objs_.emplace_back();
    Obj& x = objs_.back();
    x.addr = addr;
    x.tid = tid;
    x.alive = true;
    x.pinned = true;
    // The pin is a root named like the object (roots and objects are separate
    // namespaces): one symbol per object.
    x.id = symbols_.intern("o" + std::to_string(o));
    x.pin = x.id;
    by_addr_.put(addr, o);
    gens_[0].push_back(o);
    ++stats_.objects;
    Event a;
    a.kind = EventKind::Alloc;
    a.id = x.id;
    a.type = declare_type(tid);
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

static void erase_one(std::vector<std::uint32_t>& v, std::uint32_t x) {
    const auto it = std::find(v.begin(), v.end(), x);
    if (it != v.end()) {
        *it = v.back();
        v.pop_back();
    }
}

void SnapshotImporter::remove_ref(std::uint32_t from, std::uint32_t to) {
    erase_one(objs_[from].out, to);
    erase_one(objs_[to].in, from);
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
            erase_one(objs_[t].in, x);
            if (objs_[t].alive && !objs_[t].pinned && objs_[t].in.empty()) free_stack_.push_back(t);
        }
        d.out.clear();
        d.out.shrink_to_fit();
    }
}

void SnapshotImporter::release_refs_of(std::uint32_t o) {
    if (objs_[o].out.empty()) return;
    Event c;
    c.kind = EventKind::Clear;
    c.id = objs_[o].id;
    emit(c);
    std::vector<std::uint32_t> out;
    out.swap(objs_[o].out);
    for (const std::uint32_t t : out) erase_one(objs_[t].in, o);
    for (const std::uint32_t t : out) maybe_free(t);
}

// The recorded object died: it leaves the trace at this point.
void SnapshotImporter::kill(std::uint32_t o) {
    if (!objs_[o].alive) return;
    pin(o);  // alive while its references change
    release_refs_of(o);
    while (!objs_[o].in.empty()) {
        const std::uint32_t s = objs_[o].in.back();
        remove_ref(s, o);
    }
    unpin(o);
}

void SnapshotImporter::forget_address(std::uint64_t addr) {
    const std::uint32_t o = by_addr_.find(addr);
    if (o == AddressMap::kNone) return;
    kill(o);
    by_addr_.erase(addr);
}

bool SnapshotImporter::snapshot(RecordingReader& reader, const Record& start, std::string& error) {
    const int gen = start.generation;
    ++snapshot_no_;
    ++stats_.collections;
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
            o = create(so.addr, so.tid);
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
        std::vector<std::uint32_t> list;
        list.swap(gens_[g]);
        for (const std::uint32_t o : list)
            if (objs_[o].alive && objs_[o].gen == g && objs_[o].stamp != snapshot_no_) kill(o);
    }

    // 3. References among snapshot objects are the recorded ones.
    const std::size_t n = snap_objs_.size();
    std::vector<std::uint32_t> want, have;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        want.clear();
        for (std::uint32_t r = snap_ref_begin_[k]; r < snap_ref_begin_[k + 1]; ++r) {
            const std::uint32_t t = by_addr_.find(snap_ref_addrs_[r]);
            if (t != AddressMap::kNone && objs_[t].alive && objs_[t].stamp == snapshot_no_)
                want.push_back(t);
        }
        have = objs_[o].out;
        std::sort(want.begin(), want.end());
        std::sort(have.begin(), have.end());
        std::vector<std::uint32_t> extra, missing;
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
    std::vector<std::uint32_t> stack;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (snap_refcnt_[k] > internal_[k]) {
            reach_[k] = 1;
            stack.push_back(static_cast<std::uint32_t>(k));
            continue;
        }
        std::vector<std::uint32_t> outside;
        for (const std::uint32_t s : objs_[o].in)
            if (objs_[s].stamp != snapshot_no_) outside.push_back(s);
        for (const std::uint32_t s : outside) remove_ref(s, o);
        unpin(o);
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
    Event c;
    c.kind = EventKind::Collect;
    c.generation = gen;
    emit(c);
    // The model frees the unreachable objects; survivors move up.
    const int up = gen < 2 ? gen + 1 : 2;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (!objs_[o].alive) continue;
        if (reach_[k]) {
            objs_[o].gen = static_cast<std::uint8_t>(up);
            gens_[up].push_back(o);
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t o = snap_objs_[k];
        if (reach_[k] || !objs_[o].alive) continue;
        Obj& d = objs_[o];
        d.alive = false;
        if (by_addr_.find(d.addr) == o) by_addr_.erase(d.addr);
        for (const std::uint32_t t : d.out) erase_one(objs_[t].in, o);
        d.out.clear();
        d.in.clear();
    }
    pending_generation_ = gen;
    return true;
}

void SnapshotImporter::collected(const Record& stop) {
    if (pending_generation_ != stop.generation) return;
    pending_generation_ = -1;
    Event e;
    e.kind = EventKind::Expect;
    e.expect = ExpectKind::Collected;
    e.nvalues = 1;
    e.values[0] = static_cast<std::int64_t>(stop.collected + stop.uncollectable);
    emit(e);
}

bool SnapshotImporter::run(RecordingReader& reader, std::string& error) {
    RecordingHeader h;
    if (!reader.read_header(h)) {
        error = reader.error();
        return false;
    }
    stats_.interpreter = h.interpreter;
    Event off;
    off.kind = EventKind::GcControl;
    off.action = GcAction::Disable;
    emit(off);
    Record r;
    bool ended = false;
    while (reader.next(r)) {
        switch (r.kind) {
            case RecordKind::Type: {
                TypeInfo& t = types_[r.tid];
                t = TypeInfo{r.type_name, r.type_flags, r.basicsize, kNoSym};
                break;
            }
            case RecordKind::NewFresh:
            case RecordKind::NewReused:
            case RecordKind::NewEarly:
                forget_address(r.addr);  // its old occupant died unseen
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
            case RecordKind::Freed:
                forget_address(r.addr);
                break;
            case RecordKind::CollectStart:
                if (!snapshot(reader, r, error)) return false;
                break;
            case RecordKind::CollectStop:
                collected(r);
                break;
            case RecordKind::Time:
                time_ns_ = r.time_ns;
                break;
            case RecordKind::End:
                ended = true;
                break;
            case RecordKind::GcState:
            case RecordKind::DebugCount:
                break;
        }
    }
    stats_.records = reader.records();
    if (!reader.error().empty()) {
        error = reader.error();
        return false;
    }
    if (!ended) {
        error = "the recording has no end record (the recorder did not stop cleanly)";
        return false;
    }
    return true;
}

}  // namespace heapsim

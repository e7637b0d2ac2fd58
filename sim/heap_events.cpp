// One handler per trace event. Each validates everything first and returns a
// Diagnostic without touching the heap, so a skipped bad event (--lenient)
// leaves no trace; then it performs the event's CPython analogue.
#include <algorithm>
#include <charconv>
#include <string>

#include "sim/heap.h"

namespace heapsim {

Diagnostic Heap::error(const Event& ev, ErrorKind kind, std::string message) const {
    Diagnostic d;
    d.kind = kind;
    d.line = ev.line;
    d.event = ev.number;
    d.message = std::string(event_name(ev.kind)) + ": " + std::move(message);
    return d;
}

std::string Heap::quote(Sym s) const {
    return "'" + std::string(symbols_.str(s)) + "'";
}

Diagnostic Heap::not_live(const Event& ev, Sym id, const char* what) const {
    const bool seen = ever_allocated(id);
    return error(ev, ErrorKind::UnknownId,
                 std::string(what) + " " + quote(id) +
                     (seen ? " is not live (it was freed)" : " was never allocated"));
}

[[gnu::always_inline]] inline std::optional<Diagnostic> Heap::check_container(const Event& ev,
                                                                              Handle h) const {
    const TypeInfo& t = types_[objects_[h].type];
    if (t.gc && t.layout != Layout::Weakref) [[likely]]
        return std::nullopt;
    // The message out of line: the test above then inlines into the
    // handlers (docs/performance.md, "Session 8").
    return [&]() __attribute__((noinline, cold)) {
        return std::optional<Diagnostic>(
            error(ev, ErrorKind::NotContainer,
                  quote(objects_[h].id) + " is of type " + std::string(symbols_.str(t.name)) +
                      ", which holds no references"));
    }();
}

namespace {

std::optional<std::uint32_t> parse_index(std::string_view s) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool is_sequence(Layout l) {
    return l == Layout::List || l == Layout::Tuple;
}

}  // namespace

std::optional<Diagnostic> Heap::apply(const Event& ev) {
    event_number_ = ev.number;
    time_ns_ = ev.time_ns;
    uncounted_ = uncounted_next_;
    uncounted_next_ = false;
    // 3.12+: a collection still scheduled runs at the first eval-breaker
    // check of this event's statement (§15.1).
    safe_point();
    // Initialised from the handler's return value (no optional move per event).
    std::optional<Diagnostic> d = dispatch(ev);
    uncounted_ = false;
    if (forget_ids_ && (d || ev.kind == EventKind::Expect || dead_ids_.size() > forget_at_))
        forget_ids(ev, d.has_value());
    sample_timeline();
    return d;
}

std::optional<Diagnostic> apply_to_heap(Heap& heap, const Event& event) {
    return heap.apply(event);
}

std::optional<Diagnostic> Heap::dispatch(const Event& ev) {
    switch (ev.kind) {
        case EventKind::Type:
            return on_type(ev);
        case EventKind::Alloc:
            return on_alloc(ev);
        case EventKind::Bind:
            return on_bind(ev);
        case EventKind::Unbind:
            return on_unbind(ev);
        case EventKind::Append:
            return on_append(ev);
        case EventKind::Set:
            return on_set(ev);
        case EventKind::Unset:
            return on_unset(ev);
        case EventKind::Remove:
            return on_remove(ev);
        case EventKind::Clear:
            return on_clear(ev);
        case EventKind::Drop:
            return on_drop(ev);
        case EventKind::Weakref:
            return on_weakref(ev);
        case EventKind::Collect:
            return on_collect(ev);
        case EventKind::GcControl:
            return on_gc(ev);
        case EventKind::Threshold:
            return on_threshold(ev);
        case EventKind::Expect:
            return on_expect(ev);
    }
    return std::nullopt;
}

// Hands the ids of dead objects back to the symbol table, so that it grows
// with the live heap only, and the id operands of a rejected event or an
// `expect` that name no live object. Dead ids go in batches, once there are
// more than a quarter of the live objects (and 1k) waiting: an id reused
// meanwhile (an address) is live again and stays, at no cost, and a table
// of never-reused ids (counters) holds at most 1.25x the live ones plus the
// batch. The floor is small because on a small heap it is the whole
// difference between never-reused and reused ids: 64k waiting ids held
// ~3 MiB (entries, index, id map, the batch itself) against a 13 MiB
// process; 1k costs the same instructions per event (callgrind, `web` 2M,
// docs/performance.md "Session 8: never-reused ids at 10^8 events"). Done
// between events, so an event's own symbols stay valid while it is applied
// (the heap interns keys meanwhile).
void Heap::forget_ids(const Event& ev, bool failed) {
    auto release = [&](Sym s) {
        if (s == kNoSym || (s < id_to_object_.size() && id_to_object_[s] != kNoHandle)) return;
        const bool allocated = s < id_seen_.size() && id_seen_[s];
        if (symbols_.release_id(s, allocated) && allocated) id_seen_[s] = 0;
    };
    if (dead_ids_.size() > forget_at_) {
        for (Sym s : dead_ids_) release(s);
        dead_ids_.clear();
        forget_at_ = kForgetBatch + live_objects_ / 4;
    }
    if (!failed && ev.kind != EventKind::Expect) return;
    release(ev.id);
    release(ev.ref);
    for (Sym s : ev.refs) release(s);
}

bool Heap::ever_allocated(Sym id) const {
    if (id < id_seen_.size() && id_seen_[id]) return true;
    return symbols_.forgets_dead_ids() && symbols_.retired(symbols_.str(id));
}

std::optional<Diagnostic> Heap::on_type(const Event& ev) {
    if (ev.decl.slots >= 0 && !ev.decl.instance)
        return error(ev, ErrorKind::Syntax,
                     "slots= applies to instance types only (" + quote(ev.name) + ")");
    if (auto existing = types_.find(ev.name)) {
        const bool builtin = *existing <= types_.weakref();
        return error(ev, ErrorKind::TypeRedeclared,
                     quote(ev.name) + (builtin ? " is a built-in type" : " is already declared"));
    }
    types_.declare(ev.name, ev.decl);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_alloc(const Event& ev) {
    if (ev.id < id_to_object_.size() && id_to_object_[ev.id] != kNoHandle)
        return error(ev, ErrorKind::LiveId,
                     "id " + quote(ev.id) +
                         " is already live (an id can be reused only after its "
                         "object is freed)");
    const auto type = types_.find(ev.type);
    if (!type)
        return error(ev, ErrorKind::UnknownType,
                     "unknown type " + quote(ev.type) + " (declare it first with `type " +
                         std::string(symbols_.str(ev.type)) + " ...`)");
    const TypeInfo& t = types_[*type];
    if (t.layout == Layout::Weakref)
        return error(ev, ErrorKind::Syntax, "weakref objects are created by the weakref event");
    for (Sym r : ev.refs) {
        Handle h;
        if (auto d = check_live(ev, r, "reference", h)) return d;
    }
    if (!ev.refs.empty() && (!t.gc || t.layout == Layout::Weakref))
        return error(ev, ErrorKind::NotContainer,
                     "type " + quote(ev.type) + " holds no references");
    if (t.layout == Layout::Instance && t.slots >= 0) {
        std::uint64_t fresh = 0;
        for (std::size_t i = 0; i < ev.refs.size(); ++i)
            if (!t.key_index.count(index_key(static_cast<std::uint32_t>(i)))) ++fresh;
        if (t.key_index.size() + fresh > static_cast<std::uint64_t>(t.slots))
            return error(ev, ErrorKind::SlotsExhausted,
                         quote(ev.type) + " has " + std::to_string(t.slots) +
                             (t.slots == 1 ? " slot" : " slots") + "; these references need more");
    }
    const std::uint64_t bytes =
        object_bytes(*type, static_cast<std::uint32_t>(ev.refs.size()), ev.size);
    if (options_.max_objects && live_objects_ + 1 > options_.max_objects)
        return error(ev, ErrorKind::Limit,
                     "--max-objects " + std::to_string(options_.max_objects) + " reached");
    if (options_.max_bytes && live_bytes_ + bytes > options_.max_bytes)
        return error(ev, ErrorKind::Limit,
                     "--max-memory " + std::to_string(options_.max_bytes) +
                         " bytes exceeded: this object of " + std::to_string(bytes) +
                         " bytes would make " + std::to_string(live_bytes_ + bytes) +
                         " bytes live");

    const auto n = static_cast<std::uint32_t>(ev.refs.size());
    const Layout layout = t.layout;
    if (layout == Layout::Tuple && n == 0) {
        // () is CPython's shared singleton: no allocation, never tracked.
        const Handle h = new_object(*type, ev.id, ev.site, 0, false);
        objects_[h].flags |= flag::kEmptyTuple;
        objects_[h].tuple_size() = 0;
        return std::nullopt;
    }
    if (layout == Layout::List || layout == Layout::Tuple || layout == Layout::Set ||
        layout == Layout::Dict) {
        // A display ([a, b], (a, b), {a, b}, {'0': a, '1': b}): the items sit on
        // the interpreter's stack while the container is allocated.
        for (Sym r : ev.refs) incref(id_to_object_[r]);
        if (!freelist_pop(*type, n)) gc_link();
        const Handle h = new_object(*type, ev.id, ev.site, bytes, false);
        if (layout == Layout::Tuple) objects_[h].tuple_size() = n;
        bool trackable = false;
        for (std::uint32_t i = 0; i < n; ++i) {
            const Handle r = id_to_object_[ev.refs[i]];
            const Sym key =
                layout == Layout::Dict ? index_key(static_cast<std::uint32_t>(i)) : kNoSym;
            insert_edge(h, i, Edge{r, key});
            trackable = trackable || may_be_tracked(r);
        }
        if (track_display(h, layout, trackable)) track(h);
        // 3.12+: the display is complete when the next call checks the eval
        // breaker (§15.1), while the temporaries it holds are still bound.
        safe_point();
        for (Sym r : ev.refs) release_creation_ref(id_to_object_[r]);
        return std::nullopt;
    }
    if (!t.gc) {
        new_object(*type, ev.id, ev.site, bytes, false);
        return std::nullopt;
    }
    // Instances (C() then one attribute store per reference), functions and
    // declared gc types: allocated and tracked first, references stored after.
    gc_link();
    const Handle h = new_object(*type, ev.id, ev.site, bytes, false);
    track(h);
    types_.on_new_instance(*type);
    // 3.12+: C() returns, a safe point, before the references are stored (§15.1).
    safe_point();
    for (std::uint32_t i = 0; i < n; ++i) {
        const Handle r = id_to_object_[ev.refs[i]];
        if (layout == Layout::Generic) {
            take_ref(r);
            insert_edge(h, objects_[h].nedges, Edge{r, kNoSym});
            continue;
        }
        incref(r);
        store_keyed(h, index_key(static_cast<std::uint32_t>(i)), r);
        // A temporary is released after the store that uses it last.
        if (std::find(ev.refs.begin() + i + 1, ev.refs.end(), ev.refs[i]) == ev.refs.end())
            release_creation_ref(r);
    }
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_bind(const Event& ev) {
    Handle h;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (names_.size() <= ev.name) names_.resize(std::size_t{ev.name} + 1, kNoHandle);
    take_ref(h);
    const Handle old = names_[ev.name];
    if (old == kNoHandle) note_bound(ev.name);
    names_[ev.name] = h;
    if (old != kNoHandle) decref(old);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_unbind(const Event& ev) {
    if (ev.name >= names_.size() || names_[ev.name] == kNoHandle)
        return error(ev, ErrorKind::UnboundName, "name " + quote(ev.name) + " is not bound");
    const Handle old = names_[ev.name];
    names_[ev.name] = kNoHandle;
    decref(old);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_append(const Event& ev) {
    Handle h, r;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (auto d = check_live(ev, ev.ref, "reference", r)) return d;
    if (auto d = check_container(ev, h)) return d;
    const TypeInfo& t = types_[objects_[h].type];
    const bool keyed =
        t.layout == Layout::Dict || t.layout == Layout::Instance || t.layout == Layout::Function;
    if (!keyed) {
        take_ref(r);
        insert_edge(h, objects_[h].nedges, Edge{r, kNoSym});
        return std::nullopt;
    }
    const Sym key = auto_key(h);
    if (t.layout == Layout::Instance && t.slots >= 0 && !t.key_index.count(key) &&
        t.key_index.size() >= static_cast<std::size_t>(t.slots))
        return error(ev, ErrorKind::SlotsExhausted,
                     quote(ev.id) + " has no free slot for another reference");
    store_from_stack(h, key, r);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_set(const Event& ev) {
    Handle h, r;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (auto d = check_live(ev, ev.ref, "reference", r)) return d;
    if (auto d = check_container(ev, h)) return d;
    const TypeInfo& t = types_[objects_[h].type];
    if (t.layout == Layout::Set)
        return error(ev, ErrorKind::NotContainer,
                     quote(ev.id) + " is a set: it holds unkeyed references (use append)");
    if (is_sequence(t.layout)) {
        const auto index = parse_index(symbols_.str(ev.key));
        if (!index || *index >= objects_[h].nedges)
            return error(ev, ErrorKind::NoSuchRef,
                         "index " + quote(ev.key) + " out of range for " + quote(ev.id) + " (" +
                             std::to_string(objects_[h].nedges) + " items)");
        // c[i] = v: the list and v sit on the interpreter's stack while the
        // old item is released (STORE_SUBSCR); it matters when the list is
        // otherwise unreachable and the release runs a collection.
        incref(h);
        incref(r);
        take_ref(r);
        const std::uint32_t pos = *index;
        const Handle old = edge(h, pos).target;
        edge(h, pos).target = r;
        decref(old);
        decref(r);
        decref(h);
        return std::nullopt;
    }
    if (t.layout == Layout::Instance && t.slots >= 0 && !t.key_index.count(ev.key) &&
        t.key_index.size() >= static_cast<std::size_t>(t.slots))
        return error(ev, ErrorKind::SlotsExhausted,
                     quote(ev.id) + " has " + std::to_string(t.slots) +
                         (t.slots == 1 ? " slot" : " slots") + ", all in use; no room for key " +
                         quote(ev.key));
    store_from_stack(h, ev.key, r);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_unset(const Event& ev) {
    Handle h;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (auto d = check_container(ev, h)) return d;
    const Handle from = holder(h);
    std::optional<Edge> e;
    if (is_sequence(types_[objects_[h].type].layout)) {
        const auto pos = parse_index(symbols_.str(ev.key));
        if (pos && *pos < objects_[h].nedges) e = erase_edge(from, *pos);
    } else {
        e = erase_key(from, ev.key);
    }
    if (!e) return error(ev, ErrorKind::NoSuchRef, quote(ev.id) + " has no key " + quote(ev.key));
    // del c[k] / del o.k: the container sits on the stack while the value is
    // released (DELETE_SUBSCR, DELETE_ATTR).
    incref(h);
    decref(e->target);
    decref(h);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_remove(const Event& ev) {
    Handle h, r;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (auto d = check_live(ev, ev.ref, "reference", r)) return d;
    if (auto d = check_container(ev, h)) return d;
    const Handle from = holder(h);
    const auto pos = find_target(from, r);
    if (!pos)
        return error(ev, ErrorKind::NoSuchRef,
                     quote(ev.id) + " holds no reference to " + quote(ev.ref));
    if (types_[objects_[h].type].layout == Layout::Set) {
        // s.remove(x): the call holds s and x; the set drops its reference
        // inside it, then the call releases s, then x (CALL clears its
        // arguments in order), so x dies after the set is let go.
        incref(r);
        incref(h);
        const Edge e = erase_edge(from, *pos);
        decref(e.target);
        decref(h);
        decref(r);
        return std::nullopt;
    }
    // del c[i] / del o.k: the container sits on the stack (DELETE_SUBSCR).
    incref(h);
    const Edge e = erase_edge(from, *pos);
    decref(e.target);
    decref(h);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_clear(const Event& ev) {
    Handle h;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (auto d = check_container(ev, h)) return d;
    incref(h);
    release_all(holder(h));
    decref(h);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_drop(const Event& ev) {
    Handle h;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    if (!(objects_[h].flags & flag::kCreationRef))
        return error(ev, ErrorKind::NotTemporary,
                     quote(ev.id) + " was already stored; its creation reference is gone");
    objects_[h].flags &= ~flag::kCreationRef;
    decref(h);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_weakref(const Event& ev) {
    if (ev.id < id_to_object_.size() && id_to_object_[ev.id] != kNoHandle)
        return error(ev, ErrorKind::LiveId, "id " + quote(ev.id) + " is already live");
    Handle target;
    if (auto d = check_live(ev, ev.ref, "target", target)) return d;
    const TypeInfo& tt = types_[objects_[target].type];
    if (!tt.weakrefable)
        return error(ev, ErrorKind::NotWeakrefable,
                     "type " + quote(tt.name) + " of " + quote(ev.ref) +
                         " does not support weak references");
    const Handle head = objects_[target].first_weakref();
    if (ev.label == kNoSym && head != kNoHandle && weak_infos_[objects_[head].weak_info()].label == kNoSym)
        return error(ev, ErrorKind::DuplicateWeakref,
                     quote(ev.ref) + " already has a weakref without callback (" +
                         quote(objects_[head].id) + "); bind that one instead");
    if (options_.max_objects && live_objects_ + 1 > options_.max_objects)
        return error(ev, ErrorKind::Limit,
                     "--max-objects " + std::to_string(options_.max_objects) + " reached");

    // weakref.ref(t[, cb]): the call's argument tuple first, then the weakref.
    incref(target);  // on the stack
    const std::uint32_t nargs = ev.label == kNoSym ? 1 : 2;
    if (!freelist_pop(types_.tuple(), nargs)) gc_link();
    const Handle args = new_object(types_.tuple(), kNoSym, kNoSym, 40 + 8 * nargs, true);
    objects_[args].tuple_size() = nargs;
    incref(target);
    insert_edge(args, 0, Edge{target, kNoSym});
    track(args);
    gc_link();
    const Handle w =
        new_object(types_.weakref(), ev.id, kNoSym, object_bytes(types_.weakref(), 0, -1), false);
    std::uint32_t info;
    if (!free_weak_infos_.empty()) {
        info = free_weak_infos_.back();
        free_weak_infos_.pop_back();
    } else {
        info = static_cast<std::uint32_t>(weak_infos_.size());
        weak_infos_.emplace_back();
    }
    weak_infos_[info] = WeakInfo{w, target, kNoHandle, kNoHandle, ev.label};
    objects_[w].weak_info() = info;
    track(w);
    // The callback-less ref stays at the head; each ref with a callback goes
    // right after it, so callback refs are newest first.
    const Handle first = objects_[target].first_weakref();
    Handle after = kNoHandle;
    if (ev.label != kNoSym && first != kNoHandle && weak_infos_[objects_[first].weak_info()].label == kNoSym)
        after = first;
    WeakInfo& wi = weak_infos_[info];
    if (after == kNoHandle) {
        wi.next = first;
        if (first != kNoHandle) weak_infos_[objects_[first].weak_info()].prev = w;
        objects_[target].first_weakref() = w;
    } else {
        WeakInfo& ai = weak_infos_[objects_[after].weak_info()];
        wi.prev = after;
        wi.next = ai.next;
        if (ai.next != kNoHandle) weak_infos_[objects_[ai.next].weak_info()].prev = w;
        ai.next = w;
    }
    decref(args);
    decref(target);
    safe_point();  // 3.12+: after weakref.ref() returns (§15.1, §15.3)
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_collect(const Event& ev) {
    if (ev.generation < 0 || ev.generation > 2)
        return error(ev, ErrorKind::InvalidGeneration,
                     "invalid generation " + std::to_string(ev.generation) + " (0, 1 or 2)");
    last_collect_result_ = 0;
    have_collect_result_ = true;
    if (!options_.policy.collects()) return std::nullopt;
    set_collecting(true);
    last_collect_result_ = collect(ev.generation, Trigger::Collect);
    set_collecting(false);
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_gc(const Event& ev) {
    switch (ev.action) {
        case GcAction::Enable:
            gc_.enabled = true;
            break;
        case GcAction::Disable:
            gc_.enabled = false;
            break;
        case GcAction::Freeze:
            for (ListId g : {kGen0, kGen1, kGen2}) objects_.merge(g, kPermanent);
            gc_.count = {0, 0, 0};
            gc_.interpreter_frozen = true;
            break;
        case GcAction::Unfreeze:
            // _PyGC_Unfreeze: into the oldest generation; 3.14.0 into the
            // visited space; free-threaded, back into the one heap.
            objects_.merge(kPermanent, traits_.collector == Collector::Incremental ? visited_list()
                                       : free_threaded_                            ? kGen0
                                                                                   : kGen2);
            gc_.interpreter_frozen = false;
            break;
        case GcAction::Safepoint:
            explicit_safe_points_ = true;
            if (gc_scheduled_) run_scheduled();
            break;
        case GcAction::Uncounted:
            uncounted_next_ = true;
            break;
        case GcAction::Counts:
            for (int i = 0; i < 3; ++i) gc_.count[i] = static_cast<std::uint64_t>(ev.values[i]);
            break;
        case GcAction::LongLived:
            // A recording's long_lived_total / long_lived_pending when its
            // window opened: the full-collection rule starts from them.
            gc_.long_lived_total = static_cast<std::uint64_t>(ev.values[0]);
            gc_.long_lived_pending = static_cast<std::uint64_t>(ev.values[1]);
            break;
        case GcAction::Finalizer:
        case GcAction::Callback:
            return on_collection_hook(ev);
    }
    refresh_trigger();
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_threshold(const Event& ev) {
    if (ev.nvalues < 1 || ev.nvalues > 3)
        return error(ev, ErrorKind::Syntax, "expects 1 to 3 values");
    // gc.set_threshold(...) first allocates its argument tuple, which can
    // start a collection under the old thresholds.
    const auto n = static_cast<std::uint32_t>(ev.nvalues);
    if (!freelist_pop(types_.tuple(), n)) gc_link();
    const Handle args = new_object(types_.tuple(), kNoSym, kNoSym, 40 + 8 * n, true);
    objects_[args].tuple_size() = n;
    track(args);
    ++threshold_events_;
    if (options_.policy.follow_trace_thresholds) {
        ++threshold_events_applied_;
        // 3.14.0's set_threshold ignores the items after the second (§6.4).
        const int n_applied =
            traits_.collector == Collector::Incremental ? std::min(ev.nvalues, 2) : ev.nvalues;
        for (int i = 0; i < n_applied; ++i) gc_.threshold[i] = ev.values[i];
        refresh_trigger();
    }
    decref(args);
    // 3.12+: the run scheduled by the argument tuple sees the new
    // thresholds (§15.5).
    safe_point();
    return std::nullopt;
}

std::optional<Diagnostic> Heap::on_expect(const Event& ev) {
    if (!options_.check_expects) return std::nullopt;
    auto fail = [&](std::string message) {
        expect_failures_.push_back(ExpectFailure{ev.number, ev.line, std::move(message)});
        ++summary_.expect_failures;
    };
    const Handle h =
        ev.id != kNoSym && ev.id < id_to_object_.size() ? id_to_object_[ev.id] : kNoHandle;
    const bool seen = ev.id != kNoSym && ever_allocated(ev.id);
    const std::string who = ev.id != kNoSym ? quote(ev.id) : "";
    switch (ev.expect) {
        case ExpectKind::Alive:
            if (h == kNoHandle)
                fail("expect alive " + std::string(symbols_.str(ev.id)) + ": " + who +
                     (seen ? " has been freed" : " was never allocated"));
            break;
        case ExpectKind::Freed:
            if (h != kNoHandle)
                fail("expect freed " + std::string(symbols_.str(ev.id)) + ": " + who +
                     " is alive (refcount " + std::to_string(objects_[h].refcnt) + ")");
            else if (!seen)
                fail("expect freed " + std::string(symbols_.str(ev.id)) + ": " + who +
                     " was never allocated");
            break;
        case ExpectKind::Refcount: {
            const std::string what = "expect refcount " + std::string(symbols_.str(ev.id)) + " " +
                                     std::to_string(ev.values[0]) + ": ";
            if (h == kNoHandle)
                fail(what + who + " is not live");
            else if (static_cast<std::int64_t>(objects_[h].refcnt) != ev.values[0])
                fail(what + "refcount is " + std::to_string(objects_[h].refcnt));
            break;
        }
        case ExpectKind::Count: {
            const std::array<std::int64_t, 3> count = get_count();
            bool same = true;
            for (int i = 0; i < 3; ++i) same = same && count[i] == ev.values[i];
            if (!same)
                fail("expect count " + std::to_string(ev.values[0]) + " " +
                     std::to_string(ev.values[1]) + " " + std::to_string(ev.values[2]) +
                     ": gc.get_count() is (" + std::to_string(count[0]) + ", " +
                     std::to_string(count[1]) + ", " + std::to_string(count[2]) + ")");
            break;
        }
        case ExpectKind::Collected:
            if (!have_collect_result_)
                fail("expect collected " + std::to_string(ev.values[0]) +
                     ": no collect event before it");
            else if (static_cast<std::int64_t>(last_collect_result_) != ev.values[0])
                fail("expect collected " + std::to_string(ev.values[0]) +
                     ": the last collect returned " + std::to_string(last_collect_result_));
            break;
        case ExpectKind::Collection:
            if (auto why = check_collection(ev)) fail(std::move(*why));
            break;
    }
    return std::nullopt;
}

}  // namespace heapsim

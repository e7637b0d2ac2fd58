// Collection hooks: what a recorded program's __del__ or weakref callback
// did while the collector ran, replayed by the model at the step of the
// collection where CPython runs them (docs/trace-format.md, "Collection
// hooks"; cpython-gc.md §5 steps 8-10).
//
//   gc finalizer ID NAME   the next collection that runs ID's finalizer
//                          (finalize_garbage, step 9) runs `bind NAME ID`
//                          in it: ID is resurrected (step 10).
//   gc callback ID NAME    the next collection runs a weakref callback for
//                          the weakref object ID (handle_weakrefs, step 8:
//                          incref, callback, decref), which runs `unbind
//                          NAME`; ID freed by it counts as collected.
//
// Hooks are armed for the next collection only: what it does not use is
// dropped when it ends.
#include <algorithm>

#include "sim/heap.h"

namespace heapsim {

std::optional<Diagnostic> Heap::on_collection_hook(const Event& ev) {
    Handle h;
    if (auto d = check_live(ev, ev.id, "id", h)) return d;
    hooks_.push_back(CollectionHook{ev.action, h, ev.name});
    return std::nullopt;
}

// handle_weakrefs: a callback hook's weakref joins wrcb_to_call unless it is
// garbage itself (COLLECTING still set), untracked, or already queued.
void Heap::queue_hook_callbacks() {
    for (const CollectionHook& k : hooks_) {
        if (k.kind != GcAction::Callback) continue;
        const Object& o = objects_[k.obj];
        if (!(o.flags & flag::kLive) || (o.flags & flag::kCollecting) || o.list == kUntracked ||
            o.list == kCallbacks)
            continue;
        incref(k.obj);
        objects_.move_tail(kCallbacks, k.obj);
    }
}

// Runs the hooks of `kind` armed for h; true if there was one.
bool Heap::run_hook(GcAction kind, Handle h) {
    bool ran = false;
    for (CollectionHook& k : hooks_) {
        if (k.kind != kind || k.obj != h || k.name == kNoSym) continue;
        const Sym name = k.name;
        k.name = kNoSym;  // once
        ran = true;
        if (names_.size() <= name) names_.resize(std::size_t{name} + 1, kNoHandle);
        const Handle old = names_[name];
        if (kind == GcAction::Finalizer) {  // bind NAME ID
            take_ref(h);
            if (old == kNoHandle) note_bound(name);
            names_[name] = h;
            hook_bound_ = true;
            if (old != kNoHandle) decref(old);
        } else if (old != kNoHandle) {  // unbind NAME
            names_[name] = kNoHandle;
            decref(old);
        }
    }
    return ran;
}

// A callback hook for wr, in handle_weakrefs' callback loop: the callback
// runs (a real weakref's is recorded in the report), then the hook's unbind.
bool Heap::run_hook_callback(Handle wr) {
    const bool armed = std::any_of(hooks_.begin(), hooks_.end(), [wr](const CollectionHook& k) {
        return k.kind == GcAction::Callback && k.obj == wr && k.name != kNoSym;
    });
    if (!armed) return false;
    if (types_[objects_[wr].type].layout == Layout::Weakref &&
        weak_infos_[objects_[wr].weak_info()].label != kNoSym)
        record_callback(wr);
    else
        safe_point();  // 3.12+: entering the callback checks the eval breaker
    run_hook(GcAction::Callback, wr);
    return true;
}

// handle_resurrected_objects (gcmodule.c:1157@3.11): the garbage is deduced
// again; what a finalizer made reachable from outside, and what it reaches,
// moves to `old` and is not counted. Only a finalizer hook can resurrect.
void Heap::handle_resurrected_objects(ListId old) {
    for (Handle h = objects_.first(kUnreachable); h != kNoHandle; h = objects_.next(h))
        objects_[h].flags &= ~(flag::kCollecting | flag::kUnreachable);
    deduce_unreachable(kUnreachable, kSeen);
    for (Handle h = objects_.first(kUnreachable); h != kNoHandle; h = objects_.next(h))
        objects_[h].flags &= ~flag::kCollecting;
    objects_.merge(kUnreachable, old);
    for (Handle h = objects_.first(kSeen); h != kNoHandle; h = objects_.next(h))
        objects_[h].flags &= ~flag::kUnreachable;
    objects_.merge(kSeen, kUnreachable);
}

}  // namespace heapsim

namespace heapsim {

// `expect collection GEN COLLECTED UNCOLLECTABLE` (recorded traces: each
// collection of the recording, docs/trace-format.md): the replay ran a
// collection since the previous such check, and its latest one has the
// recorded generation and result.
std::optional<std::string> Heap::check_collection(const Event& ev) {
    const std::string what = "expect collection " + std::to_string(ev.values[0]) + " " +
                             std::to_string(ev.values[1]) + " " + std::to_string(ev.values[2]);
    const std::size_t since = collections_checked_;
    collections_checked_ = collections_.size();
    if (collections_.size() == since) return what + ": the replay ran no collection here";
    const CollectionRecord& c = collections_.back();
    if (c.generation == ev.values[0] && static_cast<std::int64_t>(c.collected) == ev.values[1] &&
        static_cast<std::int64_t>(c.uncollectable) == ev.values[2])
        return std::nullopt;
    return what + ": the replay's collection was generation " + std::to_string(c.generation) +
           ", collected " + std::to_string(c.collected) + ", uncollectable " +
           std::to_string(c.uncollectable);
}

}  // namespace heapsim

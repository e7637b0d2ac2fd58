// Freeing: the reference-count cascade in CPython's exact order, without
// recursion on the C++ stack.
//
// Each dying object gets a Frame that walks the phases of its type's
// tp_dealloc. When releasing a referent kills it too, the referent's frame is
// pushed and runs to completion first (depth first, like CPython's nested
// Py_DECREF calls), then the parent resumes where it stopped. The trashcan
// (Py_TRASHCAN_BEGIN/END, nesting limit and drain level per policy: 50 and
// 0 up to 3.12, 9948 and 9897 in 3.13) is
// modelled because it reorders finalizers and weakref callbacks in long chains.
#include <algorithm>
#include <iterator>

#include "sim/heap.h"

namespace heapsim {
namespace {

enum Phase : std::uint8_t {
    kEnter,       // untrack; trashcan begin
    kFinalize,    // tp_finalize (__del__)
    kWeakrefs,    // PyObject_ClearWeakRefs: callbacks
    kLegacyDel,   // tp_del
    kReferents,   // release what it holds, in the type's order
    kFree,        // free list or PyObject_GC_Del; trashcan end
    kDrainTrash,  // destroy the trashcan's deferred chain
};

}  // namespace

// An object whose tp_dealloc has nothing to run but the free itself: no
// trashcan, no finalizer, no weakref to clear, no reference to release.
// Its frame would go straight from kEnter to kFree, so it is freed in place
// (most deaths are of ints and strings: no frame is pushed for them).
bool Heap::frees_at_once(const Object& o) const {
    if (o.nedges != 0) return false;
    const TypeInfo& t = types_[o.type];
    return !t.trashcan && !t.finalizer && !t.legacy_finalizer && t.layout != Layout::Weakref &&
           (!t.weakrefable || o.first_weakref() == kNoHandle);
}

void Heap::free_at_once(Handle h) {
    objects_.unlink(h);
    free_object(h);
}

void Heap::decref(Handle h) {
    Object& o = objects_[h];
    if (--o.refcnt != 0) return;
    if (frees_at_once(o)) return free_at_once(h);
    const std::size_t base = frames_.size();
    if (!dealloc_inline(h)) run_deallocs(base);
}

// The frame's phases run here, without a frame, for an object whose
// tp_dealloc runs no code and whose referents need no frame either: a
// container of ints and strings, or of objects other references keep alive
// (most container deaths). Each phase's test is dealloc_step's: kEnter (not
// the () singleton, trashcan below its limit), kFinalize (no __del__ left to
// run), kWeakrefs (none), kLegacyDel (no tp_del), kReferents in visit order
// (not a weakref). A referent that needs a frame gets one, above this
// object's frame resuming at the next referent: the state dealloc_step
// would be in. Returns true when the object is freed, false when frames
// were pushed for the caller to run.
bool Heap::dealloc_inline(Handle h) {
    const Object& o = objects_[h];
    const TypeInfo& t = types_[o.type];
    const bool plain = !(o.flags & flag::kEmptyTuple) &&
                       !(t.finalizer && !(o.flags & flag::kFinalized)) && !t.legacy_finalizer &&
                       t.layout != Layout::Weakref &&
                       !(t.weakrefable && o.first_weakref() != kNoHandle) &&
                       !(t.trashcan && (trash_nesting_ >= trash_limit_ || !trash_later_.empty()));
    if (!plain) {
        frames_.push_back(Frame{h, 0, kEnter, false});
        return false;
    }
    objects_.unlink(h);
    const bool counted = t.trashcan;
    if (counted) ++trash_nesting_;
    const std::uint32_t n = o.nedges;
    for (std::uint32_t k = 0; k < n; ++k) {
        const Handle r = edge(h, visit_position(h, k)).target;
        Object& ro = objects_[r];
        if (--ro.refcnt != 0) continue;
        if (frees_at_once(ro)) {
            free_at_once(r);
            continue;
        }
        frames_.push_back(Frame{h, k + 1, kReferents, counted});
        frames_.push_back(Frame{r, 0, kEnter, false});
        return false;
    }
    // kFree: nothing was deferred to the trashcan's chain (it was empty and
    // leaves add nothing to it), so there is nothing to drain.
    free_object(h);
    if (counted) --trash_nesting_;
    return true;
}

void Heap::run_deallocs(std::size_t base) {
    while (frames_.size() > base) {
        if (dealloc_step(frames_.size() - 1)) frames_.pop_back();
    }
}

// Lists and tuples go last to first. Instances with inline values keep
// their attributes in insertion order (that is the order a materialized
// __dict__ gets) but CPython visits and releases them in shared-key order.
std::uint32_t Heap::visit_position(Handle h, std::uint32_t n) const {
    const Object& o = objects_[h];
    const TypeInfo& t = types_[o.type];
    if (t.layout == Layout::List || t.layout == Layout::Tuple) return o.nedges - 1 - n;
    if (t.layout != Layout::Instance || t.slots >= 0 || (o.flags & flag::kMaterialized)) return n;
    // Stored in shared-key order (each new attribute's index above the
    // last one's, the common case): visit order is storage order.
    if (!(o.flags & flag::kKeyOrderMixed)) return n;
    std::uint32_t by_index[kSharedKeysMax];
    std::fill(std::begin(by_index), std::end(by_index), kNoHandle);
    const Edge* edges = &edge(h, 0);  // n < nedges; instances have no tombstones
    for (std::uint32_t k = 0; k < o.nedges; ++k) by_index[t.key_index.at(edges[k].key)] = k;
    for (std::uint32_t pos : by_index)
        if (pos != kNoHandle && n-- == 0) return pos;
    return o.nedges;  // unreachable: n < nedges
}

// Runs the frame at `index` until it finishes (returns true) or pushes a
// child frame (returns false; it resumes when the child is done).
bool Heap::dealloc_step(std::size_t index) {
    auto child = [&](Handle h) {
        Object& o = objects_[h];
        if (--o.refcnt != 0) return false;
        if (frees_at_once(o)) {
            free_at_once(h);
            return false;
        }
        return !dealloc_inline(h);
    };
    while (true) {
        Frame& f = frames_[index];
        switch (f.phase) {
            case kEnter: {
                Object& o = objects_[f.obj];
                objects_.unlink(f.obj);
                if (o.flags & flag::kEmptyTuple) {
                    free_object(f.obj);
                    return true;
                }
                if (types_[o.type].trashcan) {
                    if (trash_nesting_ >= trash_limit_) {
                        trash_later_.push_back(f.obj);
                        return true;
                    }
                    ++trash_nesting_;
                    f.counted = true;
                }
                f.phase = kFinalize;
                break;
            }
            case kFinalize: {
                Object& o = objects_[f.obj];
                if (types_[o.type].finalizer && !(o.flags & flag::kFinalized)) {
                    o.flags |= flag::kFinalized;
                    record_finalizer(f.obj);
                }
                f.phase = kWeakrefs;
                break;
            }
            case kWeakrefs: {
                f.phase = kLegacyDel;
                const Object& o = objects_[f.obj];
                if (types_[o.type].weakrefable && o.first_weakref() != kNoHandle) {
                    const Handle args = clear_weakrefs_on_death(f.obj);
                    if (args != kNoHandle && child(args)) return false;
                }
                break;
            }
            case kLegacyDel: {
                const Object& o = objects_[f.obj];
                if (types_[o.type].legacy_finalizer) record_finalizer(f.obj);
                f.phase = kReferents;
                break;
            }
            case kReferents: {
                const Object& o = objects_[f.obj];
                if (types_[o.type].layout == Layout::Weakref) {
                    detach_weakref(f.obj);
                    f.phase = kFree;
                    break;
                }
                if (f.next_edge >= o.nedges) {
                    f.phase = kFree;
                    break;
                }
                const std::uint32_t i = visit_position(f.obj, f.next_edge);
                ++f.next_edge;
                if (child(edge(f.obj, i).target)) return false;
                break;
            }
            case kFree: {
                const bool counted = f.counted;
                free_object(f.obj);
                if (counted) --trash_nesting_;
                if (!counted || trash_later_.empty() || trash_nesting_ > trash_drain_at_)
                    return true;
                ++trash_nesting_;  // the chain runs one level deeper (3.11: at 1)
                frames_[index].phase = kDrainTrash;
                break;
            }
            case kDrainTrash: {
                if (trash_later_.empty()) {
                    --trash_nesting_;
                    return true;
                }
                const Handle next = trash_later_.back();
                trash_later_.pop_back();
                frames_.push_back(Frame{next, 0, kEnter, false});
                return false;
            }
        }
    }
}

void Heap::record_finalizer(Handle h) {
    const Object& o = objects_[h];
    if (o.flags & flag::kHidden) return;
    // 3.12+: entering __del__ (RESUME) checks the eval breaker (unless the
    // trace says where the safe points are: `gc safepoint`).
    if (gc_scheduled_ && !explicit_safe_points_ && types_[o.type].finalizer) run_scheduled();
    finalizers_.push_back(FinalizerRecord{event_number_, std::string(symbols_.str(o.id))});
}

void Heap::record_callback(Handle wr) {
    safe_point();  // 3.12+: entering the callback (RESUME) checks the eval breaker
    const WeakInfo& w = weak_infos_[objects_[wr].weak_info()];
    callbacks_.push_back(WeakrefCallbackRecord{event_number_,
                                               std::string(symbols_.str(objects_[wr].id)),
                                               std::string(symbols_.str(w.label))});
}

void Heap::detach_weakref(Handle wr) {
    WeakInfo& w = weak_infos_[objects_[wr].weak_info()];
    if (w.target == kNoHandle) return;
    if (w.prev != kNoHandle) {
        weak_infos_[objects_[w.prev].weak_info()].next = w.next;
    } else {
        objects_[w.target].first_weakref() = w.next;
    }
    if (w.next != kNoHandle) weak_infos_[objects_[w.next].weak_info()].prev = w.prev;
    w.target = w.prev = w.next = kNoHandle;
}

// PyObject_ClearWeakRefs. A callback-less weakref at the head is cleared
// silently; one remaining weakref calls back directly (up to 3.12); several
// (from 3.13: any) are first all cleared, recorded in a new tuple (a GC allocation that can start a
// collection), called back in list order; that tuple is returned for the
// caller's frame to release (kNoHandle when none was built).
Handle Heap::clear_weakrefs_on_death(Handle h) {
    Handle head = objects_[h].first_weakref();
    if (head != kNoHandle && weak_infos_[objects_[head].weak_info()].label == kNoSym) {
        detach_weakref(head);
        head = objects_[h].first_weakref();
    }
    if (head == kNoHandle) return kNoHandle;
    std::uint32_t count = 0;
    for (Handle w = head; w != kNoHandle; w = weak_infos_[objects_[w].weak_info()].next) ++count;
    if (count < traits_.weakref_tuple_min) {
        detach_weakref(head);
        if (objects_[head].refcnt > 0) record_callback(head);
        return kNoHandle;
    }
    const std::uint32_t size = 2 * count;
    if (!freelist_pop(types_.tuple(), size)) gc_link();
    const Handle tuple = new_object(types_.tuple(), kNoSym, kNoSym, 40 + 8 * size, true);
    objects_[tuple].tuple_size() = size;
    track(tuple);
    for (std::uint32_t i = 0; i < count; ++i) {
        const Handle w = objects_[h].first_weakref();
        if (w == kNoHandle) break;  // a collection above freed some of them
        if (objects_[w].refcnt > 0) {
            incref(w);
            insert_edge(tuple, objects_[tuple].nedges, Edge{w, kNoSym});
        }
        detach_weakref(w);
    }
    for (std::uint32_t i = 0; i < objects_[tuple].nedges; ++i)
        record_callback(edge(tuple, i).target);
    return tuple;
}

void Heap::free_object(Handle h) {
    Object& o = objects_[h];
    const TypeInfo& t = types_[o.type];
    if (t.gc && !(o.flags & flag::kEmptyTuple)) {
        // A free list keeps the object without touching count0;
        // PyObject_GC_Del decrements it, never below zero.
        bool kept = false;
        if (o.type == types_.list() && free_lists_.list < FreeLists::kListMax) {
            ++free_lists_.list;
            kept = true;
        } else if (o.type == types_.dict() && free_lists_.dict < FreeLists::kDictMax) {
            ++free_lists_.dict;
            kept = true;
        } else if (o.type == types_.tuple() && o.tuple_size() >= 1 && o.tuple_size() <= FreeLists::kTuplePushMax &&
                   free_lists_.tuple[o.tuple_size()] < FreeLists::kTupleMax) {
            ++free_lists_.tuple[o.tuple_size()];
            kept = true;
        }
        if (!kept) gc_unlink_count();
    }
    if (t.layout == Layout::Weakref) {
        free_weak_infos_.push_back(o.weak_info());
    }
    if (!(o.flags & flag::kHidden)) {
        --live_objects_;
        live_bytes_ -= o.bytes;
        site_stats_.on_free(o.profile, o.bytes, o.flags & flag::kGcFreed, event_number_ - o.born);
        if (o.flags & flag::kGcFreed) {
            ++summary_.collected_by_gc;
            bytes_freed_in_collection_ += o.bytes;
        } else {
            ++summary_.freed_by_refcount;
        }
        id_to_object_[o.id] = kNoHandle;
        if (options_.record_frees) freed_ids_.push_back(o.id);
        if (forget_ids_) dead_ids_.push_back(o.id);  // released in batches (forget_ids)
        if (!uncounted_sites_.empty()) uncounted_sites_.erase(h);
    }
    release_edges(h);
    objects_.destroy(h);
}

// Drops every reference `h` holds, in the order of the type's clear
// (list.clear/_list_clear: all detached, then last to first; dict.clear and
// set.clear: all detached, entry order; instances and the rest: one at a
// time in visit order, like subtype_clear's Py_CLEAR).
void Heap::release_all(Handle h) {
    const Layout layout = types_[objects_[h].type].layout;
    if (layout == Layout::Weakref) {
        detach_weakref(h);
        return;
    }
    if (layout == Layout::List || layout == Layout::Tuple || layout == Layout::Dict ||
        layout == Layout::Set) {
        const std::size_t base = scratch_.size();
        const std::uint32_t n = objects_[h].nedges;
        const bool last_first = layout == Layout::List || layout == Layout::Tuple;
        for (std::uint32_t k = 0; k < n; ++k)
            scratch_.push_back(edge(h, last_first ? n - 1 - k : k).target);
        release_edges(h);
        // Nested releases push above our range and pop back before returning.
        for (std::size_t k = base; k < base + n; ++k) decref(scratch_[k]);
        scratch_.resize(base);
        return;
    }
    while (objects_[h].nedges > 0) {
        const Edge e = erase_edge(h, visit_position(h, 0));
        if (objects_[h].nedges == 0) objects_[h].flags &= ~flag::kMaterialized;
        decref(e.target);
    }
}

}  // namespace heapsim

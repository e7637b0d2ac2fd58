// Creating objects, counting GC allocations, free lists, and the references
// objects hold.
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "sim/heap.h"

namespace heapsim {

Handle Heap::new_object(TypeId type, Sym id, Sym site, std::uint64_t bytes, bool hidden) {
    // Every field written once, in place.
    static_assert(sizeof(Object) == 52, "new_object writes every field of Object: add the new one");
    const Handle h = objects_.create_unset();
    Object& o = objects_[h];
    o.prev = o.next = kNoHandle;
    o.type = type;
    o.refcnt = 1;
    o.id = id;
    o.edges = 0;
    o.nedges = 0;
    o.weak_word = kNoHandle;
    o.gc_refs = 0;
    o.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, 0xFFFFFFFFu));
    o.born = static_cast<std::uint32_t>(std::min<std::uint64_t>(event_number_, 0xFFFFFFFFu));
    o.profile = SiteStats::kNoEntry;
    o.flags = flag::kLive | (hidden ? flag::kHidden : flag::kCreationRef);
    o.list = kUntracked;
    o.cap_log2 = 0xFF;
    if (hidden) return h;
    if (id_to_object_.size() <= id) {
        id_to_object_.resize(std::size_t{id} + 1, kNoHandle);
        id_seen_.resize(std::size_t{id} + 1, 0);
    }
    id_to_object_[id] = h;
    id_seen_[id] = 1;
    note_root(h);
    ++summary_.objects_allocated;
    ++live_objects_;
    live_bytes_ += o.bytes;
    o.profile = site_stats_.on_alloc(type, site, o.bytes);
    // Past SiteStats' 2^22 - 1 (type, site) entries the word cannot name
    // the site: keep it aside (no trace has come near).
    if (o.profile == SiteStats::kNoEntry && site != kNoSym) uncounted_sites_[h] = site;
    if (live_bytes_ > summary_.peak_live_bytes) {
        site_stats_.mark_peak();
        peak_live_bytes_event_ = event_number_;
    }
    summary_.peak_live_objects = std::max(summary_.peak_live_objects, live_objects_);
    summary_.peak_live_bytes = std::max(summary_.peak_live_bytes, live_bytes_);
    return h;
}

void Heap::refresh_trigger() {
    const bool armed =
        options_.policy.collects() && gc_.enabled && gc_.threshold[0] != 0 && !gc_.collecting;
    trigger_at_ = armed ? gc_.threshold[0] : std::numeric_limits<std::int64_t>::max();
}

// count0 passed threshold0 with the collector enabled and idle.
void Heap::threshold_crossed() {
    if (traits_.collection_point == CollectionPoint::AtSafePoint) {
        gc_scheduled_ = true;  // _Py_ScheduleGC (gcmodule.c:2253@3.12.5)
        return;
    }
    set_collecting(true);
    collect_generations();
    set_collecting(false);
}

bool Heap::freelist_pop(TypeId type, std::uint32_t items) {
    if (type == types_.list() && free_lists_.list > 0) {
        --free_lists_.list;
        return true;
    }
    if (type == types_.dict() && free_lists_.dict > 0) {
        --free_lists_.dict;
        return true;
    }
    if (type == types_.tuple() && items >= 1 && items <= FreeLists::kTuplePopMax &&
        free_lists_.tuple[items] > 0) {
        --free_lists_.tuple[items];
        return true;
    }
    return false;
}

// maybe_tracked (tupleobject.c:166@3.14.7): by the items' types, not their
// tracking.
bool Heap::has_gc_item(Handle h) const {
    for (std::uint32_t i = 0; i < objects_[h].nedges; ++i)
        if (types_[objects_[edge(h, i).target].type].gc) return true;
    return false;
}

bool Heap::may_be_tracked(Handle h) const {
    const Object& o = objects_[h];
    const TypeInfo& t = types_[o.type];
    if (!t.gc) return false;
    return !(t.layout == Layout::Tuple && o.list == kUntracked);
}

void Heap::take_ref(Handle h) {
    Object& o = objects_[h];
    if (o.flags & flag::kCreationRef) {
        o.flags &= ~flag::kCreationRef;
    } else {
        ++o.refcnt;
    }
}

void Heap::release_creation_ref(Handle h) {
    Object& o = objects_[h];
    if (!(o.flags & flag::kCreationRef)) return;
    o.flags &= ~flag::kCreationRef;
    --o.refcnt;  // never the last: the caller has just stored it
}

void Heap::store_from_stack(Handle container, Sym key, Handle value) {
    // obj.key = value: both sit on the interpreter's stack during the store,
    // which matters when the store allocates (a materialized __dict__).
    incref(container);
    incref(value);
    store_keyed(container, key, value);
    release_creation_ref(value);
    decref(container);
}

// --- edges ---

void Heap::insert_edge(Handle h, std::uint32_t pos, Edge e) {
    Object& o = objects_[h];
    if (o.flags & flag::kKeyIndexed) return append_indexed(h, e);  // only appends reach them
    const std::uint32_t cap = o.cap_log2 == 0xFF ? 0 : (1u << o.cap_log2);
    if (o.nedges == cap) {
        const std::uint8_t new_log2 = o.cap_log2 == 0xFF ? 1 : o.cap_log2 + 1;
        const std::uint32_t block = refs_.allocate(new_log2);
        Object& again = objects_[h];
        if (again.nedges)
            std::memcpy(refs_.at(block), refs_.at(again.edges), sizeof(Edge) * again.nedges);
        if (again.cap_log2 != 0xFF) refs_.release(again.edges, again.cap_log2);
        again.edges = block;
        again.cap_log2 = new_log2;
    }
    Object& cur = objects_[h];
    Edge* base = refs_.at(cur.edges);
    std::memmove(base + pos + 1, base + pos, sizeof(Edge) * (cur.nedges - pos));
    base[pos] = e;
    ++cur.nedges;
}

Edge Heap::erase_edge(Handle h, std::uint32_t pos) {
    // By position (remove, clear): O(n) anyway; the index is rebuilt at the
    // next keyed lookup.
    if (objects_[h].flags & flag::kKeyIndexed) unindex_keys(h);
    Object& o = objects_[h];
    Edge* base = refs_.at(o.edges);
    const Edge e = base[pos];
    std::memmove(base + pos, base + pos + 1, sizeof(Edge) * (o.nedges - pos - 1));
    --o.nedges;
    return e;
}

void Heap::release_edges(Handle h) {
    Object& o = objects_[h];
    if (o.flags & flag::kKeyIndexed) [[unlikely]]
        drop_key_index(h);
    if (o.cap_log2 != 0xFF) refs_.release(o.edges, o.cap_log2);
    o.cap_log2 = 0xFF;
    o.nedges = 0;
}

// Only for containers without a key index (never sparse): a plain scan.
std::optional<std::uint32_t> Heap::find_key(Handle h, Sym key) const {
    const std::uint32_t n = objects_[h].nedges;
    const Edge* base = n ? refs_.at(objects_[h].edges) : nullptr;
    for (std::uint32_t i = 0; i < n; ++i)
        if (base[i].key == key) return i;
    return std::nullopt;
}

std::optional<std::uint32_t> Heap::find_target(Handle h, Handle target) const {
    const std::uint32_t n = objects_[h].nedges;
    if (n == 0) return std::nullopt;
    const Edge* base = &edge(h, 0);  // dense from here on (edge() squeezes tombstones out)
    for (std::uint32_t i = 0; i < n; ++i)
        if (base[i].target == target) return i;
    return std::nullopt;
}

// Interning is idempotent, so the cache gives the symbols interning would,
// and the first use of each key still interns it at the moment it did.
Sym Heap::intern_index_key(std::uint32_t i) const {
    if (i >= 4096) return symbols_.intern(std::to_string(i));  // keep the cache small
    if (index_keys_.size() <= i) index_keys_.resize(std::size_t{i} + 1, kNoSym);
    if (index_keys_[i] == kNoSym) index_keys_[i] = symbols_.intern(std::to_string(i));
    return index_keys_[i];
}

Sym Heap::auto_key(Handle container) {
    return next_append_key(objects_[container].id);
}

// --- keyed stores ---

void Heap::maintain_dict_tracking(Handle dict, Handle value) {
    // MAINTAIN_TRACKING: an untracked dict is tracked once it stores a value
    // the collector may need to see.
    if (!objects_.tracked(dict) && may_be_tracked(value)) track(dict);  // 3.14+: always tracked
}

Handle Heap::materialize_dict(Handle instance) {
    // make_dict_from_instance_attributes: the dict is allocated first (which
    // may run a collection while the instance still holds its values), then
    // takes the inline values over in the instance's insertion order (the
    // order dictresize gives them when the split table becomes combined).
    if (!freelist_pop(types_.dict(), 0)) gc_link();
    const Handle d = new_object(types_.dict(), kNoSym, kNoSym, 64, true);
    bool track_it = false;
    for (std::uint32_t i = 0; i < objects_[instance].nedges; ++i) {
        const Edge e = edge(instance, i);
        insert_edge(d, objects_[d].nedges, e);
        track_it = track_it || may_be_tracked(e.target);
    }
    release_edges(instance);
    insert_edge(instance, 0, Edge{d, kNoSym});
    objects_[instance].flags |= flag::kMaterialized;
    if (track_it || traits_.dicts_tracked_at_creation) track(d);
    return d;
}

void Heap::store_keyed(Handle h, Sym key, Handle value) {
    const TypeInfo& t = types_[objects_[h].type];
    if (t.layout == Layout::Instance) {
        if (objects_[h].flags & flag::kMaterialized) {
            store_keyed(holder(h), key, value);
            return;
        }
        const auto idx = types_.key_index(objects_[h].type, key);
        if (!idx) {
            // No shared-key room left: this instance gets a real __dict__.
            store_keyed(materialize_dict(h), key, value);
            return;
        }
        if (auto at = find_key(h, key)) {
            const Handle old = edge(h, *at).target;
            edge(h, *at).target = value;
            decref(old);
            return;
        }
        // Slots sit in sorted name order (type_new sorts __slots__); inline
        // values in this instance's insertion order (visit_position gives
        // the shared-key order CPython visits them in).
        std::uint32_t pos = objects_[h].nedges;
        if (types_[objects_[h].type].slots >= 0) {
            const std::string_view name = symbols_.str(key);
            pos = 0;
            while (pos < objects_[h].nedges && symbols_.str(edge(h, pos).key) < name) ++pos;
        } else if (pos > 0 && !(objects_[h].flags & flag::kKeyOrderMixed) &&
                   types_[objects_[h].type].key_index.at(edge(h, pos - 1).key) > *idx) {
            objects_[h].flags |= flag::kKeyOrderMixed;  // visit_position must sort them
        }
        insert_edge(h, pos, Edge{value, key});
        return;
    }
    if (Edge* at = keyed_edge(h, key)) {
        const Handle old = at->target;
        at->target = value;
        if (t.layout == Layout::Dict) maintain_dict_tracking(h, value);
        decref(old);
        return;
    }
    insert_edge(h, objects_[h].nedges, Edge{value, key});
    if (t.layout == Layout::Dict) maintain_dict_tracking(h, value);
}

}  // namespace heapsim

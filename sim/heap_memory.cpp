// Bytes by structure (sim/memory_use.h): what the heap holds now, and what
// the end-of-run analysis held at its largest (after finish).
#include "sim/heap.h"

namespace heapsim {

namespace {

template <typename V>
std::size_t vector_bytes(const V& v) {
    return v.capacity() * sizeof(typename V::value_type);
}

}  // namespace

// The references live objects hold (the rest of the pool is free blocks and
// the unused tail of each block).
std::size_t Heap::references_held() const {
    std::size_t held = 0;
    for (Handle h = kListCount; h < objects_.capacity(); ++h)
        if (objects_[h].flags & flag::kLive) held += objects_[h].nedges;
    return held;
}

std::vector<MemoryUse> Heap::memory_use() const {
    std::size_t key_index_bytes = 0;
    for (const auto& [handle, keyed] : key_indexes_)
        key_index_bytes +=
            sizeof(handle) + sizeof(keyed) + 2 * sizeof(void*) + keyed.index.memory_bytes();
    std::vector<MemoryUse> use = {
        {"object records (Object, " + std::to_string(sizeof(Object)) + " B each)",
         objects_.memory_bytes()},
        {"references (edge pool, free blocks included)", refs_.memory_bytes()},
        {"  of which references held (8 B each)", references_held() * sizeof(Edge)},
        {"key indexes of containers with > 16 references", key_index_bytes},
        {"symbols: entries (ids, names, keys, types, sites)", symbols_.entry_bytes()},
        {"symbols: index", symbols_.index_bytes()},
        {"symbols: long strings and free lists",
         symbols_.memory_bytes() - symbols_.entry_bytes() - symbols_.index_bytes()},
        // Estimated from the counts: a std::map node (an interval) or an
        // unordered_set node (a text of up to 15 bytes) takes 64 bytes.
        {"symbols: retired ids (interval sets, texts)",
         (symbols_.retired_ids().intervals() + symbols_.retired_ids().texts()) * 64},
        {"id -> object map and ever-allocated flags (by symbol)",
         id_to_object_.size() * sizeof(Handle) + id_seen_.size()},
        {"dead ids awaiting release", vector_bytes(dead_ids_)},
        {"names (by symbol)",
         vector_bytes(names_) + vector_bytes(bound_names_) + vector_bytes(name_listed_)},
        {"garbage marks and roots (measure_garbage)",
         vector_bytes(marks_) + vector_bytes(mark_stack_) + vector_bytes(roots_) +
             vector_bytes(root_listed_)},
        {"weakrefs", vector_bytes(weak_infos_) + vector_bytes(free_weak_infos_)},
        {"collection records and timeline", vector_bytes(collections_) + vector_bytes(timeline_)},
        // One per finalizer and weakref callback run, for the report's lists:
        // they grow with the trace, not with the heap (ids up to 15 bytes are
        // inside the string). finish() moves them into the RunResult.
        {"finalizer and callback records (listed in the report)",
         vector_bytes(finalizers_) + vector_bytes(callbacks_)},
    };
    use.insert(use.end(), analysis_use_.begin(), analysis_use_.end());
    return use;
}

}  // namespace heapsim

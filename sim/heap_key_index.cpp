// Keyed stores and deletes in O(1): the Heap's use of the key index
// (sim/key_index.h) for containers of more than kIndexAbove references.
//
// A container gets its index the first time a key is looked up in it while
// it is big (a store, a delete), so displays and small dicts, nearly all of
// them, never pay for one. An indexed container appends at the end of its
// edge array and deletes by key leave tombstones; the first reader of a
// position (edge()), an append into a full block or a delete by position
// squeezes them out in order. The order of references is exactly the order
// the linear path gives: insertion order, a delete keeps the order of the
// rest, a re-inserted key goes to the end.
#include <cstring>

#include "sim/heap.h"

namespace heapsim {

// Instances keep slots in name order and inline values in their type's
// shared-key order (at most kSharedKeysMax of them); lists and tuples have
// no keys. Everything else that is keyed appends in insertion order.
bool Heap::indexable(Handle h) const {
    const Layout l = types_[objects_[h].type].layout;
    return l != Layout::Instance && l != Layout::List && l != Layout::Tuple;
}

void Heap::index_keys(Handle h) {
    KeyedEdges& k = key_indexes_[h];
    Object& o = objects_[h];
    k.used = o.nedges;
    k.index.rebuild(refs_.at(o.edges), o.nedges);
    o.flags |= flag::kKeyIndexed;
}

// Back to the plain dense array (tombstones squeezed out first).
void Heap::unindex_keys(Handle h) {
    if (objects_[h].flags & flag::kSparseEdges) compact_keyed(h);
    drop_key_index(h);
}

void Heap::drop_key_index(Handle h) {
    key_indexes_.erase(h);
    objects_[h].flags &= ~(flag::kKeyIndexed | flag::kSparseEdges);
}

// Their memory goes back before the end-of-run analysis, the run's memory
// peak, which reuses it; returns the bytes they held.
std::size_t Heap::drop_key_indexes() {
    std::size_t bytes = 0;
    for (auto& [h, k] : key_indexes_) {
        Object& o = objects_[h];
        if (o.flags & flag::kSparseEdges) k.used = compact_edges(refs_.at(o.edges), k.used);
        o.flags &= ~(flag::kKeyIndexed | flag::kSparseEdges);
        bytes += k.index.memory_bytes();
    }
    std::unordered_map<Handle, KeyedEdges>().swap(key_indexes_);
    return bytes;
}

// O(used): paid by a reader that walks the references anyway, or by the
// appends that filled the block.
void Heap::compact_keyed(Handle h) {
    KeyedEdges& k = key_indexes_.find(h)->second;
    Object& o = objects_[h];
    Edge* base = refs_.at(o.edges);
    k.used = compact_edges(base, k.used);
    o.flags &= ~flag::kSparseEdges;
    if (o.nedges <= kIndexAbove / 2) {
        key_indexes_.erase(h);
        o.flags &= ~flag::kKeyIndexed;
        return;
    }
    k.index.rebuild(base, k.used);
}

void Heap::append_indexed(Handle h, Edge e) {
    KeyedEdges* k = &key_indexes_.find(h)->second;
    Object& o = objects_[h];
    const std::uint32_t cap = 1u << o.cap_log2;  // indexed containers hold a block
    if (k->used == cap) {
        // Full: squeeze the tombstones out, and grow unless that left half
        // the block free, so the next squeeze is at least cap/2 appends away.
        if (k->used != o.nedges) {
            compact_keyed(h);
            if (!(objects_[h].flags & flag::kKeyIndexed)) return insert_edge(h, o.nedges, e);
            k = &key_indexes_.find(h)->second;
        }
        if (std::uint64_t{k->used} * 2 > cap) {
            const auto new_log2 = static_cast<std::uint8_t>(o.cap_log2 + 1);
            const std::uint32_t block = refs_.allocate(new_log2);
            Object& again = objects_[h];
            std::memcpy(refs_.at(block), refs_.at(again.edges), sizeof(Edge) * k->used);
            refs_.release(again.edges, again.cap_log2);
            again.edges = block;
            again.cap_log2 = new_log2;
        }
    }
    Object& cur = objects_[h];
    refs_.at(cur.edges)[k->used] = e;
    if (e.key != kNoSym) k->index.insert(e.key, k->used);
    ++k->used;
    ++cur.nedges;
}

Edge* Heap::keyed_edge(Handle h, Sym key) {
    Object& o = objects_[h];
    if (!(o.flags & flag::kKeyIndexed)) {
        if (o.nedges <= kIndexAbove || !indexable(h)) {
            Edge* base = o.nedges ? refs_.at(o.edges) : nullptr;
            for (std::uint32_t i = 0; i < o.nedges; ++i)
                if (base[i].key == key) return base + i;
            return nullptr;
        }
        index_keys(h);
    }
    const std::uint32_t pos = key_indexes_.find(h)->second.index.find(key);
    return pos == KeyIndex::kAbsent ? nullptr : refs_.at(objects_[h].edges) + pos;
}

bool Heap::has_key(Handle h, Sym key) const {
    const Object& o = objects_[h];
    if (o.flags & flag::kKeyIndexed)
        return key_indexes_.find(h)->second.index.find(key) != KeyIndex::kAbsent;
    const Edge* base = o.nedges ? refs_.at(o.edges) : nullptr;
    for (std::uint32_t i = 0; i < o.nedges; ++i)
        if (base[i].key == key) return true;
    return false;
}

std::optional<Edge> Heap::erase_key(Handle h, Sym key) {
    Object& o = objects_[h];
    if (!(o.flags & flag::kKeyIndexed)) {
        if (o.nedges <= kIndexAbove || !indexable(h)) {
            const auto pos = find_key(h, key);
            if (!pos) return std::nullopt;
            return erase_edge(h, *pos);
        }
        index_keys(h);
    }
    KeyedEdges& k = key_indexes_.find(h)->second;
    const std::uint32_t pos = k.index.find(key);
    if (pos == KeyIndex::kAbsent) return std::nullopt;
    Edge* base = refs_.at(objects_[h].edges);
    const Edge e = base[pos];
    k.index.erase(key);
    --objects_[h].nedges;
    if (pos + 1 == k.used) {
        --k.used;  // the last one (popitem's case): nothing after it to keep in place
    } else {
        base[pos] = kTombstone;
        objects_[h].flags |= flag::kSparseEdges;
    }
    return e;
}

}  // namespace heapsim

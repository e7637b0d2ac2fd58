#pragma once
// Every object of the simulated heap, addressed by a dense Handle, and the
// intrusive doubly linked lists CPython keeps its tracked objects in.
//
// A list is a sentinel record inside the same table (handles 0..kListCount-1),
// so linking, unlinking and splicing are O(1) and list order is exact:
// append = insert at the tail, merge = splice at the tail. Freed records are
// reused (most recently freed first), so handles stay dense.

#include <cstdint>
#include <vector>

#include "events/chunked_vector.h"
#include "events/symbol_table.h"
#include "sim/ref_store.h"
#include "sim/type_table.h"

namespace heapsim {

/// The GC lists. The first four are CPython's generations and permanent
/// generation; the rest are the temporary lists of one collection.
enum ListId : std::uint8_t {
    kGen0 = 0,
    kGen1,
    kGen2,
    kPermanent,
    kUnreachable,
    kLegacy,        // objects with tp_del and what they reach ("finalizers")
    kCallbacks,     // weakrefs whose callbacks will run (wrcb_to_call)
    kSeen,          // finalize_garbage's work list
    kIncrement,     // 3.14.0: the increment being built (gc_collect_increment)
    kMarking,       // 3.14.0: the marking work list (mark_all_reachable)
    kListCount,
    kUntracked = 0xFF,
};

namespace flag {
inline constexpr std::uint16_t kLive = 1 << 0;
inline constexpr std::uint16_t kCreationRef = 1 << 1;  // creation reference still held
inline constexpr std::uint16_t kFinalized = 1 << 2;    // tp_finalize already ran
inline constexpr std::uint16_t kCollecting = 1 << 3;   // in the generation being collected
inline constexpr std::uint16_t kUnreachable = 1 << 4;  // tentatively unreachable
inline constexpr std::uint16_t kGcFreed = 1 << 5;      // freed by the collector if it dies now
inline constexpr std::uint16_t kHidden = 1 << 6;       // interpreter-internal (no trace id)
inline constexpr std::uint16_t kEmptyTuple = 1 << 7;   // the shared () singleton
inline constexpr std::uint16_t kMaterialized = 1 << 8; // instance whose attributes moved to a dict
inline constexpr std::uint16_t kGarbage = 1 << 9;      // in gc.garbage (uncollectable)
inline constexpr std::uint16_t kDying = 1 << 10;       // refcount reached zero, dealloc pending
inline constexpr std::uint16_t kKeyIndexed = 1 << 11;  // has a key index (sim/key_index.h)
inline constexpr std::uint16_t kSparseEdges = 1 << 12; // its edge array holds tombstones
inline constexpr std::uint16_t kKeyOrderMixed = 1 << 13; // inline values not in shared-key order
}  // namespace flag

struct Object {
    Handle prev = kNoHandle, next = kNoHandle;  // GC list links (free-list link when dead)
    TypeId type = 0;
    std::uint32_t refcnt = 0;
    Sym id = kNoSym;  // its site: Heap::site_of (from `profile`, not stored here)
    std::uint32_t edges = 0;       // RefStore offset (valid when cap_log2 != 0xFF)
    std::uint32_t nedges = 0;
    // One word with a meaning per kind of object; the kinds never meet
    // (tuples and weakrefs are not weakrefable). Read it through the
    // accessor that names the meaning.
    std::uint32_t weak_word = kNoHandle;
    std::uint32_t gc_refs = 0;     // collector scratch
    std::uint32_t bytes = 0;
    std::uint32_t born = 0;  // event that allocated it (saturates at 2^32-1), for leak growth
    std::uint32_t profile = 0;  // SiteStats: its (type, site) entry and age (site_stats.h)
    std::uint16_t flags = 0;
    std::uint8_t list = kUntracked;
    std::uint8_t cap_log2 = 0xFF;  // 0xFF = no edge block

    /// Weakrefable object: the head of its weakref list, kNoHandle if none.
    Handle& first_weakref() { return weak_word; }
    Handle first_weakref() const { return weak_word; }
    /// Weakref: the index of its WeakInfo (Heap::weak_infos_).
    std::uint32_t& weak_info() { return weak_word; }
    std::uint32_t weak_info() const { return weak_word; }
    /// Tuple: its CPython size, which picks its free list.
    std::uint32_t& tuple_size() { return weak_word; }
    std::uint32_t tuple_size() const { return weak_word; }
};

class ObjectTable {
public:
    ObjectTable();

    /// A record for a new object (the most recently freed record first),
    /// its fields not reset: the caller writes every one of them, once
    /// (Heap::new_object).
    Handle create_unset() {
        if (free_ != kNoHandle) [[likely]] {
            const Handle h = free_;
            free_ = objects_[h].next;
            return h;
        }
        return create_at_end();
    }
    void destroy(Handle h);
    Object& operator[](Handle h) { return objects_[h]; }
    const Object& operator[](Handle h) const { return objects_[h]; }
    std::size_t capacity() const { return objects_.size(); }

    // GC lists.
    bool tracked(Handle h) const { return objects_[h].list != kUntracked; }
    void append(ListId list, Handle h);  // h must be untracked
    void unlink(Handle h);                // no-op when untracked
    void move_tail(ListId list, Handle h) {
        unlink(h);
        append(list, h);
    }
    void merge(ListId from, ListId to);
    Handle first(ListId list) const {
        Handle n = objects_[list].next;
        return n == list ? kNoHandle : n;
    }
    /// The element after h in its list, or kNoHandle at the end.
    Handle next(Handle h) const {
        Handle n = objects_[h].next;
        return n < kListCount ? kNoHandle : n;
    }
    bool empty(ListId list) const { return objects_[list].next == list; }
    std::uint64_t size(ListId list) const { return sizes_[list]; }
    /// Bytes of the records (sim/memory_use.h).
    std::size_t memory_bytes() const { return objects_.memory_bytes(); }

private:
    Handle create_at_end();
    ChunkedVector<Object, 16> objects_;  // grows without copying: no doubling peak
    std::uint64_t sizes_[kListCount] = {};
    Handle free_ = kNoHandle;
};

}  // namespace heapsim

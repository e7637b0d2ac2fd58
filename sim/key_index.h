#pragma once
// The side index of a big keyed container (a dict, a function's or a gc
// type's attributes): key symbol -> position of its reference in the
// container's edge array, so a store or a delete by key costs O(1) instead
// of a scan of every reference (docs/performance.md, "Session 6: keyed
// stores in O(1)").
//
// The index never decides the order of references: the edge array does,
// in insertion order, as CPython's dict entries array does (dictobject.c:
// the indices table points into dk_entries). A delete leaves a tombstone in
// the edge array (DKIX_DUMMY's role) so no other position moves;
// compact_edges squeezes the tombstones out, keeping the order of the rest,
// and the index is rebuilt from the compacted array.
//
// The table is open-addressed with linear probing and backward-shift
// deletion (no tombstones of its own), power-of-two sized and at most half
// full; it shrinks when a quarter of that is left.

#include <cstdint>
#include <vector>

#include "events/symbol_table.h"
#include "sim/ref_store.h"

namespace heapsim {

class KeyIndex {
  public:
    static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;
    static constexpr std::uint32_t kMinSlots = 32;

    /// The position stored for `key`, or kAbsent.
    std::uint32_t find(Sym key) const {
        if (count_ == 0) return kAbsent;
        for (std::uint32_t i = slot_of(key);; i = (i + 1) & mask()) {
            const Entry& e = slots_[i];
            if (e.key == kNoSym) return kAbsent;
            if (e.key == key) return e.pos;
        }
    }
    /// Records `key` at `pos`; the key must be absent.
    void insert(Sym key, std::uint32_t pos);
    /// Forgets `key`; false if it was absent.
    bool erase(Sym key);
    /// Forgets every key (and gives the table's memory back).
    void clear();
    /// Clears, then indexes the keyed references edges[0..n) (kNoSym keys
    /// and tombstones are not indexed: nothing looks them up).
    void rebuild(const Edge* edges, std::uint32_t n);

    std::uint32_t size() const { return count_; }
    std::uint32_t slots() const { return static_cast<std::uint32_t>(slots_.size()); }
    std::size_t memory_bytes() const { return slots_.capacity() * sizeof(slots_[0]); }

  private:
    struct Entry {
        Sym key = kNoSym;
        std::uint32_t pos = 0;
    };
    std::uint32_t mask() const { return static_cast<std::uint32_t>(slots_.size()) - 1; }
    // Fibonacci hashing: symbols are dense small integers, the multiply
    // spreads consecutive ones over the table.
    std::uint32_t slot_of(Sym key) const {
        return static_cast<std::uint32_t>((std::uint64_t{key} * 0x9E3779B97F4A7C15ull) >> shift_);
    }
    void resize(std::uint32_t slots);
    void place(Sym key, std::uint32_t pos);  // no growth check, key absent

    std::vector<Entry> slots_;
    std::uint32_t count_ = 0;
    std::uint32_t shift_ = 64;
};

/// A tombstone in an indexed container's edge array: a deleted reference
/// whose slot keeps the positions after it where they are.
inline constexpr Edge kTombstone{kNoHandle, kNoSym};
inline bool is_tombstone(const Edge& e) {
    return e.target == kNoHandle;
}

/// Moves the live references of edges[0..used) to the front, in order;
/// returns how many there are.
std::uint32_t compact_edges(Edge* edges, std::uint32_t used);

/// A big keyed container's side state (Heap::key_indexes_).
struct KeyedEdges {
    KeyIndex index;
    std::uint32_t used = 0;  // edge slots in use, tombstones included
};

}  // namespace heapsim

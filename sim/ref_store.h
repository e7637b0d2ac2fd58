#pragma once
// Storage for the references objects hold, without a heap allocation per
// object: edges live in one pool of power-of-two sized blocks, and freed
// blocks are kept on per-size free lists for reuse.

#include <cstdint>
#include "events/mapped_vector.h"
#include "events/symbol_table.h"

namespace heapsim {

using Handle = std::uint32_t;
inline constexpr Handle kNoHandle = 0xFFFFFFFFu;

/// One reference held by a container: the referent, and the key it is
/// stored under (kNoSym for unkeyed references such as list items).
struct Edge {
    Handle target;
    Sym key;
};

class RefStore {
public:
    /// A block able to hold 2^cap_log2 edges; returns its offset.
    std::uint32_t allocate(std::uint8_t cap_log2);
    void release(std::uint32_t offset, std::uint8_t cap_log2);
    Edge* at(std::uint32_t offset) { return pool_.data() + offset; }
    const Edge* at(std::uint32_t offset) const { return pool_.data() + offset; }
    std::size_t pool_size() const { return pool_.size(); }
    /// Bytes of the pool in use, free blocks included (sim/memory_use.h).
    std::size_t memory_bytes() const { return pool_.size() * sizeof(Edge); }

private:
    static constexpr int kClasses = 32;
    MappedVector<Edge> pool_;  // grows without a doubling peak (mapped_vector.h)
    std::uint32_t free_head_[kClasses] = {
        kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle,
        kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle,
        kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle,
        kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle, kNoHandle};
};

}  // namespace heapsim

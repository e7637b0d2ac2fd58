#include "sim/ref_store.h"

#include <stdexcept>

namespace heapsim {

std::uint32_t RefStore::allocate(std::uint8_t cap_log2) {
    std::uint32_t& head = free_head_[cap_log2];
    if (head != kNoHandle) {
        const std::uint32_t offset = head;
        head = pool_[offset].target;  // free blocks link through their first edge
        return offset;
    }
    const std::size_t cap = std::size_t{1} << cap_log2;
    if (pool_.size() + cap > 0xFFFFFFF0u) throw std::length_error("reference pool exhausted");
    const auto offset = static_cast<std::uint32_t>(pool_.size());
    pool_.resize(pool_.size() + cap);
    return offset;
}

void RefStore::release(std::uint32_t offset, std::uint8_t cap_log2) {
    pool_[offset].target = free_head_[cap_log2];
    free_head_[cap_log2] = offset;
}

}  // namespace heapsim

#include "sim/key_index.h"

#include <algorithm>
#include <bit>

namespace heapsim {

void KeyIndex::insert(Sym key, std::uint32_t pos) {
    if (std::uint64_t{count_ + 1} * 2 > slots_.size())
        resize(slots_.empty() ? kMinSlots : slots() * 2);
    place(key, pos);
    ++count_;
}

void KeyIndex::place(Sym key, std::uint32_t pos) {
    std::uint32_t i = slot_of(key);
    while (slots_[i].key != kNoSym) i = (i + 1) & mask();
    slots_[i] = Entry{key, pos};
}

bool KeyIndex::erase(Sym key) {
    if (count_ == 0 || key == kNoSym) return false;
    std::uint32_t i = slot_of(key);
    while (slots_[i].key != key) {
        if (slots_[i].key == kNoSym) return false;
        i = (i + 1) & mask();
    }
    // Backward shift: pull later entries of the probe run into the hole
    // unless their home slot lies (cyclically) after the hole.
    for (std::uint32_t j = (i + 1) & mask(); slots_[j].key != kNoSym; j = (j + 1) & mask()) {
        const std::uint32_t home = slot_of(slots_[j].key);
        const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        slots_[i] = slots_[j];
        i = j;
    }
    slots_[i] = Entry{};
    --count_;
    if (slots() > kMinSlots && std::uint64_t{count_} * 8 < slots_.size()) resize(slots() / 2);
    return true;
}

void KeyIndex::clear() {
    std::vector<Entry>().swap(slots_);
    count_ = 0;
    shift_ = 64;
}

void KeyIndex::rebuild(const Edge* edges, std::uint32_t n) {
    std::uint32_t keyed = 0;
    for (std::uint32_t k = 0; k < n; ++k)
        keyed += edges[k].key != kNoSym && !is_tombstone(edges[k]);
    const std::uint32_t want = std::bit_ceil(
        std::max<std::uint32_t>(kMinSlots, static_cast<std::uint32_t>(std::uint64_t{keyed} * 2)));
    std::vector<Entry>(want).swap(slots_);
    shift_ = 64 - static_cast<std::uint32_t>(std::countr_zero(want));
    count_ = keyed;
    for (std::uint32_t k = 0; k < n; ++k)
        if (edges[k].key != kNoSym && !is_tombstone(edges[k])) place(edges[k].key, k);
}

void KeyIndex::resize(std::uint32_t slots) {
    std::vector<Entry> old(slots);
    old.swap(slots_);
    shift_ = 64 - static_cast<std::uint32_t>(std::countr_zero(slots));
    for (const Entry& e : old)
        if (e.key != kNoSym) place(e.key, e.pos);
}

std::uint32_t compact_edges(Edge* edges, std::uint32_t used) {
    std::uint32_t live = 0;
    for (std::uint32_t k = 0; k < used; ++k)
        if (!is_tombstone(edges[k])) edges[live++] = edges[k];
    return live;
}

}  // namespace heapsim

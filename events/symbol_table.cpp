#include "events/symbol_table.h"

#include <algorithm>
#include <cstring>

namespace heapsim {

namespace {

template <typename T>
T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The first n <= 8 bytes at p, zero-padded, without reading past p + n and
// without a variable-length memcpy (a library call per lookup otherwise).
// Overlapping loads agree on the bytes they share, so OR-ing them is exact.
[[gnu::always_inline]] inline std::uint64_t load_word(const char* p, std::size_t n) {
    if (n >= 8) return load<std::uint64_t>(p);
    if (n >= 4) {
        return load<std::uint32_t>(p) | (std::uint64_t{load<std::uint32_t>(p + n - 4)} << (8 * (n - 4)));
    }
    if (n == 0) return 0;
    const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i); };
    return byte(0) | byte(n / 2) | byte(n - 1);
}

}  // namespace

SymbolTable::SymbolTable() : index_(1024, kNoSym) {}

std::uint32_t SymbolTable::hash_of(std::string_view s) {
    // Eight bytes per multiply: ids and names are short, and a byte-at-a-time
    // hash was a tenth of a text replay.
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = s.size() * kMul;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) h = (h ^ load_word(s.data() + i, 8)) * kMul, h ^= h >> 29;
    if (i < s.size()) h = (h ^ load_word(s.data() + i, s.size() - i)) * kMul;
    // Final avalanche (MurmurHash3's fmix64): the index uses the low bits,
    // which a multiply alone leaves depending on the first bytes only.
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return static_cast<std::uint32_t>(h);
}

bool SymbolTable::matches(const Entry& e, std::uint32_t h, std::string_view s, std::uint64_t word) const {
    if (e.hash != h || (e.length & kLengthMask) != s.size()) return false;
    if (s.size() <= kInline) return e.word == word;
    return std::memcmp(arena_[e.far.chunk].data() + e.far.offset, s.data(), s.size()) == 0;
}

std::size_t SymbolTable::slot_of(std::string_view s, std::uint32_t h) const {
    const std::uint64_t word = s.size() <= kInline ? load_word(s.data(), s.size()) : 0;
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Sym sym = index_[i];
        if (sym == kNoSym || matches(entries_[sym], h, s, word)) return i;
    }
}

Sym SymbolTable::find(std::string_view s) const { return index_[slot_of(s, hash_of(s))]; }

SymbolTable::Far SymbolTable::store_far(std::string_view s) {
    if (s.size() < free_far_.size() && !free_far_[s.size()].empty()) {
        // A released id's characters, of the same length: overwrite in place.
        const Far far = free_far_[s.size()].back();
        free_far_[s.size()].pop_back();
        std::memcpy(arena_[far.chunk].data() + far.offset, s.data(), s.size());
        return far;
    }
    if (arena_.empty() || arena_.back().size() + s.size() > arena_.back().capacity()) {
        arena_.emplace_back();
        arena_.back().reserve(std::max(kArenaChunk, s.size()));
    }
    std::string& chunk = arena_.back();
    const Far far{static_cast<std::uint32_t>(arena_.size() - 1), static_cast<std::uint32_t>(chunk.size())};
    chunk.append(s);  // within capacity: the chunk's characters never move
    return far;
}

template <bool kPin>
Sym SymbolTable::lookup(std::string_view s) {
    const std::uint32_t h = hash_of(s);
    const std::size_t i = slot_of(s, h);
    if (index_[i] != kNoSym) {
        const Sym sym = index_[i];
        if constexpr (kPin) {
            Entry& e = entries_[sym];
            if (e.length & kUnpinned) e.length &= ~kUnpinned;  // an id now used as a name, key...
        }
        return sym;
    }
    Entry e{};
    e.hash = h;
    e.length = static_cast<std::uint32_t>(s.size()) | (kPin ? 0 : kUnpinned);
    if (s.size() <= kInline) {
        e.word = load_word(s.data(), s.size());
    } else {
        e.far = store_far(s);
    }
    Sym sym;
    // Only ids reuse released numbers: a name, key, type or site always gets
    // a new one, so pinned symbols stay numbered in order of first sight, as
    // they were when nothing was released (reports that walk the names by
    // symbol number, the roots of the retention paths, keep their order).
    if (!kPin && !free_syms_.empty()) {
        sym = free_syms_.back();
        free_syms_.pop_back();
        entries_[sym] = e;
    } else {
        sym = static_cast<Sym>(entries_.size());
        entries_.push_back(e);
    }
    index_[i] = sym;
    if (live_size() * 2 > index_.size()) grow_index();
    return sym;
}

template Sym SymbolTable::lookup<true>(std::string_view);
template Sym SymbolTable::lookup<false>(std::string_view);

bool SymbolTable::release_id(Sym sym, bool retire) {
    if (!forget_) return false;
    Entry& e = entries_[sym];
    if (!(e.length & kUnpinned) || (e.length & kFreed)) return false;
    const std::string_view text = str(sym);
    if (retire) retired_.add(text);
    const std::size_t mask = index_.size() - 1;
    std::size_t i = e.hash & mask;
    while (index_[i] != sym) i = (i + 1) & mask;
    erase_slot(i);
    const std::uint32_t n = e.length & kLengthMask;
    if (n > kInline) {
        if (free_far_.size() <= n) free_far_.resize(n + 1);
        free_far_[n].push_back(e.far);
    }
    e.length = kFreed;
    free_syms_.push_back(sym);
    return true;
}

// Deletion from a linear-probing table without tombstones: the entries after
// the hole that could live in it move back, so every lookup still finds its
// string before the first empty slot (Knuth, TAOCP vol. 3, algorithm 6.4R).
void SymbolTable::erase_slot(std::size_t hole) {
    const std::size_t mask = index_.size() - 1;
    for (std::size_t j = (hole + 1) & mask; index_[j] != kNoSym; j = (j + 1) & mask) {
        const std::size_t home = entries_[index_[j]].hash & mask;
        // Leave j where it is when its home lies cyclically in (hole, j].
        const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays) continue;
        index_[hole] = index_[j];
        hole = j;
    }
    index_[hole] = kNoSym;
}

void SymbolTable::grow_index() {
    // Rebuilt from the entries, so the old array is freed before the new
    // one is allocated: growing never holds both (3x the old size at once).
    const std::size_t slots = index_.size() * 2;
    std::vector<Sym>().swap(index_);
    index_.assign(slots, kNoSym);
    const std::size_t mask = index_.size() - 1;
    for (Sym sym = 0; sym < entries_.size(); ++sym) {
        if (entries_[sym].length & kFreed) continue;
        std::size_t i = entries_[sym].hash & mask;
        while (index_[i] != kNoSym) i = (i + 1) & mask;
        index_[i] = sym;
    }
}

std::size_t SymbolTable::memory_bytes() const {
    std::size_t bytes = entries_.memory_bytes() + index_.capacity() * sizeof(Sym);
    for (const std::string& chunk : arena_) bytes += chunk.capacity();
    bytes += free_syms_.capacity() * sizeof(Sym);
    return bytes;
}

}  // namespace heapsim

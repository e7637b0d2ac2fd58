#include "sim/symbol_table.h"

#include <cstring>

namespace heapsim {

SymbolTable::SymbolTable() : index_(1024, kNoSym) {}

std::uint32_t SymbolTable::hash_of(std::string_view s) {
    // FNV-1a: short keys dominate (ids, names), and it is cheap for them.
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

std::size_t SymbolTable::slot_of(std::string_view s, std::uint32_t h) const {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = h & mask;
    while (true) {
        Sym sym = index_[i];
        if (sym == kNoSym) return i;
        const Entry& e = entries_[sym];
        if (e.hash == h && str(sym) == s) return i;
        i = (i + 1) & mask;
    }
}

Sym SymbolTable::find(std::string_view s) const { return index_[slot_of(s, hash_of(s))]; }

Sym SymbolTable::intern(std::string_view s) {
    const std::uint32_t h = hash_of(s);
    std::size_t i = slot_of(s, h);
    if (index_[i] != kNoSym) return index_[i];
    const Sym sym = static_cast<Sym>(entries_.size());
    const std::uint64_t offset = arena_.size();
    arena_.insert(arena_.end(), s.begin(), s.end());
    entries_.push_back({offset, static_cast<std::uint32_t>(s.size()), h});
    index_[i] = sym;
    if (entries_.size() * 2 > index_.size()) grow_index();
    return sym;
}

void SymbolTable::grow_index() {
    std::vector<Sym> old(index_.size() * 2, kNoSym);
    old.swap(index_);
    const std::size_t mask = index_.size() - 1;
    for (Sym sym = 0; sym < entries_.size(); ++sym) {
        std::size_t i = entries_[sym].hash & mask;
        while (index_[i] != kNoSym) i = (i + 1) & mask;
        index_[i] = sym;
    }
}

}  // namespace heapsim

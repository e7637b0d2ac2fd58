#pragma once
// Interns the strings of a trace (ids, names, keys, types, sites, labels) into
// dense 32-bit symbols, so that the simulator works on integers only.
//
// Strings live in one growing character arena and an open-addressing index;
// interning a string that is already known allocates nothing.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heapsim {

using Sym = std::uint32_t;
inline constexpr Sym kNoSym = 0xFFFFFFFFu;

class SymbolTable {
public:
    SymbolTable();

    /// The symbol of `s`, interning it on first sight.
    Sym intern(std::string_view s);
    /// The symbol of `s` if it is known, else kNoSym.
    Sym find(std::string_view s) const;
    std::string_view str(Sym s) const {
        const Entry& e = entries_[s];
        return {arena_.data() + e.offset, e.length};
    }
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::uint64_t offset;
        std::uint32_t length;
        std::uint32_t hash;
    };
    static std::uint32_t hash_of(std::string_view s);
    std::size_t slot_of(std::string_view s, std::uint32_t h) const;
    void grow_index();

    std::vector<char> arena_;
    std::vector<Entry> entries_;
    std::vector<Sym> index_;  // open addressing, kNoSym = empty
};

}  // namespace heapsim

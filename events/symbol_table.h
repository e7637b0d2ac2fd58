#pragma once
// Interns the strings of a trace (ids, names, keys, types, sites, labels) into
// dense 32-bit symbols, so that the simulator works on integers only.
//
// Interning is on the hot path of every reader (several strings per event),
// so a lookup that hits touches one index slot and one 16-byte entry: strings
// of up to 8 bytes (most ids and names) live inside their entry, longer ones
// in a character arena. Entries and arena grow in chunks and never move, so
// a view returned by str() stays valid for the table's lifetime.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/chunked_vector.h"

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
        return {e.length <= kInline ? e.inline_chars : arena_[e.far.chunk].data() + e.far.offset, e.length};
    }
    std::size_t size() const { return entries_.size(); }
    /// Heap bytes held, for benchmarks.
    std::size_t memory_bytes() const;

private:
    static constexpr std::uint32_t kInline = 8;
    static constexpr std::size_t kArenaChunk = std::size_t{1} << 20;
    struct Far {
        std::uint32_t chunk, offset;
    };
    struct Entry {
        std::uint32_t hash;
        std::uint32_t length;
        union {
            char inline_chars[kInline];  // zero-padded, so equal strings have equal words
            std::uint64_t word;
            Far far;
        };
    };
    static_assert(sizeof(Entry) == 16);

    static std::uint32_t hash_of(std::string_view s);
    bool matches(const Entry& e, std::uint32_t h, std::string_view s, std::uint64_t word) const;
    std::size_t slot_of(std::string_view s, std::uint32_t h) const;
    Far store_far(std::string_view s);
    void grow_index();

    ChunkedVector<Entry> entries_;
    std::vector<std::string> arena_;  // chunks of long strings, never reallocated
    std::vector<Sym> index_;          // open addressing, kNoSym = empty
};

}  // namespace heapsim

#pragma once
// Interns the strings of a trace (ids, names, keys, types, sites, labels) into
// dense 32-bit symbols, so that the simulator works on integers only.
//
// Interning is on the hot path of every reader (several strings per event),
// so a lookup that hits touches one index slot and one 16-byte entry: strings
// of up to 8 bytes (most ids and names) live inside their entry, longer ones
// in a character arena. Entries and arena grow in chunks and never move, so
// a view returned by str() stays valid for the table's lifetime.
//
// Object ids are a namespace apart in lifetime, though not in numbering:
// readers intern them with intern_id(), which leaves the symbol unpinned,
// and when the table forgets dead ids (forget_dead_ids(true), the streaming
// `heapsim run`) the heap hands an id back with release_id() once its object
// has died. Its entry, index slot and characters are then reused by the next
// new string, so the table grows with the live heap, not with the trace (a
// trace whose ids are counters names a new id with every allocation). A
// string also interned with intern() (a name, key, type, site: "1" is both an
// id and an auto-key) is pinned and never released. Ids released after their
// object lived are remembered compactly (retired_ids.h), for `expect freed`
// and for the messages about dead ids. The view str() returned for a
// released symbol is not valid after the next intern; no table that keeps
// symbols for the trace's length (an EventBuffer, the .htb dictionary, which
// intern() pins) ever releases.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/chunked_vector.h"
#include "events/retired_ids.h"

namespace heapsim {

using Sym = std::uint32_t;
inline constexpr Sym kNoSym = 0xFFFFFFFFu;

class SymbolTable {
public:
    SymbolTable();

    /// The symbol of `s`, interning it on first sight; pinned for good.
    Sym intern(std::string_view s) { return lookup<true>(s); }
    /// The symbol of the object id `s`: unpinned when new, so it may be
    /// released once no live object has it (see the top of this file).
    Sym intern_id(std::string_view s) { return lookup<false>(s); }
    /// Lets the owner release dead ids (off by default: every symbol stays).
    void forget_dead_ids(bool on) { forget_ = on; }
    bool forgets_dead_ids() const { return forget_; }
    /// Forgets the id `s` if this table forgets ids and nothing pinned it;
    /// `retire`: its object lived, remember that it was allocated. Returns
    /// whether `s` was released (its number may then name another string).
    bool release_id(Sym s, bool retire);
    /// Whether a released id was released after its object lived.
    bool retired(std::string_view id) const { return retired_.contains(id); }
    const RetiredIds& retired_ids() const { return retired_; }
    /// Strings held now (size() counts released numbers too).
    std::size_t live_size() const { return entries_.size() - free_syms_.size(); }
    /// The symbol of `s` if it is known, else kNoSym.
    Sym find(std::string_view s) const;
    std::string_view str(Sym s) const {
        const Entry& e = entries_[s];
        const std::uint32_t n = e.length & kLengthMask;
        return {n <= kInline ? e.inline_chars : arena_[e.far.chunk].data() + e.far.offset, n};
    }
    std::size_t size() const { return entries_.size(); }
    /// Heap bytes held, for benchmarks.
    std::size_t memory_bytes() const;
    // Its parts (sim/memory_use.h): the 16-byte entries, the index, and the
    // characters of strings too long to be stored inline.
    std::size_t entry_bytes() const { return entries_.memory_bytes(); }
    std::size_t index_bytes() const { return index_.capacity() * sizeof(Sym); }

private:
    static constexpr std::uint32_t kInline = 8;
    // Entry::length carries two flags above the length.
    static constexpr std::uint32_t kUnpinned = 1u << 31;  // interned only as an id so far
    static constexpr std::uint32_t kFreed = 1u << 30;     // released, on free_syms_
    static constexpr std::uint32_t kLengthMask = kFreed - 1;
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
    template <bool kPin>
    Sym lookup(std::string_view s);
    Far store_far(std::string_view s);
    void grow_index();
    void erase_slot(std::size_t i);

    ChunkedVector<Entry> entries_;
    std::vector<std::string> arena_;  // chunks of long strings, never reallocated
    std::vector<Sym> index_;          // open addressing, kNoSym = empty
    bool forget_ = false;
    std::vector<Sym> free_syms_;                 // released symbols, reused first
    std::vector<std::vector<Far>> free_far_;     // by length: released long ids' characters
    RetiredIds retired_;
};

}  // namespace heapsim

#pragma once
// A reader's small direct-mapped cache in front of SymbolTable::intern() for
// the strings of its fast path that are pinned: names, keys, types, sites.
// A trace repeats a handful of them on nearly every line, and a hit is four
// word compares instead of a hash, an index probe and an entry compare.
//
// Only intern() results enter it: a pinned symbol keeps its number for the
// table's lifetime (symbol_table.h), so an entry never goes stale. Object
// ids, which the table may release and renumber, never enter. A miss calls
// intern() exactly as the reader would have, so the table sees the same
// strings in the same order and numbers them the same.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "events/symbol_table.h"
#include "trace_formats/byte_masks.h"

namespace heapsim {

class PinnedSymbolCache {
  public:
    static constexpr std::size_t kMaxLength = 32;  // longer strings go to the table

    /// intern(s) of the n bytes at p; p[0, 32) must be readable (a line's
    /// padding), bytes past n are ignored.
    Sym intern(SymbolTable& table, const char* p, std::size_t n) {
        if (n == 0 || n > kMaxLength) return table.intern(std::string_view(p, n));
        const unsigned len = static_cast<unsigned>(n);
        if (len <= 8) {
            // Most names, keys and types: one word. The mix and the entry
            // are the general case's with the three other words zero.
            const std::uint64_t w0 = load_u64(p) & kKeep[len][0];
            Entry& e = entries_[((w0 ^ len) * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
            if (e.length == len && e.w[0] == w0) return e.sym;
            const Sym sym = table.intern(std::string_view(p, n));
            e = Entry{{w0, 0, 0, 0}, len, sym};
            return sym;
        }
        const std::array<std::uint64_t, 4>& keep = kKeep[len];
        const std::uint64_t w0 = load_u64(p) & keep[0], w1 = load_u64(p + 8) & keep[1],
                            w2 = load_u64(p + 16) & keep[2], w3 = load_u64(p + 24) & keep[3];
        const std::uint64_t mix =
            (w0 ^ (w1 * 0xC2B2AE3D27D4EB4Full) ^ (w2 * 0x165667B19E3779F9ull) ^
             (w3 * 0x27D4EB2F165667C5ull) ^ len) *
            0x9E3779B97F4A7C15ull;
        Entry& e = entries_[mix >> (64 - kBits)];
        if (e.length == len && ((e.w[0] ^ w0) | (e.w[1] ^ w1) | (e.w[2] ^ w2) | (e.w[3] ^ w3)) == 0)
            return e.sym;
        const Sym sym = table.intern(std::string_view(p, n));
        e = Entry{{w0, w1, w2, w3}, len, sym};
        return sym;
    }

  private:
    static constexpr unsigned kBits = 8;
    // kKeep[n]: the bits of the four words that hold a string of n bytes.
    static constexpr std::array<std::array<std::uint64_t, 4>, kMaxLength + 1> kKeep = [] {
        std::array<std::array<std::uint64_t, 4>, kMaxLength + 1> keep{};
        for (std::size_t n = 0; n <= kMaxLength; ++n) {
            for (std::size_t i = 0; i < 4; ++i) {
                const std::size_t k = n > 8 * i ? n - 8 * i : 0;
                keep[n][i] = k >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1;
            }
        }
        return keep;
    }();
    struct Entry {
        std::uint64_t w[4];    // the string, zero-padded
        std::uint32_t length;  // 0: empty (the fast paths intern no empty string)
        Sym sym;
    };
    std::array<Entry, std::size_t{1} << kBits> entries_{};
};

}  // namespace heapsim

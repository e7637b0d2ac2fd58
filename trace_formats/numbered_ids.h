#pragma once
// Numbered object ids: `o` followed by a counter in decimal ("o0", "o1", ...),
// the names `heapsim import` gives the objects of a recording. An importer
// writing to a writer that accepts them (TraceWriter::accept_numbered_ids)
// hands the writer the number, as a symbol in a range of its own, instead of
// interning the text: every recorded object is a new id, so interning cost a
// hash-table insertion (two to four cache misses in a table of millions of
// strings) per object, and the table grew with the recording. The writer
// writes the same text as for the interned string, so the output is the same.
//
// The range starts at 2^31: a SymbolTable never holds that many strings (16
// bytes an entry: 32 GiB), so a numbered id never names an interned string.

#include <charconv>
#include <cstddef>
#include <cstdint>

#include "events/symbol_table.h"

namespace heapsim {

inline constexpr Sym kFirstNumberedId = 0x80000000u;
/// The largest number a numbered id can carry (kNoSym stays "no symbol").
inline constexpr std::uint32_t kMaxIdNumber = kNoSym - 1 - kFirstNumberedId;
/// Room for the longest numbered id's text ("o2147483646").
inline constexpr std::size_t kNumberedIdChars = 16;

constexpr bool is_numbered_id(Sym s) {
    return s >= kFirstNumberedId && s != kNoSym;
}
constexpr Sym numbered_id(std::uint32_t n) {
    return kFirstNumberedId + n;
}
constexpr std::uint32_t id_number(Sym s) {
    return s - kFirstNumberedId;
}

/// Writes the text of the id numbered `n` ("o" and its decimal digits) at
/// `out` (kNumberedIdChars bytes of room); returns its length.
inline std::size_t format_numbered_id(std::uint32_t n, char* out) {
    out[0] = 'o';
    return static_cast<std::size_t>(std::to_chars(out + 1, out + kNumberedIdChars, n).ptr - out);
}

}  // namespace heapsim

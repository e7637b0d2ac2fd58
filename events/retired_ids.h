#pragma once
// The ids of objects that died after their symbol was forgotten
// (SymbolTable::release_id), so that `expect freed ID` and the messages
// about dead ids still tell "it was freed" from "was never allocated" once
// the id has left the symbol table.
//
// Most ids that are never reused are counters ("17", "o17") and most that
// are reused are addresses ("0x7f3a5c0010a0"). Both are kept as numbers in
// interval sets, one per family (the text before the trailing number, and
// how the number is written): a counter trace retires its ids into a few
// intervals whatever its length (an interval breaks only where an id is
// still live or was never used), and a reused address is recorded once.
// Only ids that are not a canonical number (leading zeros, more than 19
// digits, mixed-case hex, no trailing digits at all) are kept as text, one
// string each: memory then grows with the distinct ids of the trace, as it
// did before ids were forgotten.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace heapsim {

class RetiredIds {
  public:
    void add(std::string_view id);
    bool contains(std::string_view id) const;
    /// Intervals and strings held, for tests and benchmarks.
    std::size_t intervals() const;
    std::size_t texts() const { return texts_.size(); }

    /// An id read as a number of a family: `form` says how the number is
    /// written ('d' a decimal suffix after `prefix`, 'x' lowercase 0x-hex,
    /// 'X' uppercase 0x-hex, prefix empty). Distinct ids give distinct
    /// (form, prefix, value): the number is canonical in its form, so the
    /// text is rebuilt from them. False when the id is not such a number.
    struct Parts {
        char form;
        std::string_view prefix;
        std::uint64_t value;
    };
    static bool split(std::string_view id, Parts& out);

  private:
    /// Closed intervals of values, keyed by their first value.
    using Intervals = std::map<std::uint64_t, std::uint64_t>;
    static void insert(Intervals& set, std::uint64_t v);
    static bool holds(const Intervals& set, std::uint64_t v);
    static std::string family_of(const Parts& p) { return p.form + std::string(p.prefix); }

    std::unordered_map<std::string, Intervals> numbered_;
    std::unordered_set<std::string> texts_;
    // The family of the last add: deaths come in runs of one family, and the
    // map lookup would otherwise build and hash the family's string each time.
    std::string last_family_;  // form letter, then prefix
    Intervals* last_ = nullptr;
};

}  // namespace heapsim

#pragma once
// The types a trace can allocate: the built-ins of the format and the ones a
// trace declares with `type`. A type decides how its objects hold references
// (layout), whether the collector tracks them, their finalizers and sizes.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/event.h"
#include "events/symbol_table.h"

namespace heapsim {

using TypeId = std::uint32_t;

/// How objects of a type hold references, which fixes the order in which
/// CPython visits, clears and releases them.
enum class Layout : std::uint8_t {
    Atom,      // int, float, str, bytes, non-gc user types: no references
    List,      // ordered items; released and cleared last to first
    Tuple,     // like List, but no tp_clear and untracked by the collector
    Dict,      // keyed, insertion order; lazily tracked
    Set,       // unkeyed items (set, frozenset)
    Instance,  // attributes in the class's shared-key order, or __slots__
    Function,  // keyed attributes, insertion order
    Weakref,   // no strong references
    Generic,   // a declared `gc` type that is not an instance: insertion order
};

/// CPython 3.11's shared-keys budget (SHARED_KEYS_MAX_SIZE). A class starts
/// with room for this many attribute names, and every new instance takes one
/// away while more than one is left (init_inline_values); an instance that
/// stores a new name when no room is left gets a real __dict__.
inline constexpr std::uint32_t kSharedKeysMax = 30;

struct TypeInfo {
    Sym name = kNoSym;
    Layout layout = Layout::Atom;
    bool gc = false;
    bool weakrefable = false;
    bool finalizer = false;         // tp_finalize (__del__, PEP 442)
    bool legacy_finalizer = false;  // tp_del
    bool trashcan = false;          // its dealloc uses CPython's trashcan
    bool exact_builtin = false;     // exact list/dict/tuple: eligible for free lists
    std::uint64_t base_size = 0;
    std::uint64_t item_size = 0;  // tuple: bytes per item
    std::int64_t slots = -1;      // instance: __slots__ count, -1 = __dict__
    // Attribute names in first-use order across all instances (inline values
    // or slot order); index = position.
    std::unordered_map<Sym, std::uint32_t> key_index;
    std::uint32_t shared_keys_usable = kSharedKeysMax;  // __dict__ instances only
};

class TypeTable {
  public:
    explicit TypeTable(SymbolTable& symbols);

    /// Inline: every alloc looks its type up.
    std::optional<TypeId> find(Sym name) const {
        if (name == kNoSym) return std::nullopt;
        const std::pair<Sym, TypeId>& slot = by_name_[slot_of(name)];
        if (slot.first == kNoSym) return std::nullopt;
        return slot.second;
    }
    /// Declares a type; false if the name is taken (built-in or declared).
    bool declare(Sym name, const TypeDecl& decl);
    const TypeInfo& operator[](TypeId id) const { return types_[id]; }
    TypeInfo& operator[](TypeId id) { return types_[id]; }

    TypeId list() const { return list_; }
    TypeId dict() const { return dict_; }
    TypeId tuple() const { return tuple_; }
    TypeId weakref() const { return weakref_; }

    /// The index of attribute `key` in `type`'s key order, assigning the next
    /// one on first use; nullopt when the type has no room (slots, or the
    /// shared-keys budget of a __dict__ instance).
    std::optional<std::uint32_t> key_index(TypeId type, Sym key);
    /// A new instance of a __dict__ type shrinks the room for new names.
    void on_new_instance(TypeId type);

  private:
    TypeId add(const std::string& name, TypeInfo info);
    SymbolTable& symbols_;
    std::vector<TypeInfo> types_;
    void index(Sym name, TypeId id);
    std::size_t slot_of(Sym name) const {
        const std::size_t mask = by_name_.size() - 1;
        std::size_t i = (std::uint64_t{name} * 0x9E3779B97F4A7C15ULL) >> 40 & mask;
        while (by_name_[i].first != name && by_name_[i].first != kNoSym) i = (i + 1) & mask;
        return i;
    }
    // Type by name symbol: every alloc looks its type up, so an open-addressed
    // table with a multiplicative hash (a type is one of a trace's few symbols;
    // std::unordered_map cost a division and a node per lookup). Power-of-two
    // size, at most half full; kNoSym marks an empty slot.
    std::vector<std::pair<Sym, TypeId>> by_name_ =
        std::vector<std::pair<Sym, TypeId>>(32, {kNoSym, 0});
    TypeId list_ = 0, dict_ = 0, tuple_ = 0, weakref_ = 0;
};

}  // namespace heapsim

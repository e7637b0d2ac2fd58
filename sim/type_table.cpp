#include "sim/type_table.h"

namespace heapsim {
namespace {

// 64-bit CPython 3.11 sizes, as sys.getsizeof reports them.
constexpr std::uint64_t kInstanceDictSize = 56;
constexpr std::uint64_t kSlotsBaseSize = 32;
constexpr std::uint64_t kSlotSize = 8;
constexpr std::uint64_t kGenericGcSize = 48;  // no CPython analogue: header + GC head
constexpr std::uint64_t kGenericAtomSize = 16;

TypeInfo make(Layout layout, bool gc, bool weakrefable, std::uint64_t size) {
    TypeInfo t;
    t.layout = layout;
    t.gc = gc;
    t.weakrefable = weakrefable;
    t.base_size = size;
    t.trashcan = layout == Layout::List || layout == Layout::Tuple || layout == Layout::Dict ||
                 layout == Layout::Set || layout == Layout::Instance;
    return t;
}

}  // namespace

TypeTable::TypeTable(SymbolTable& symbols) : symbols_(symbols) {
    add("int", make(Layout::Atom, false, false, 28));
    add("float", make(Layout::Atom, false, false, 24));
    add("str", make(Layout::Atom, false, false, 49));
    add("bytes", make(Layout::Atom, false, false, 33));
    TypeInfo list = make(Layout::List, true, false, 56);
    list.exact_builtin = true;
    list_ = add("list", list);
    TypeInfo tuple = make(Layout::Tuple, true, false, 40);
    tuple.item_size = 8;
    tuple.exact_builtin = true;
    tuple_ = add("tuple", tuple);
    TypeInfo dict = make(Layout::Dict, true, false, 64);
    dict.exact_builtin = true;
    dict_ = add("dict", dict);
    add("set", make(Layout::Set, true, true, 216));
    add("frozenset", make(Layout::Set, true, true, 216));
    add("object", make(Layout::Instance, true, false, kInstanceDictSize));
    add("function", make(Layout::Function, true, true, 152));
    weakref_ = add("weakref", make(Layout::Weakref, true, false, 80));
}

TypeId TypeTable::add(const std::string& name, TypeInfo info) {
    info.name = symbols_.intern(name);
    const auto id = static_cast<TypeId>(types_.size());
    types_.push_back(std::move(info));
    index(types_.back().name, id);
    return id;
}

void TypeTable::index(Sym name, TypeId id) {
    if (2 * (types_.size() + 1) > by_name_.size()) {
        std::vector<std::pair<Sym, TypeId>> old(2 * by_name_.size(), {kNoSym, 0});
        old.swap(by_name_);
        for (const auto& [sym, type] : old)
            if (sym != kNoSym) by_name_[slot_of(sym)] = {sym, type};
    }
    by_name_[slot_of(name)] = {name, id};
}

bool TypeTable::declare(Sym name, const TypeDecl& decl) {
    if (find(name)) return false;
    TypeInfo t;
    if (decl.instance) {
        const bool slotted = decl.slots >= 0;
        const auto slots = static_cast<std::uint64_t>(slotted ? decl.slots : 0);
        t = make(Layout::Instance, true, true,
                 slotted ? kSlotsBaseSize + kSlotSize * slots : kInstanceDictSize);
        t.slots = decl.slots;
    } else if (decl.gc) {
        t = make(Layout::Generic, true, decl.weakrefable, kGenericGcSize);
    } else {
        t = make(Layout::Atom, false, decl.weakrefable, kGenericAtomSize);
    }
    if (decl.weakrefable) t.weakrefable = true;
    t.finalizer = decl.finalizer;
    t.legacy_finalizer = decl.legacy_finalizer;
    if (decl.size >= 0) t.base_size = static_cast<std::uint64_t>(decl.size);
    t.name = name;
    const auto id = static_cast<TypeId>(types_.size());
    types_.push_back(std::move(t));
    index(name, id);
    return true;
}

std::optional<std::uint32_t> TypeTable::key_index(TypeId type, Sym key) {
    TypeInfo& t = types_[type];
    auto it = t.key_index.find(key);
    if (it != t.key_index.end()) return it->second;
    const auto next = static_cast<std::uint32_t>(t.key_index.size());
    if (t.slots >= 0) {
        if (next >= static_cast<std::uint64_t>(t.slots)) return std::nullopt;
    } else {
        if (t.shared_keys_usable == 0) return std::nullopt;
        --t.shared_keys_usable;
    }
    t.key_index.emplace(key, next);
    return next;
}

void TypeTable::on_new_instance(TypeId type) {
    TypeInfo& t = types_[type];
    if (t.layout == Layout::Instance && t.slots < 0 && t.shared_keys_usable > 1)
        --t.shared_keys_usable;
}

}  // namespace heapsim

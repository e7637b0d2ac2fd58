// The random workload generator. It keeps a shadow of exactly the part of
// the heap a Python program could still name: objects bound to a name, and
// objects that still hold their creation reference (temporaries). An object
// leaves the shadow the moment it becomes unnameable, even if it lives on
// inside containers, so the generator never names anything that may have
// died, and its memory is bounded by the names and temporaries it keeps.
// Every container in the shadow records what it holds (list items in order,
// set members, dict and attribute keys), so every edit it emits is valid.
//
// One thing the trace cannot pin down is the order of a set: CPython
// iterates a set by hash, that is by address. So a set holds several members
// only while all of them are "plain": fresh instances without a finalizer,
// attributes or weakrefs, unnameable once stored, whose order nobody can
// observe (not in finalizer or callback order, not in the collector's lists).
//
// Instance attributes live in the class's shared keys, whose room CPython
// 3.11 shrinks with every instance created; a new attribute name that no
// longer fits gives that instance a real __dict__. Traces of even seeds start
// with one instance per class that takes every attribute name the generator
// will use, so no instance needs a dict of its own; odd seeds let instances
// materialize their __dict__ (docs/model.md), so both paths are verified.
//
// Legacy (tp_del) objects only appear in cycles that are garbage at once, so
// they never die (see act_legacy).
#include "workloads/random_trace.h"

#include "trace_formats/end_record.h"
#include "workloads/workload.h"
#include "workloads/workload_writer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "workloads/seeded_rng.h"

namespace heapsim {
namespace {

using workload::Tok;
using Id = workload::Id;  // object N is written oN; 0 means "none"
using Key = std::uint8_t;

using Rng = SeededRng;

enum class Kind : std::uint8_t {
    Int,
    Str,
    List,
    Tuple,
    Dict,
    Set,
    Node,
    Fin,
    Slot,
    SlotFin,
    Legacy,
    Weakref,
};

const char* type_name(Kind k) {
    switch (k) {
        case Kind::Int:
            return "int";
        case Kind::Str:
            return "str";
        case Kind::List:
            return "list";
        case Kind::Tuple:
            return "tuple";
        case Kind::Dict:
            return "dict";
        case Kind::Set:
            return "set";
        case Kind::Node:
            return "Node";
        case Kind::Fin:
            return "Fin";
        case Kind::Slot:
            return "Slot";
        case Kind::SlotFin:
            return "SlotFin";
        case Kind::Legacy:
            return "Legacy";
        case Kind::Weakref:
            break;
    }
    return "?";
}

bool is_instance(Kind k) {
    return k >= Kind::Node && k <= Kind::Legacy;
}
bool is_slotted(Kind k) {
    return k == Kind::Slot || k == Kind::SlotFin;
}
std::size_t slot_count(Kind k) {
    return k == Kind::Slot ? 3 : 2;
}
/// Objects that may be stored into containers (weakrefs are only bound).
bool storable(Kind k) {
    return k != Kind::Weakref;
}

// Keys: attribute names, the keys of a dict display ("0".."7"), cache keys.
constexpr std::array<const char*, 10> kAttrs = {"a",      "b",     "c",    "next", "prev",
                                                "parent", "child", "self", "data", "cb"};
constexpr Key kNext = 3, kPrev = 4, kParent = 5, kChild = 6, kSelf = 7, kData = 8;
constexpr Key kFirstIndexKey = 10;
constexpr Key kFirstCacheKey = 18;
constexpr std::size_t kMaxInstanceRefs = 5;  // `alloc X Node A B ...` uses keys "0".."4"
constexpr Key kCacheKeys = 48;

Tok key_name(Key k) {
    if (k < kFirstIndexKey) return kAttrs[k];
    if (k < kFirstCacheKey) return Tok("", k - kFirstIndexKey);
    return Tok("k", k - kFirstCacheKey);
}

constexpr int kNames = 200;            // n0..n199
constexpr std::size_t kMaxTemps = 4;   // temporaries left between actions
constexpr std::size_t kMaxItems = 48;  // items per container before it is cleared

/// What the generator knows of one nameable object.
struct Obj {
    Kind kind = Kind::Int;
    std::uint16_t names = 0;                // names bound to it
    std::uint16_t pins = 0;                 // act_hidden still names it through others
    bool creation = true;                   // still holds its creation reference
    bool watched = false;                   // some weakref has targeted it
    bool plain_set = true;                  // a set: every member so far was plain (see top)
    Id plain_weakref = 0;                   // its live weakref without callback, if any
    Id weak_target = 0;                     // a weakref without callback: its target
    std::vector<Id> items;                  // list items in order; set members
    std::vector<std::pair<Key, Id>> keyed;  // dict items / attributes, in order
};

/// A temporary whose place among a set's members nobody can observe: an
/// instance without finalizer, attributes or weakrefs, unnameable once stored.
bool plain_member(const Obj& o) {
    return (o.kind == Kind::Node || o.kind == Kind::Slot) && o.creation && o.keyed.empty() &&
           !o.watched;
}

class Generator {
  public:
    Generator(const RandomTraceOptions& options, std::ostream& out)
        : options_(options), w_(out, /*timed=*/false), rng_(options.seed) {}

    /// Writes the whole trace; its events and distinct ids.
    WorkloadStats run();

  private:
    using Action = void (Generator::*)();

    // --- output ---
    static Tok name_tok(int n) { return Tok("n", static_cast<std::uint64_t>(n)); }
    std::uint64_t emitted() const { return w_.events(); }
    std::uint64_t remaining() const {
        return emitted() < options_.events ? options_.events - emitted() : 0;
    }

    // --- shadow ---
    Obj& obj(Id id) {
        const auto it = objs_.find(id);
        if (it == objs_.end())
            throw std::logic_error("random trace: o" + std::to_string(id) + " is not nameable");
        return it->second;
    }
    void untemp(Id id) { temps_.erase(std::find(temps_.begin(), temps_.end(), id)); }
    void take(Id id);
    void release(Id id);
    void forget_if_unnamed(Id id);

    // --- events (each keeps the shadow in step) ---
    Id alloc(Kind kind, std::initializer_list<Id> refs = {}, const char* site = nullptr);
    Id alloc_refs(Kind kind, const std::vector<Id>& refs, const char* site);
    void bind(int name, Id id);
    void unbind(int name);
    void append(Id container, Id value);
    void set_key(Id container, Key key, Id value);
    void set_index(Id list, std::size_t index, Id value);
    void unset(Id container, Key key);
    void remove(Id container, Id value);
    void clear(Id container);
    void drop(Id id);
    Id weakref(Id target, int label);

    // --- choices ---
    template <class Pred>
    int pick_bound_name(Pred pred, int tries = 12);
    template <class Pred>
    Id pick_bound(Pred pred, int tries = 12) {
        const int n = pick_bound_name(pred, tries);
        return n < 0 ? 0 : names_[static_cast<std::size_t>(n)];
    }
    int acquire_name();
    void lock(int n) { locked_[static_cast<std::size_t>(n)] = true; }
    void unlock(int n) { locked_[static_cast<std::size_t>(n)] = false; }
    Kind instance_kind();
    Kind plain_kind() { return rng_.percent(70) ? Kind::Node : Kind::Slot; }
    Key key_for(Kind kind, Key preferred);
    Key random_attr() { return static_cast<Key>(rng_.below(kAttrs.size())); }
    Key random_dict_key() {
        return rng_.percent(25) ? random_attr()
                                : static_cast<Key>(kFirstCacheKey + rng_.below(kCacheKeys));
    }
    Id alloc_atom(const char* site) {
        return alloc(rng_.percent(60) ? Kind::Int : Kind::Str, {}, site);
    }
    Id alloc_atom_tuple(const char* site);
    Id alloc_list(const char* site);
    Id new_value(const char* site);
    /// Stores `value` in `container` the way its type allows; false if it cannot.
    bool link(Id container, Id value, Key preferred);
    void bind_or_drop(Id id, int bind_percent);

    // --- actions ---
    void act_temporary();
    void act_resolve_temp();
    void act_bind_new();
    void act_unbind();
    void act_alias();
    void act_cache();
    void act_scratch();
    void act_mutate();
    void act_small_cycle();
    void act_ring();
    void act_mesh();
    void act_fin_chain();
    void act_list_chain();
    void act_tuples();
    void act_weakref();
    void act_archive();
    void act_legacy();
    void act_tree();
    void act_hidden();
    void hidden_in_set();
    void hidden_through_containers();
    void hidden_in_garbage();
    void unpin(Id id) {
        --obj(id).pins;
        forget_if_unnamed(id);
    }
    void act_gc_control();
    void set_threshold(std::uint64_t lo, std::uint64_t hi);
    void act_expect();

    void header();
    void warm_up();
    void due_gc_controls();
    void finish();

    RandomTraceOptions options_;
    workload::WorkloadWriter w_;  // never given an id back: ids count up
    Rng rng_;

    std::unordered_map<Id, Obj> objs_;  // nameable objects only; looked up, never iterated
    std::vector<Id> temps_;             // objects holding their creation reference
    std::array<Id, kNames> names_{};    // 0 = unbound
    std::vector<int> bound_;            // bound names, for uniform picks
    std::array<std::size_t, kNames> bound_pos_{};
    std::array<bool, kNames> locked_{};          // names a construct in progress relies on
    std::array<std::vector<Key>, 2> slot_keys_;  // keys used by Slot, SlotFin

    Id history_ = 0;                   // the list act_archive appends to
    std::uint64_t history_rolls_ = 0;  // archived full lists behind it
    std::uint64_t history_limit_ = 0;  // rolls before the archive is let go

    std::uint64_t restore_threshold_at_ = 0;  // end of a high-threshold stretch; 0 = none
    bool gc_disabled_ = false;
    std::uint64_t enable_at_ = 0;
    bool frozen_ = false;
    std::uint64_t unfreeze_at_ = 0;
};

// --- shadow bookkeeping ---

void Generator::take(Id id) {
    Obj& o = obj(id);
    if (!o.creation) return;
    o.creation = false;
    untemp(id);
    forget_if_unnamed(id);
}

void Generator::release(Id id) {
    --obj(id).names;
    forget_if_unnamed(id);
}

void Generator::forget_if_unnamed(Id id) {
    const auto it = objs_.find(id);
    const Obj& o = it->second;
    if (o.names != 0 || o.creation || o.pins != 0) return;
    if (o.kind == Kind::Weakref && o.weak_target != 0) {
        // A weakref is never stored, so it dies with its last name.
        const auto t = objs_.find(o.weak_target);
        if (t != objs_.end() && t->second.plain_weakref == id) t->second.plain_weakref = 0;
    }
    objs_.erase(it);
}

// --- events ---

Id Generator::alloc(Kind kind, std::initializer_list<Id> refs, const char* site) {
    return alloc_refs(kind, std::vector<Id>(refs), site);
}

Id Generator::alloc_refs(Kind kind, const std::vector<Id>& refs, const char* site) {
    for (const Id r : refs) obj(r);
    const Id id = w_.alloc_refs(type_name(kind), refs, site ? site : "");
    Obj o;
    o.kind = kind;
    if (kind == Kind::List || kind == Kind::Set) o.items = refs;
    if (kind == Kind::Set) {
        for (const Id r : refs) o.plain_set = o.plain_set && plain_member(obj(r));
        if (refs.size() > 1 && !o.plain_set)
            throw std::logic_error("random trace: a set display whose order is observable");
    }
    if (kind == Kind::Dict || is_instance(kind)) {  // {'0': a, ...}; C() then c.0 = a, ...
        if (is_instance(kind) &&
            (is_slotted(kind) ? !refs.empty() : refs.size() > kMaxInstanceRefs))
            throw std::logic_error("random trace: attributes 0, 1, ... outside the warmed-up keys");
        for (std::size_t i = 0; i < refs.size(); ++i)
            o.keyed.emplace_back(static_cast<Key>(kFirstIndexKey + i), refs[i]);
    }
    objs_.emplace(id, std::move(o));
    temps_.push_back(id);
    for (std::size_t i = 0; i < refs.size(); ++i) {
        if (std::find(refs.begin(), refs.begin() + static_cast<std::ptrdiff_t>(i), refs[i]) ==
            refs.begin() + static_cast<std::ptrdiff_t>(i))
            take(refs[i]);
    }
    return id;
}

void Generator::bind(int name, Id id) {
    Obj& o = obj(id);
    w_.bind(name_tok(name), id);
    if (o.creation) {
        o.creation = false;
        untemp(id);
    }
    ++o.names;
    const auto n = static_cast<std::size_t>(name);
    const Id old = names_[n];
    names_[n] = id;
    if (old == 0) {
        bound_pos_[n] = bound_.size();
        bound_.push_back(name);
    } else {
        release(old);
    }
}

void Generator::unbind(int name) {
    const auto n = static_cast<std::size_t>(name);
    const Id old = names_[n];
    w_.unbind(name_tok(name));
    names_[n] = 0;
    const int last = bound_.back();
    bound_[bound_pos_[n]] = last;
    bound_pos_[static_cast<std::size_t>(last)] = bound_pos_[n];
    bound_.pop_back();
    release(old);
}

void Generator::append(Id container, Id value) {
    Obj& c = obj(container);
    obj(value);
    w_.append(container, value);
    if (c.kind == Kind::Set) {
        const bool plain = plain_member(obj(value));
        if (!c.items.empty() && !(c.plain_set && plain))
            throw std::logic_error("random trace: a set whose order is observable");
        c.plain_set = c.plain_set && plain;
    }
    c.items.push_back(value);
    take(value);
}

void Generator::set_key(Id container, Key key, Id value) {
    Obj& c = obj(container);
    obj(value);
    w_.set(container, key_name(key), value);
    const auto it = std::find_if(c.keyed.begin(), c.keyed.end(),
                                 [key](const auto& kv) { return kv.first == key; });
    if (it != c.keyed.end()) {
        it->second = value;
    } else {
        c.keyed.emplace_back(key, value);
    }
    take(value);
}

void Generator::set_index(Id list, std::size_t index, Id value) {
    Obj& l = obj(list);
    obj(value);
    w_.set(list, Tok("", index), value);
    l.items.at(index) = value;
    take(value);
}

void Generator::unset(Id container, Key key) {
    Obj& c = obj(container);
    w_.unset(container, key_name(key));
    c.keyed.erase(std::find_if(c.keyed.begin(), c.keyed.end(),
                               [key](const auto& kv) { return kv.first == key; }));
}

void Generator::remove(Id container, Id value) {
    Obj& c = obj(container);
    obj(value);
    w_.remove(container, value);
    const auto it = std::find(c.items.begin(), c.items.end(), value);
    if (it != c.items.end()) {
        c.items.erase(it);
        if (c.items.empty()) c.plain_set = true;
        return;
    }
    c.keyed.erase(std::find_if(c.keyed.begin(), c.keyed.end(),
                               [value](const auto& kv) { return kv.second == value; }));
}

void Generator::clear(Id container) {
    Obj& c = obj(container);
    w_.clear(container);
    c.items.clear();
    c.keyed.clear();
    c.plain_set = true;
}

void Generator::drop(Id id) {
    Obj& o = obj(id);
    if (!o.creation) throw std::logic_error("random trace: drop of a stored object");
    w_.drop(id);
    o.creation = false;
    untemp(id);
    forget_if_unnamed(id);
}

Id Generator::weakref(Id target, int label) {
    Obj& t = obj(target);
    if (!is_instance(t.kind) || (label == 0 && t.plain_weakref != 0))
        throw std::logic_error("random trace: bad weakref");
    const Id id =
        w_.weakref(target, label == 0 ? Tok("") : Tok("cb", static_cast<std::uint64_t>(label)));
    t.watched = true;
    Obj w;
    w.kind = Kind::Weakref;
    if (label == 0) {
        w.weak_target = target;
        t.plain_weakref = id;
    }
    objs_.emplace(id, std::move(w));
    temps_.push_back(id);
    return id;
}

// --- choices ---

template <class Pred>
int Generator::pick_bound_name(Pred pred, int tries) {
    if (bound_.empty()) return -1;
    for (int i = 0; i < tries; ++i) {
        const int n = bound_[rng_.below(bound_.size())];
        if (!locked_[static_cast<std::size_t>(n)] && pred(obj(names_[static_cast<std::size_t>(n)])))
            return n;
    }
    return -1;
}

/// A name for a new binding: a free one if one turns up, else one to rebind
/// (which releases its old object). Never a locked one.
int Generator::acquire_name() {
    for (int i = 0; i < 24; ++i) {
        const auto n = static_cast<int>(rng_.below(kNames));
        if (names_[static_cast<std::size_t>(n)] == 0 && !locked_[static_cast<std::size_t>(n)])
            return n;
    }
    const auto start = static_cast<int>(rng_.below(kNames));
    for (int i = 0; i < kNames; ++i) {
        const int n = (start + i) % kNames;
        if (!locked_[static_cast<std::size_t>(n)]) return n;
    }
    throw std::logic_error("random trace: every name is locked");
}

Kind Generator::instance_kind() {
    const auto r = rng_.below(100);
    if (r < 45 || r >= 97) return Kind::Node;
    if (r < 65) return Kind::Fin;
    if (r < 83) return Kind::Slot;
    return Kind::SlotFin;
}

/// The attribute key to use on an instance of `kind`: `preferred` unless
/// the type has __slots__ and they are all taken by other keys.
Key Generator::key_for(Kind kind, Key preferred) {
    if (!is_slotted(kind)) return preferred;
    auto& used = slot_keys_[kind == Kind::Slot ? 0 : 1];
    if (std::find(used.begin(), used.end(), preferred) != used.end()) return preferred;
    if (used.size() < slot_count(kind)) {
        used.push_back(preferred);
        return preferred;
    }
    return used[rng_.below(used.size())];
}

Id Generator::alloc_atom_tuple(const char* site) {
    const auto n = rng_.range(1, 3);
    std::vector<Id> items;
    for (std::uint64_t i = 0; i < n; ++i) items.push_back(alloc_atom(site));
    return alloc_refs(Kind::Tuple, items, site);
}

Id Generator::alloc_list(const char* site) {
    std::vector<Id> items;
    const auto n = rng_.below(3);
    for (std::uint64_t i = 0; i < n; ++i) items.push_back(alloc_atom(site));
    return alloc_refs(Kind::List, items, site);
}

/// A nameable object to store somewhere: usually a new temporary, sometimes
/// an object already bound to a name (sharing).
Id Generator::new_value(const char* site) {
    const auto r = rng_.below(100);
    if (r < 12) {
        const Id id = pick_bound([](const Obj& o) { return storable(o.kind); }, 4);
        if (id != 0) return id;
    }
    if (r < 45) return alloc_atom(site);
    if (r < 67) return alloc(instance_kind(), {}, site);
    if (r < 79) return alloc_list(site);
    if (r < 89) return alloc(Kind::Dict, {}, site);
    return alloc_atom_tuple(site);
}

bool Generator::link(Id container, Id value, Key preferred) {
    const Obj& c = obj(container);
    const Obj& v = obj(value);
    switch (c.kind) {
        case Kind::List:
            if (c.items.size() >= kMaxItems) return false;
            append(container, value);
            return true;
        case Kind::Set:
            // Only instances (hashable, compared by identity), and a second
            // member only if the order of the members cannot be observed.
            if (!is_instance(v.kind) || c.items.size() >= kMaxItems ||
                std::find(c.items.begin(), c.items.end(), value) != c.items.end() ||
                (!c.items.empty() && !(c.plain_set && plain_member(v))))
                return false;
            append(container, value);
            return true;
        case Kind::Dict:
            set_key(container, preferred >= kFirstIndexKey ? preferred : random_dict_key(), value);
            return true;
        default:
            if (!is_instance(c.kind)) return false;
            set_key(container,
                    key_for(c.kind, preferred < kFirstIndexKey ? preferred : random_attr()), value);
            return true;
    }
}

void Generator::bind_or_drop(Id id, int bind_percent) {
    if (rng_.percent(static_cast<std::uint64_t>(bind_percent))) {
        bind(acquire_name(), id);
    } else {
        drop(id);
    }
}

// --- actions ---

/// A short-lived object: dropped at once, or left as a temporary for
/// act_resolve_temp.
void Generator::act_temporary() {
    const auto r = rng_.below(100);
    Id id;
    if (r < 30) {
        id = alloc_atom("tmp");
    } else if (r < 55) {
        id = alloc_list("tmp");
    } else if (r < 70) {
        id = alloc(Kind::Dict, {}, "tmp");
    } else if (r < 80) {
        id = alloc_atom_tuple("tmp");
    } else {
        id = alloc(instance_kind(), {}, "tmp");
    }
    if (rng_.percent(50)) drop(id);
}

void Generator::act_resolve_temp() {
    if (temps_.empty()) return;
    const Id id = temps_[rng_.below(temps_.size())];
    const Obj& o = obj(id);
    const auto r = rng_.below(100);
    if (r < 45 || o.kind == Kind::Weakref) {
        bind_or_drop(id, o.kind == Kind::Weakref ? 70 : 0);
        return;
    }
    if (r < 65) {
        bind(acquire_name(), id);
        return;
    }
    const Kind kind = o.kind;
    const Id container = pick_bound([kind](const Obj& c) {
        return c.kind == Kind::List || c.kind == Kind::Dict || is_instance(c.kind) ||
               (c.kind == Kind::Set && is_instance(kind));
    });
    if (container == 0 || !link(container, id, random_attr())) drop(id);
}

/// Live data: a new object bound to a name, sometimes with contents.
void Generator::act_bind_new() {
    const auto r = rng_.below(100);
    Id id;
    if (r < 35) {
        id = alloc(instance_kind(), {}, "obj");
    } else if (r < 55) {
        id = alloc_list("obj");
    } else if (r < 68) {
        std::vector<Id> values;
        const auto n = rng_.below(3);
        for (std::uint64_t i = 0; i < n; ++i) values.push_back(new_value("obj"));
        id = alloc_refs(Kind::Dict, values, "obj");
    } else if (r < 78) {
        std::vector<Id> members;
        const auto n = rng_.below(3);
        for (std::uint64_t i = 0; i < n; ++i)
            members.push_back(alloc(n == 1 ? instance_kind() : plain_kind(), {}, "obj"));
        id = alloc_refs(Kind::Set, members, "obj");
    } else if (r < 90) {
        id = alloc_atom("obj");
    } else {
        id = alloc_atom_tuple("obj");
    }
    bind(acquire_name(), id);
}

void Generator::act_unbind() {
    const int n = pick_bound_name([](const Obj&) { return true; });
    if (n >= 0) unbind(n);
}

/// `b = a`: a second name for a bound object, or a name for a temporary.
void Generator::act_alias() {
    Id id = pick_bound([](const Obj&) { return true; });
    if (id == 0 && !temps_.empty()) id = temps_.back();
    if (id != 0) bind(acquire_name(), id);
}

/// A dict used as a cache: grows with `set`, evicted with `unset`.
void Generator::act_cache() {
    Id cache = pick_bound([](const Obj& o) { return o.kind == Kind::Dict; });
    if (cache == 0) {
        cache = alloc(Kind::Dict, {}, "cache");
        bind(acquire_name(), cache);
    }
    const std::size_t size = obj(cache).keyed.size();
    const auto ops = rng_.range(1, 4);
    for (std::uint64_t i = 0; i < ops; ++i) {
        const Obj& c = obj(cache);
        if (!c.keyed.empty() && (c.keyed.size() >= 40 || rng_.percent(size > 20 ? 55 : 25))) {
            unset(cache, c.keyed[rng_.below(c.keyed.size())].first);
        } else {
            const Key key = static_cast<Key>(kFirstCacheKey + rng_.below(kCacheKeys));
            set_key(cache, key, new_value("cache"));
        }
    }
    if (rng_.percent(3)) clear(cache);
}

/// Temporaries appended into a list that is cleared now and then.
void Generator::act_scratch() {
    Id list = pick_bound([](const Obj& o) { return o.kind == Kind::List; });
    if (list == 0) {
        list = alloc(Kind::List, {}, "scratch");
        bind(acquire_name(), list);
    }
    const auto n = rng_.range(1, 5);
    for (std::uint64_t i = 0; i < n && obj(list).items.size() < kMaxItems; ++i) {
        append(list, rng_.percent(70) ? alloc_atom("scratch") : new_value("scratch"));
    }
    if (obj(list).items.size() >= kMaxItems / 2 || rng_.percent(20)) clear(list);
}

/// One edit of a bound container.
void Generator::act_mutate() {
    const int name = pick_bound_name([](const Obj& o) {
        return o.kind == Kind::List || o.kind == Kind::Dict || o.kind == Kind::Set ||
               is_instance(o.kind);
    });
    if (name < 0) return;
    lock(name);  // new_value never offers the container itself through this name
    const Id id = names_[static_cast<std::size_t>(name)];
    const Obj& c = obj(id);
    const auto r = rng_.below(100);
    // A nameable object this container holds (remove drops its first occurrence).
    auto held_value = [&]() -> Id {
        std::vector<Id> candidates;
        for (const Id item : c.items) candidates.push_back(item);
        for (const auto& kv : c.keyed) candidates.push_back(kv.second);
        if (candidates.empty()) return 0;
        const auto start = rng_.below(candidates.size());
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const Id pick = candidates[(start + i) % candidates.size()];
            const auto it = objs_.find(pick);
            if (it != objs_.end()) return pick;
        }
        return 0;
    };
    switch (c.kind) {
        case Kind::List:
            if (!c.items.empty() && r < 30) {
                const auto index = rng_.below(c.items.size());
                set_index(id, index, new_value("mut"));
            } else if (r < 50) {
                if (const Id v = held_value()) remove(id, v);
            } else if (r < 60 || c.items.size() >= kMaxItems) {
                clear(id);
            } else {
                link(id, new_value("mut"), kNext);
            }
            break;
        case Kind::Set:
            if (r < 25) {
                if (const Id v = held_value()) remove(id, v);
            } else if (r < 35 || c.items.size() >= kMaxItems) {
                clear(id);
            } else {
                const Id v = pick_bound([](const Obj& o) { return is_instance(o.kind); }, 4);
                link(id, v != 0 && c.items.empty() ? v : alloc(plain_kind(), {}, "mut"), kNext);
            }
            break;
        case Kind::Dict:
            if (!c.keyed.empty() && r < 25) {
                unset(id, c.keyed[rng_.below(c.keyed.size())].first);
            } else if (r < 40) {
                if (const Id v = held_value()) remove(id, v);
            } else if (r < 45) {
                clear(id);
            } else {
                set_key(id, random_dict_key(), new_value("mut"));
            }
            break;
        default:  // instances
            if (!c.keyed.empty() && r < 25) {
                unset(id, c.keyed[rng_.below(c.keyed.size())].first);
            } else if (r < 30 && !is_slotted(c.kind)) {
                clear(id);
            } else {
                const Kind kind = c.kind;
                set_key(id, key_for(kind, random_attr()), new_value("mut"));
            }
            break;
    }
    unlock(name);
}

/// Small cycles: self references, pairs, list<->tuple, dict<->instance.
void Generator::act_small_cycle() {
    const auto shape = rng_.below(100);
    if (shape < 35) {
        // Self cycle of a list, dict or instance; garbage at once or bound.
        const auto r = rng_.below(3);
        const Kind kind = r == 0 ? Kind::List : r == 1 ? Kind::Dict : instance_kind();
        const Id x = alloc(kind, {}, "self");
        const bool keep = rng_.percent(25);
        int name = -1;
        if (keep) {
            name = acquire_name();
            bind(name, x);
        }
        if (kind == Kind::List) {
            append(x, x);
        } else {
            set_key(x, kind == Kind::Dict ? kSelf : key_for(kind, kSelf), x);
        }
        if (keep && rng_.percent(30)) unbind(name);
        return;
    }
    // Pairs: a (bound) <-> b; b may be a list, dict, set, tuple or instance.
    const auto ra = rng_.below(4);
    const Kind ka = ra == 0 ? Kind::List : ra == 1 ? Kind::Dict : instance_kind();
    const Id a = alloc(ka, {}, "pair");
    const int name = acquire_name();
    bind(name, a);
    lock(name);
    const auto rb = rng_.below(100);
    if (rb < 20) {
        // (a,) <-> a  (T3 when a is a list)
        const Id t = alloc(Kind::Tuple, {a}, "pair");
        link(a, t, kChild);
    } else {
        Kind kb = rb < 40   ? Kind::List
                  : rb < 55 ? Kind::Dict
                  : rb < 62 ? Kind::Set
                            : instance_kind();
        if (kb == Kind::Set && !is_instance(ka)) kb = Kind::List;  // sets hold instances only
        const Id b = alloc(kb, {}, "pair");
        const bool list_like = rng_.percent(50);  // b.prev = a; a.next = b
        link(b, a, list_like ? kPrev : kParent);
        link(a, b, list_like ? kNext : kChild);
    }
    unlock(name);
    if (rng_.percent(65)) unbind(name);
}

/// A ring of 3-20 instances through `next`, some watched by weakrefs with
/// callbacks; usually made unreachable at once.
void Generator::act_ring() {
    const auto n = rng_.range(3, 20);
    const Id last = alloc(instance_kind(), {}, "ring");
    const int anchor = acquire_name();
    bind(anchor, last);
    lock(anchor);
    Id prev = last;
    for (std::uint64_t i = 1; i < n; ++i) {
        const Kind kind = instance_kind();
        const Id x = alloc(kind, {}, "ring");
        if (rng_.percent(12)) bind_or_drop(weakref(x, static_cast<int>(rng_.range(1, 4))), 90);
        if (rng_.percent(4)) bind_or_drop(weakref(x, 0), 60);
        set_key(x, key_for(kind, kNext), prev);
        prev = x;
    }
    set_key(last, key_for(obj(last).kind, kNext), prev);
    if (rng_.percent(15)) {
        const Kind kind = obj(last).kind;
        set_key(last, key_for(kind, kSelf), last);
    }
    unlock(anchor);
    if (rng_.percent(60)) unbind(anchor);
}

/// 3-10 objects bound to names, linked at random (cycles of every shape),
/// then unbound, all or some.
void Generator::act_mesh() {
    const auto k = rng_.range(3, 10);
    std::vector<int> names;
    std::vector<Id> members;
    for (std::uint64_t i = 0; i < k; ++i) {
        const auto r = rng_.below(100);
        const Kind kind = r < 65   ? instance_kind()
                          : r < 80 ? Kind::List
                          : r < 92 ? Kind::Dict
                                   : Kind::Set;
        const Id x = alloc(kind, {}, "mesh");
        const int name = acquire_name();
        bind(name, x);
        lock(name);
        names.push_back(name);
        members.push_back(x);
        if (is_instance(kind) && rng_.percent(20))
            bind_or_drop(weakref(x, static_cast<int>(rng_.range(1, 4))), 85);
    }
    const auto links = rng_.range(k, 3 * k);
    for (std::uint64_t i = 0; i < links; ++i) {
        const Id from = members[rng_.below(members.size())];
        const Id to = members[rng_.below(members.size())];
        link(from, to, static_cast<Key>(rng_.below(kAttrs.size())));
    }
    const bool all = rng_.percent(70);
    for (const int name : names) {
        unlock(name);
        if (all || rng_.percent(50)) unbind(name);
    }
}

/// A singly linked chain of 60-200 finalizer instances through `next`
/// (built tail first): freeing the head runs the trashcan. Sometimes closed
/// into one big cycle for the collector.
void Generator::act_fin_chain() {
    std::uint64_t n = rng_.range(60, 200);
    const std::uint64_t budget = remaining() / 2;
    if (budget < 20) return act_ring();
    n = std::min(n, budget);
    const bool cyclic = rng_.percent(50);
    auto chain_kind = [this] {
        const auto r = rng_.below(100);
        return r < 80 ? Kind::Fin : r < 90 ? Kind::SlotFin : Kind::Node;
    };
    const Id tail = alloc(chain_kind(), {}, "chain");
    int tail_name = -1;
    if (cyclic) {
        tail_name = acquire_name();
        bind(tail_name, tail);
        lock(tail_name);
    }
    Id prev = tail;
    for (std::uint64_t i = 1; i < n; ++i) {
        const Kind kind = chain_kind();
        const Id x = alloc(kind, {}, "chain");
        if (rng_.percent(2)) bind_or_drop(weakref(x, static_cast<int>(rng_.range(1, 4))), 90);
        set_key(x, key_for(kind, kNext), prev);
        prev = x;
    }
    if (cyclic) {
        set_key(tail, key_for(obj(tail).kind, kNext), prev);
        unlock(tail_name);
        if (rng_.percent(60)) unbind(tail_name);
        return;
    }
    const int head = acquire_name();
    bind(head, prev);
    if (rng_.percent(50)) unbind(head);
}

/// `t = [SlotFin(), t]` nested 20-150 deep (cpython-gc.md T29).
void Generator::act_list_chain() {
    std::uint64_t n = rng_.range(20, 150);
    const std::uint64_t budget = remaining() / 2;
    if (budget < 10) return act_small_cycle();
    n = std::min(n, budget);
    Id prev = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const Id item = alloc(rng_.percent(70) ? Kind::SlotFin : Kind::Fin, {}, "nest");
        prev =
            prev == 0 ? alloc(Kind::List, {item}, "nest") : alloc(Kind::List, {item, prev}, "nest");
    }
    const int name = acquire_name();
    bind(name, prev);
    if (rng_.percent(60)) unbind(name);
}

/// Tuples of atoms (untracked by the next collection), nested tuples, and
/// tuples holding containers (which stay tracked). Left as temporaries.
void Generator::act_tuples() {
    const auto r = rng_.below(100);
    if (r < 40) {
        alloc_atom_tuple("tuple");
    } else if (r < 75) {
        const Id inner = alloc_atom_tuple("tuple");
        const Id atom = alloc_atom("tuple");
        const Id outer = alloc(Kind::Tuple, {atom, inner}, "tuple");
        if (rng_.percent(30)) alloc(Kind::Tuple, {outer}, "tuple");
    } else {
        Id holder =
            pick_bound([](const Obj& o) { return storable(o.kind) && o.kind != Kind::Int; }, 4);
        if (holder == 0) holder = alloc_list("tuple");
        const Id atom = alloc_atom("tuple");
        alloc(Kind::Tuple, {holder, atom}, "tuple");
    }
}

/// Weakrefs to bound instances: with a callback (kept under a name so the
/// callback can run), or without one (at most one live per target).
void Generator::act_weakref() {
    const Id target = pick_bound([](const Obj& o) { return is_instance(o.kind); });
    if (target == 0) return;
    if (rng_.percent(70)) {
        bind_or_drop(weakref(target, static_cast<int>(rng_.range(1, 4))), 85);
    } else if (obj(target).plain_weakref == 0) {
        bind_or_drop(weakref(target, 0), 70);
    }
}

/// Events on objects no name reaches (issue 11): what a Python program does
/// through references it does not keep, and verify names through handles.
void Generator::act_hidden() {
    const auto r = rng_.below(100);
    if (!options_.unreachable_shapes || r < 35) return hidden_through_containers();
    if (r < 65) return hidden_in_set();
    hidden_in_garbage();
}

/// An instance only a set holds: attributes stored on it, weakrefs to it,
/// sometimes a self cycle; then removed from the set (freed by reference
/// counting, or left to the collector in its cycle) or left in it. A set
/// with one member has no order to observe.
void Generator::hidden_in_set() {
    const Id s = alloc(Kind::Set, {}, "hidden");
    const int name = acquire_name();
    bind(name, s);
    lock(name);
    const Kind kind = instance_kind();
    const Id x = alloc(kind, {}, "hidden");
    ++obj(x).pins;
    append(s, x);  // x: only the set reaches it now
    if (rng_.percent(60)) bind_or_drop(weakref(x, static_cast<int>(rng_.range(1, 4))), 90);
    if (rng_.percent(40)) {
        const Key key = key_for(kind, kData);  // before new_value: one draw order
        set_key(x, key, new_value("hidden"));
    }
    if (rng_.percent(35)) set_key(x, key_for(kind, kSelf), x);
    if (rng_.percent(25) && obj(x).plain_weakref == 0) bind_or_drop(weakref(x, 0), 80);
    if (rng_.percent(60)) remove(s, x);
    unpin(x);
    unlock(name);
    if (rng_.percent(50)) unbind(name);
}

/// A chain name -> list or dict -> list -> instances: weakrefs with
/// callbacks to the instances, attributes stored on them, and the removes
/// that free them by reference counting (walkable: a walk from the name
/// reaches every object).
void Generator::hidden_through_containers() {
    const Id root = alloc(rng_.percent(50) ? Kind::List : Kind::Dict, {}, "hidden");
    const int name = acquire_name();
    bind(name, root);
    lock(name);
    const Id inner = alloc(Kind::List, {}, "hidden");
    ++obj(inner).pins;
    link(root, inner, kChild);
    const auto n = rng_.range(1, 4);
    std::vector<Id> members;
    for (std::uint64_t i = 0; i < n; ++i) {
        const Kind kind = instance_kind();
        const Id x = alloc(kind, {}, "hidden");
        ++obj(x).pins;
        append(inner, x);
        members.push_back(x);
        if (rng_.percent(50)) bind_or_drop(weakref(x, static_cast<int>(rng_.range(1, 4))), 90);
        if (rng_.percent(30)) {
            const Key key = key_for(kind, kData);
            set_key(x, key, new_value("hidden"));
        }
        if (rng_.percent(20)) set_key(x, key_for(kind, kParent), inner);  // a cycle through the list
    }
    for (const Id x : members) {
        if (rng_.percent(50)) remove(inner, x);
        unpin(x);
    }
    if (rng_.percent(30)) {
        // Let the inner list go with whatever it still holds.
        const Obj& r = obj(root);
        if (r.kind == Kind::List) {
            remove(root, inner);
        } else {
            unset(root, r.keyed.front().first);
        }
    }
    unpin(inner);
    unlock(name);
    if (rng_.percent(40)) unbind(name);
}

/// A ring of lists, dicts and plain instances made unreachable, then events
/// on it before any collection can run: stores into its members, then one
/// of a remove that breaks the ring (everything freed by reference
/// counting, each container after the member it released), a weakref with
/// callback to a member (whose allocation may itself collect the ring), an
/// explicit collection, or nothing. Until the last of them nothing in the
/// window allocates a collector-managed object, so no policy can have
/// collected the ring: its members are unwatched and their stores take
/// atoms (odd seeds store no attribute: a __dict__ might be materialized).
void Generator::hidden_in_garbage() {
    const auto n = rng_.range(2, 5);
    std::vector<Id> ring;
    std::vector<Key> ring_keys;  // the key each member holds the next one under
    const int name = acquire_name();
    auto add = [&]() {
        const auto r = rng_.below(3);
        const Kind kind = r == 0 ? Kind::List : r == 1 ? Kind::Dict : instance_kind();
        ring.push_back(alloc(kind, {}, "garbage"));
        ++obj(ring.back()).pins;
        ring_keys.push_back(kind == Kind::Dict || kind == Kind::List ? kNext : key_for(kind, kNext));
    };
    auto link_next = [&](std::size_t i, Id next) {
        if (obj(ring[i]).kind == Kind::List) {
            append(ring[i], next);
        } else {
            set_key(ring[i], ring_keys[i], next);
        }
    };
    add();
    bind(name, ring[0]);
    for (std::uint64_t i = 1; i < n; ++i) {
        add();
        link_next(i - 1, ring.back());  // takes the new member's creation reference
    }
    link_next(n - 1, ring[0]);
    unbind(name);  // the ring is garbage now
    const bool attributes = options_.seed % 2 == 0;
    for (auto stores = rng_.below(4); stores > 0; --stores) {
        const Id x = ring[rng_.below(ring.size())];
        const Kind kind = obj(x).kind;
        if (kind == Kind::List) {
            append(x, alloc_atom("garbage"));
        } else if (kind == Kind::Dict) {
            const auto key = static_cast<Key>(kFirstCacheKey + rng_.below(kCacheKeys));
            set_key(x, key, alloc_atom("garbage"));
        } else if (attributes && (kind == Kind::Node || kind == Kind::Fin)) {
            set_key(x, kData, alloc_atom("garbage"));
        }
    }
    const auto end = rng_.below(100);
    if (end < 40) {
        const std::size_t i = rng_.below(ring.size());
        const Id x = ring[i], next = ring[(i + 1) % n];
        if (obj(x).kind == Kind::List) {
            remove(x, next);
        } else {
            unset(x, ring_keys[i]);
        }
    } else if (end < 65) {
        std::vector<Id> instances;
        for (const Id x : ring)
            if (is_instance(obj(x).kind)) instances.push_back(x);
        if (!instances.empty()) {
            const Id target = instances[rng_.below(instances.size())];
            bind_or_drop(weakref(target, static_cast<int>(rng_.range(1, 4))), 85);
        }
    } else if (end < 80) {
        w_.collect(static_cast<int>(rng_.below(3)));
    }
    for (const Id x : ring) unpin(x);
}

/// A tree built bottom up, one event per object: instance leaves, and list,
/// dict and tuple displays that take over the subtrees before them and often
/// point back to a bound parent object, which finally adopts the root.
/// Unbinding the parent makes the whole tree cyclic garbage.
void Generator::act_tree() {
    const auto r = rng_.below(3);
    const Kind parent_kind = r == 0 ? Kind::List : r == 1 ? Kind::Dict : instance_kind();
    const Id parent = alloc(parent_kind, {}, "tree");
    const int name = acquire_name();
    bind(name, parent);
    lock(name);
    const auto n = rng_.range(8, 60);
    std::vector<Id> frontier;  // subtree roots, each a temporary
    bool back_link = false;
    for (std::uint64_t i = 0; i < n; ++i) {
        if (frontier.size() < 3 && (frontier.size() < 2 || rng_.percent(65))) {
            const Id leaf = alloc(instance_kind(), {}, "tree");
            if (rng_.percent(3))
                bind_or_drop(weakref(leaf, static_cast<int>(rng_.range(1, 4))), 90);
            frontier.push_back(leaf);
            continue;
        }
        std::vector<Id> refs;
        const auto take_children = rng_.range(frontier.size() - 1, frontier.size());
        bool set_ok = true;  // {leaf} or {plain, plain, ...}
        for (std::uint64_t k = 0; k < take_children; ++k) {
            refs.push_back(frontier.back());
            frontier.pop_back();
            const Obj& child = obj(refs.back());
            set_ok = set_ok && (take_children == 1 ? is_instance(child.kind) : plain_member(child));
        }
        if (set_ok && rng_.percent(30)) {
            frontier.push_back(alloc_refs(Kind::Set, refs, "tree"));  // {leaf, leaf}
            continue;
        }
        if (!back_link || rng_.percent(25)) {
            refs.push_back(parent);
            back_link = true;
        }
        if (rng_.percent(10)) {
            const Id shared = pick_bound([](const Obj& o) { return storable(o.kind); }, 3);
            if (shared != 0) refs.push_back(shared);
        }
        const auto kr = rng_.below(100);
        // Node(a, b, ...) stores its arguments as attributes "0", "1", ...
        const Kind kind = kr < 35   ? Kind::List
                          : kr < 55 ? Kind::Dict
                          : kr < 75 ? Kind::Tuple
                          : kr < 92 ? Kind::Node
                                    : Kind::Fin;
        frontier.push_back(alloc_refs(kind, refs, "tree"));
    }
    const Id root = alloc_refs(Kind::List, frontier, "tree");
    link(parent, root, kChild);
    unlock(name);
    if (rng_.percent(75)) unbind(name);
}

/// Long-lived data: new objects appended to a bound history list; a full
/// list is archived inside the next one (`h = [h]`), so the heap grows while
/// the generator remembers one list. Now and then the whole archive is let
/// go and dies by reference counting.
void Generator::act_archive() {
    const auto it = objs_.find(history_);
    if (it == objs_.end() || it->second.names == 0) {
        history_ = alloc(Kind::List, {}, "history");
        bind(acquire_name(), history_);
        history_rolls_ = 0;
        history_limit_ = rng_.range(10, 120);
    }
    const auto n = rng_.range(1, 4);
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto r = rng_.below(100);
        Id item;
        if (r < 70) {
            item = alloc(instance_kind(), {}, "history");
        } else if (r < 80) {
            item = alloc_list("history");
        } else if (r < 88) {
            item = alloc(Kind::Dict, {}, "history");
        } else {
            const Id inner = alloc(Kind::List, {}, "history");
            const Id atom = alloc_atom("history");
            item = alloc(Kind::Tuple, {inner, atom}, "history");
        }
        append(history_, item);
    }
    if (obj(history_).items.size() < 32) return;
    int holder = -1;
    for (const int b : bound_) {
        if (names_[static_cast<std::size_t>(b)] == history_) {
            holder = b;
            break;
        }
    }
    if (++history_rolls_ >= history_limit_) {
        unbind(holder);  // let the archive go
        history_ = 0;
        return;
    }
    // Roll over: the full list goes into a fresh one that takes its name.
    const Id full = history_;
    history_ = alloc(Kind::List, {full}, "history");
    bind(holder, history_);
}

/// `threshold T0 [T1 [T2]]` with T0 in [lo, hi], T1 and T2 in 2..20.
void Generator::set_threshold(std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t values[3] = {rng_.range(lo, hi), 0, 0};
    std::size_t n = 1;
    const auto form = rng_.below(10);
    if (form >= 3) values[n++] = rng_.range(2, 20);
    if (form >= 5) values[n++] = rng_.range(2, 20);
    w_.threshold(std::span<const std::uint64_t>(values, n));
}

/// Thresholds stay low (50-80) most of the time, so collections are
/// frequent; higher ones, the default included, are stretches that end.
void Generator::act_gc_control() {
    const auto r = rng_.below(100);
    if (r < 35) {
        set_threshold(50, 70);
        restore_threshold_at_ = 0;
    } else if (r < 50) {
        const auto high = rng_.below(100);
        if (high < 25) {
            w_.threshold(700, 10, 10);
        } else {
            set_threshold(high < 75 ? 80 : 700, high < 75 ? 700 : 2000);
        }
        restore_threshold_at_ = emitted() + rng_.range(100, 500);
    } else if (r < 80) {
        // collect, collect 0, collect 1, collect 2
        const auto form = rng_.below(4);
        w_.collect(form == 0 ? 2 : static_cast<int>(form - 1), /*spelled=*/form == 3);
    } else if (r < 92) {
        if (!gc_disabled_) {
            w_.gc("disable");
            gc_disabled_ = true;
            enable_at_ = emitted() + rng_.range(40, 300);
        }
    } else if (!frozen_) {
        w_.gc("freeze");
        frozen_ = true;
        unfreeze_at_ = emitted() + rng_.range(200, 3000);
    }
}

void Generator::act_expect() {
    const Id id = pick_bound([](const Obj&) { return true; });
    if (id == 0) return;
    w_.expect_alive(id);
}

// --- driver ---

void Generator::header() {
    w_.raw_line("# heapsim random trace: generator random-trace/1, seed " +
                std::to_string(options_.seed) + ", events " + std::to_string(options_.events) +
                (options_.legacy_finalizers ? ", legacy finalizers" : ""));
    w_.raw_line("heaptrace 1");
    w_.raw_line(kEndRecordPromise);
    w_.type("Node instance");
    w_.type("Fin instance finalizer");
    w_.type("Slot instance slots=3");
    w_.type("SlotFin instance finalizer slots=2");
    if (options_.legacy_finalizers) w_.type("Legacy instance legacy_finalizer");
}

/// One instance of each class with a __dict__ takes every attribute name the
/// trace will use while its shared keys still have room (see the top). The
/// legacy one ends in a self cycle, uncollectable, like every Legacy object.
void Generator::warm_up() {
    const Id value = alloc(Kind::Int, {}, "warmup");
    const int name = acquire_name();
    bind(name, value);
    std::vector<Kind> kinds = {Kind::Node, Kind::Fin};
    if (options_.legacy_finalizers) kinds.push_back(Kind::Legacy);
    for (const Kind kind : kinds) {
        const Id w = alloc(kind, {}, "warmup");
        for (std::size_t k = 0; k < kFirstIndexKey + kMaxInstanceRefs; ++k)
            if (k != kSelf) set_key(w, static_cast<Key>(k), value);
        if (kind == Kind::Legacy) {
            set_key(w, kSelf, w);
        } else {
            set_key(w, kSelf, value);
            drop(w);
        }
    }
    unbind(name);
}

/// Objects with a legacy finalizer (tp_del) only ever in cycles that are
/// garbage at once: uncollectable, they stay in gc.garbage with everything
/// they reach, and never die. (A tp_del run by reference counting looks up a
/// bound method, an allocation of its own that can start a collection.)
void Generator::act_legacy() {
    if (!options_.legacy_finalizers) return act_small_cycle();
    const Id u = alloc(Kind::Legacy, {}, "legacy");
    const auto r = rng_.below(100);
    if (r < 40) {
        set_key(u, kSelf, u);
    } else if (r < 75) {
        // cpython-gc.md T46: what a legacy cycle reaches is kept too, and a
        // weakref to it never calls back.
        const Id p = alloc(Kind::Node, {}, "legacy");
        if (rng_.percent(50)) bind_or_drop(weakref(p, static_cast<int>(rng_.range(1, 4))), 100);
        set_key(u, kData, p);
        set_key(u, kSelf, u);
    } else {
        const int name = acquire_name();
        bind(name, u);
        lock(name);
        const Id b = alloc(instance_kind(), {}, "legacy");
        set_key(b, key_for(obj(b).kind, kPrev), u);
        set_key(u, kNext, b);
        unlock(name);
        unbind(name);
    }
}

void Generator::due_gc_controls() {
    if (restore_threshold_at_ != 0 && emitted() >= restore_threshold_at_) {
        set_threshold(50, 70);
        restore_threshold_at_ = 0;
    }
    if (gc_disabled_ && emitted() >= enable_at_) {
        w_.gc("enable");
        gc_disabled_ = false;
    }
    if (frozen_ && emitted() >= unfreeze_at_) {
        w_.gc("unfreeze");
        frozen_ = false;
    }
}

/// Closes what is open. The final full collection leaves the counts at zero,
/// so nothing a replayer does after the last event (`heapsim verify` calls
/// gc.get_count(), which allocates) can start a collection the trace did
/// not ask for.
void Generator::finish() {
    while (!temps_.empty()) drop(temps_.back());
    if (gc_disabled_) w_.gc("enable");
    if (frozen_) w_.gc("unfreeze");
    gc_disabled_ = frozen_ = false;
    w_.collect(2);
}

WorkloadStats Generator::run() {
    // Relative weights of the actions (trees, rings and small cycles carry most
    // of the collector-counted allocations).
    static constexpr std::pair<Action, int> kActions[] = {
        {&Generator::act_temporary, 80},    {&Generator::act_resolve_temp, 50},
        {&Generator::act_bind_new, 80},     {&Generator::act_unbind, 70},
        {&Generator::act_alias, 10},        {&Generator::act_cache, 50},
        {&Generator::act_scratch, 30},      {&Generator::act_mutate, 60},
        {&Generator::act_small_cycle, 170}, {&Generator::act_ring, 70},
        {&Generator::act_mesh, 20},         {&Generator::act_fin_chain, 2},
        {&Generator::act_list_chain, 3},    {&Generator::act_tuples, 40},
        {&Generator::act_weakref, 40},      {&Generator::act_archive, 60},
        {&Generator::act_tree, 150},        {&Generator::act_gc_control, 25},
        {&Generator::act_expect, 4},        {&Generator::act_legacy, 4},
        {&Generator::act_hidden, 150},
    };
    int total = 0;
    for (const auto& a : kActions) total += a.second;

    header();
    if (options_.seed % 2 == 0) warm_up();
    restore_threshold_at_ = rng_.range(50, 400);  // start at the default for a while
    while (emitted() < options_.events) {
        due_gc_controls();
        while (temps_.size() > kMaxTemps) act_resolve_temp();
        auto r = static_cast<int>(rng_.below(static_cast<std::uint64_t>(total)));
        for (const auto& [action, weight] : kActions) {
            if (r < weight) {
                (this->*action)();
                break;
            }
            r -= weight;
        }
    }
    finish();
    WorkloadStats stats;
    w_.finish(stats);  // with the end-of-trace record, which lets a reader see a cut
    return stats;
}

}  // namespace

void write_random_trace(const RandomTraceOptions& options, std::ostream& out) {
    Generator(options, out).run();
}

WorkloadStats write_mixed_trace(const WorkloadOptions& options, std::ostream& out) {
    RandomTraceOptions mixed;
    mixed.events = options.events;
    mixed.seed = options.seed;
    mixed.legacy_finalizers = options.legacy_finalizers;
    mixed.unreachable_shapes = options.unreachable_shapes;
    return Generator(mixed, out).run();
}

}  // namespace heapsim

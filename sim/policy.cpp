#include "sim/policy.h"

#include <charconv>

namespace heapsim {
namespace {

// 3.13's trashcan defers a dealloc once c_recursion_remaining <= 50
// (Py_TRASHCAN_HEADROOM, Py_TRASHCAN_BEGIN, Include/cpython/object.h:475-493
// @3.13.0). At a statement of `python script.py` the counter stands at
// Py_C_RECURSION_LIMIT 10000 less PY_EVAL_C_STACK_UNITS 2 for the one
// evaluation frame entered from C (Python calls are inlined), so the dealloc
// at nesting 9948 is deferred. Measured on 3.13.0 and 3.13.18: the order of
// 30,000 and 12,345 finalizers of `t = [O(i), t]` chains equals this model's
// (docs/policies.md, "The trashcan"; traces/scenarios/t29b_trashcan_long_chain.trace).
constexpr int kTrashcan313 = 9948;

constexpr PolicyTraits kTraits[] = {
    // name, kind, thresholds, collection_point, weakref_tuple_min, trashcan_limit,
    // trashcan_drain_at, untrack_dicts, dicts_tracked_at_creation,
    // tuple_display_tracks_by_item_type,
    // collector, provenance
    {"refcount",
     PolicyKind::Refcount,
     {700, 10, 10},
     CollectionPoint::InAllocation,
     2,
     50,
     0,
     true,
     false,
     false,
     Collector::Generational,
     "reference counting only: no cyclic collector"},
    // pycore_runtime_init.h:56-63@3.11; _PyTrash_UNWIND_LEVEL object.c:2226@3.11.
    {"cpython-3.11",
     PolicyKind::CPython311,
     {700, 10, 10},
     CollectionPoint::InAllocation,
     2,
     50,
     0,
     true,
     false,
     false,
     Collector::Generational,
     "verified against interpreter 3.11.7"},
    // Same defaults and trashcan (§6.2); deferred collection (§15.1-15.5).
    {"cpython-3.12",
     PolicyKind::CPython312,
     {700, 10, 10},
     CollectionPoint::AtSafePoint,
     2,
     50,
     0,
     true,
     false,
     false,
     Collector::Generational,
     "verified against interpreter 3.12.1"},
    // (2000, 10, 10): pycore_runtime_init.h:233@3.13.0 (§15.6); weakref tuple
    // for one callback (§15.7); trashcan headroom (§2.5, kTrashcan313).
    {"cpython-3.13",
     PolicyKind::CPython313,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     kTrashcan313,
     kTrashcan313 - 51,
     true,
     false,
     false,
     Collector::Generational,
     "verified against interpreters 3.13.0 and 3.13.18"},
    // 3.14.5+: the 3.13 collector forward-ported (gh-142516), dicts always
    // tracked, tuples by item type (§6.5).
    {"cpython-3.14",
     PolicyKind::CPython314,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     0,
     false,
     true,
     true,
     Collector::Generational,
     "verified against interpreter 3.14.10"},
    // 3.15: same collector as 3.14.5+ (docs/policies.md, measured on 3.15.2).
    {"cpython-3.15",
     PolicyKind::CPython315,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     0,
     false,
     true,
     true,
     Collector::Generational,
     "verified against interpreter 3.15.2"},
    // 3.14.0-3.14.4: the incremental collector (§6.4). Thresholds as
    // gc.get_threshold() reports them: young 2000, old-space scan factor 10,
    // 0 (Doc/whatsnew/3.14.rst; §10.6 T51). Dicts tracked from creation
    // (GH-127010). Tuple displays tracked at creation as in 3.14.0 itself:
    // the by-item-type rule (gh-139951) came with 3.14.1.
    {"cpython-3.14.0",
     PolicyKind::CPython3140,
     {2000, 10, 0},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     0,
     false,
     true,
     false,
     Collector::Incremental,
     "modelled from source (Python/gc.c of the 3.14.0 line, incremental), not verified"},
    // Free-threaded 3.13: generations[] of 3.13 (2000, 10, 10), lazy dict
    // tracking as the default 3.13 build (Objects/dictobject.c is shared).
    {"cpython-3.13t",
     PolicyKind::CPython313t,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     0,
     false,
     false,
     false,
     Collector::FreeThreaded,
     "modelled from source at tag v3.13.0 (Python/gc_free_threading.c), not verified"},
    // Free-threaded 3.14 (unchanged by 3.14.5's revert, gh-142516).
    {"cpython-3.14t",
     PolicyKind::CPython314t,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     0,
     false,
     true,
     true,
     Collector::FreeThreaded,
     "modelled from source at tag v3.14.7 (Python/gc_free_threading.c), not verified"},
};

}  // namespace

const PolicyTraits& traits_of(PolicyKind kind) {
    return kTraits[static_cast<int>(kind)];
}

const char* Policy::name() const {
    return traits().name;
}

std::optional<Policy> policy_by_name(std::string_view name) {
    for (const PolicyTraits& t : kTraits) {
        if (name == t.name) return Policy{t.kind, t.thresholds};
    }
    return std::nullopt;
}

std::vector<std::string> policy_names() {
    return {"cpython-3.11", "cpython-3.12",  "cpython-3.13",  "cpython-3.14", "cpython-3.14.0",
            "cpython-3.15", "cpython-3.13t", "cpython-3.14t", "refcount"};
}

std::optional<Policy> policy_for_python(std::string_view version, bool free_threaded) {
    int major = 0, minor = 0, micro = 0;
    const char* p = version.data();
    const char* end = p + version.size();
    auto num = [&](int& out) {
        auto [q, ec] = std::from_chars(p, end, out);
        if (ec != std::errc()) return false;
        p = q;
        return true;
    };
    if (!num(major) || p == end || *p++ != '.' || !num(minor)) return std::nullopt;
    if (p != end && *p == '.') {
        ++p;
        num(micro);
    }
    if (major != 3) return std::nullopt;
    if (free_threaded) {
        if (minor == 13) return policy_by_name("cpython-3.13t");
        if (minor == 14) return policy_by_name("cpython-3.14t");
        return std::nullopt;
    }
    switch (minor) {
        case 8:
        case 9:
        case 10:
        case 11:
            return policy_by_name("cpython-3.11");
        case 12:
            return policy_by_name("cpython-3.12");
        case 13:
            return policy_by_name("cpython-3.13");
        // 3.14.0-3.14.4 ran the incremental collector (§6.4).
        case 14:
            return policy_by_name(micro >= 5 ? "cpython-3.14" : "cpython-3.14.0");
        case 15:
            return policy_by_name("cpython-3.15");
        default:
            return std::nullopt;
    }
}

}  // namespace heapsim

#include "sim/policy.h"

#include <charconv>

namespace heapsim {
namespace {

constexpr PolicyTraits kTraits[] = {
    // name, kind, thresholds, collection_point, weakref_tuple_min, trashcan_limit,
    // untrack_dicts, dicts_tracked_at_creation, tuple_display_tracks_by_item_type
    {"refcount",
     PolicyKind::Refcount,
     {700, 10, 10},
     CollectionPoint::InAllocation,
     2,
     50,
     true,
     false,
     false},
    // pycore_runtime_init.h:56-63@3.11; _PyTrash_UNWIND_LEVEL object.c:2226@3.11.
    {"cpython-3.11",
     PolicyKind::CPython311,
     {700, 10, 10},
     CollectionPoint::InAllocation,
     2,
     50,
     true,
     false,
     false},
    // Same defaults and trashcan (§6.2); deferred collection (§15.1-15.5).
    {"cpython-3.12",
     PolicyKind::CPython312,
     {700, 10, 10},
     CollectionPoint::AtSafePoint,
     2,
     50,
     true,
     false,
     false},
    // (2000, 10, 10): pycore_runtime_init.h:233@3.13.0 (§15.6); weakref tuple
    // for one callback (§15.7); trashcan headroom (§15.8, measured: a chain of
    // 10000 is not cut at the depth of a trace's statement).
    {"cpython-3.13",
     PolicyKind::CPython313,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     true,
     false,
     false},
    // 3.14.5+: the 3.13 collector forward-ported (gh-142516), dicts always
    // tracked, tuples by item type (§6.5).
    {"cpython-3.14",
     PolicyKind::CPython314,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     false,
     true,
     true},
    // 3.15: same collector as 3.14.5+ (docs/policies.md, measured on 3.15.2).
    {"cpython-3.15",
     PolicyKind::CPython315,
     {2000, 10, 10},
     CollectionPoint::AtSafePoint,
     1,
     PolicyTraits::kNoTrashcan,
     false,
     true,
     true},
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
    return {"cpython-3.11", "cpython-3.12", "cpython-3.13",
            "cpython-3.14", "cpython-3.15", "refcount"};
}

std::optional<Policy> policy_for_python(std::string_view version) {
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
        // 3.14.0-3.14.4 ran the incremental collector (§6.4): not modelled.
        case 14:
            return micro >= 5 ? policy_by_name("cpython-3.14") : std::nullopt;
        case 15:
            return policy_by_name("cpython-3.15");
        default:
            return std::nullopt;
    }
}

}  // namespace heapsim

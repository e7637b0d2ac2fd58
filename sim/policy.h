#pragma once
// A policy is the memory manager being modelled, chosen once per run.
//
// What every CPython version shares (objects, references, the dealloc
// cascade, weakrefs, finalizers, the collection of one generation,
// cpython-gc.md §5) is the Heap's. What a version decides is here: small
// differences as data (PolicyTraits, one row per version, each field citing
// its source line or measurement), and the one structural difference of the
// generational collectors -- where an automatic collection runs -- as
// CollectionPoint. docs/policies.md lists every difference per version.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heapsim {

enum class PolicyKind : std::uint8_t {
    Refcount,    // reference counting only: the cyclic collector never runs
    CPython311,  // CPython 3.11's generational collector (also 3.8-3.10)
    CPython312,
    CPython313,
    CPython314,  // 3.14.5 and later: generational again
    CPython315,
    CPython3140,  // 3.14.0-3.14.4: the incremental collector (gh-108362)
    CPython313t,  // free-threaded 3.13
    CPython314t,  // free-threaded 3.14
};

/// The shape of the cyclic collector a policy runs.
enum class Collector : std::uint8_t {
    /// Three generations, the oldest over its threshold (cpython-gc.md §4, §5).
    Generational,
    /// 3.14.0-3.14.4: a young generation and two old spaces (visited,
    /// pending); automatic runs are increments (§6.4).
    Incremental,
    /// 3.13t/3.14t: no generations, the whole heap every time; counts
    /// batched per thread in steps of 512 (§6.6).
    FreeThreaded,
};

/// Where the automatic collection runs once count0 passes threshold0.
enum class CollectionPoint : std::uint8_t {
    /// 3.8-3.11: synchronously inside the allocation, before the new object
    /// is tracked (_PyObject_GC_Link, gcmodule.c:2253@3.11).
    InAllocation,
    /// 3.12+: the allocation only schedules it (_Py_ScheduleGC,
    /// gcmodule.c:2253@3.12.5); it runs at the next eval-breaker check, with
    /// the counts and thresholds of that moment (_Py_RunGC, :2288@3.12.5;
    /// Python/gc.c:_Py_RunGC@3.13.0) -- cpython-gc.md §6.2, §15.1.
    AtSafePoint,
};

/// One CPython version's data. kNoTrashcan: no depth limit is modelled.
struct PolicyTraits {
    static constexpr int kNoTrashcan = 0;
    const char* name;
    PolicyKind kind;
    std::array<std::int64_t, 3> thresholds;
    CollectionPoint collection_point;
    /// PyObject_ClearWeakRefs builds its (weakref, callback) tuple -- a
    /// counted allocation -- when at least this many weakrefs remain after
    /// the callback-less head: 2 up to 3.12 (weakrefobject.c:~955@3.12, one
    /// calls back directly), 1 from 3.13 (num_weakrefs > 0, §15.7).
    std::uint32_t weakref_tuple_min;
    /// Trashcan nesting at which deallocs are deferred (§2.5): 50 up to
    /// 3.12 (_PyTrash_UNWIND_LEVEL); 3.13 counts C recursion headroom
    /// (Include/cpython/object.h:475@3.13.0): deferred once
    /// c_recursion_remaining <= 50, at a trace's statement the 9948th nested
    /// dealloc, measured (docs/policies.md, "The trashcan"); 3.14+ the C
    /// stack margin in _Py_Dealloc, which depends on the process's stack
    /// size (kNoTrashcan: ~103,000 list levels with 8 MiB, measured).
    int trashcan_limit;
    /// The deferred chain is destroyed when a participating dealloc ends at
    /// this nesting or less: 0 up to 3.12 (_PyTrash_end, nesting <= 0);
    /// 3.13 when c_recursion_remaining > 2 * Py_TRASHCAN_HEADROOM, i.e. 51
    /// levels above the limit (Py_TRASHCAN_END, Include/cpython/object.h:475-493@3.13.0). The
    /// chain runs one level deeper than that end (_PyTrash_thread_destroy_chain).
    int trashcan_drain_at;
    /// Full collections untrack dicts with nothing trackable (untrack_dicts,
    /// gcmodule.c:647@3.11); gone in 3.14 (GH-127010, §3.3).
    bool untrack_dicts;
    /// Dicts are tracked from creation (3.14+, GH-127010) instead of
    /// lazily when a trackable value is stored (3.8-3.13, §3.3).
    bool dicts_tracked_at_creation;
    /// A tuple display is tracked at creation only when some item's type is
    /// a GC type (3.14.1+, gh-139951, tupleobject.c:166@3.14.7, §3.2).
    bool tuple_display_tracks_by_item_type;
    Collector collector;
    /// One line: "verified against interpreter X.Y.Z" or "modelled from
    /// source at ..., not verified" (docs/policies.md).
    const char* provenance;
};

/// The row of `kind` (Refcount shares 3.11's data; it never collects).
const PolicyTraits& traits_of(PolicyKind kind);

struct Policy {
    PolicyKind kind = PolicyKind::CPython311;
    std::array<std::int64_t, 3> thresholds{700, 10, 10};
    /// Whether the trace's own `threshold` events change the thresholds
    /// (configuration option trace-thresholds=follow|ignore, spec cli.md).
    /// Ignored, they are still replayed as calls (their argument tuple is
    /// allocated) but leave the thresholds as configured: what a sweep over
    /// thresholds wants.
    bool follow_trace_thresholds = true;

    const char* name() const;
    const PolicyTraits& traits() const { return traits_of(kind); }
    bool collects() const { return kind != PolicyKind::Refcount; }
};

/// The policy named `name` ("cpython-3.11", "refcount"), or nullopt; its
/// thresholds are the version's defaults.
std::optional<Policy> policy_by_name(std::string_view name);
/// Every accepted policy name, for --help and error messages.
std::vector<std::string> policy_names();
/// The policy that models interpreter version `version` ("3.12.1"), or
/// nullopt when no policy models it. A free-threaded build of 3.13 or 3.14
/// is cpython-3.13t / cpython-3.14t; of any other version, nullopt.
std::optional<Policy> policy_for_python(std::string_view version, bool free_threaded = false);

}  // namespace heapsim

#pragma once
// The modelled pause of one collection. CPython's collection time is close to
// linear in the work it does: update_refs, subtract_refs and move_unreachable
// walk the young list and every reference its objects hold, then the garbage
// is finalized, its weakref callbacks run and it is freed. A PauseModel is
// one set of coefficients for those counts; `heapsim calibrate` fits them on
// the machine at hand (docs/pauses.md), the built-in one keeps the constants
// heapsim has always used (docs/model.md).

#include <cstdint>
#include <string>

namespace heapsim {

/// The work one collection did, as the collector counts it.
struct CollectionCost {
    std::uint64_t scanned = 0;     // tracked objects examined (the young list)
    std::uint64_t references = 0;  // references traversed by subtract_refs
    std::uint64_t freed = 0;       // objects found unreachable (collected + uncollectable)
    std::uint64_t finalizers = 0;  // __del__ methods run
    std::uint64_t callbacks = 0;   // weakref callbacks run
};

/// Name of the model a run uses when none is given.
inline constexpr const char* kBuiltinPauseModel = "builtin-2025";

struct PauseModel {
    std::string name = kBuiltinPauseModel;
    /// Where the coefficients come from: "built in", a file path, or the
    /// interpreter and machine they were measured on.
    std::string source = "constants of docs/model.md, not measured";
    double base_ns = 5000;        // fixed cost of starting a collection
    double per_scanned_ns = 45;   // per tracked object examined
    double per_reference_ns = 0;  // per reference traversed
    double per_freed_ns = 80;     // per object found unreachable
    double per_finalizer_ns = 0;  // per __del__ run
    double per_callback_ns = 0;   // per weakref callback run

    /// The modelled pause, rounded to the nearest nanosecond.
    std::uint64_t pause_ns(const CollectionCost& c) const;
};

}  // namespace heapsim

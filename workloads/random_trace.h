#pragma once
// Seeded random workload traces (`heapsim gen`, and the `verify` test bed).
//
// Every trace is valid by construction (no diagnostic, no failing expect) and
// expressible in Python, so `heapsim verify` can replay it on the real
// interpreter: most events name objects bound to a name or holding their
// creation reference; act_hidden's name objects only others reach (a set, a
// chain of containers, an unreachable cycle), which verify names through
// handles (docs/verify.md). The mix covers short-lived temporaries, caches,
// cycles through lists, dicts and instance attributes, rings, finalizer
// chains long enough for the trashcan, tuples the collector untracks,
// weakrefs with callbacks, and the collector's controls.
//
// The generator carries its own PRNG (xoshiro256**), so a seed gives
// byte-identical output with every compiler and standard library.

#include <cstdint>
#include <iosfwd>

namespace heapsim {

struct RandomTraceOptions {
    std::uint64_t events = 10000;  // approximate; open constructs are finished
    std::uint64_t seed = 1;
    bool legacy_finalizers = false;  // also use a `legacy_finalizer` type (tp_del)
    /// Events naming objects no name reaches (act_hidden): only a set holds
    /// them, or they sit in a cycle already unreachable, waiting for the
    /// collector. false keeps to objects a walk from a name reaches (lists,
    /// dicts, attributes), which both of verify's namings can run
    /// (tests/verify/naming_check.sh).
    bool unreachable_shapes = true;
};

/// Writes a valid, Python-expressible text trace to `out`, streaming: memory
/// bounded by the live objects tracked, not by `events`.
void write_random_trace(const RandomTraceOptions& options, std::ostream& out);

}  // namespace heapsim

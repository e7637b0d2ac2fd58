#pragma once
// Seeded random workload traces (`heapsim gen`, and the `verify` test bed).
//
// Every trace is valid by construction (no diagnostic, no failing expect) and
// expressible in Python: each event names only objects that are bound to a
// name or still hold their creation reference, so `heapsim verify` can replay
// it on the real interpreter. The mix covers short-lived temporaries, caches,
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
};

/// Writes a valid, Python-expressible text trace to `out`, streaming: memory
/// bounded by the live objects tracked, not by `events`.
void write_random_trace(const RandomTraceOptions& options, std::ostream& out);

}  // namespace heapsim

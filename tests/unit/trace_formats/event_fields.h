#pragma once
// Compares the fields of two Events that are not symbols (symbols are
// compared by the caller: as numbers within one table, as strings across two).

#include <doctest/doctest.h>

#include "events/event.h"

namespace heapsim::test {

inline void check_same_values(const Event& a, const Event& b) {
    CHECK(a.kind == b.kind);
    CHECK(a.number == b.number);
    CHECK(a.time_ns == b.time_ns);
    CHECK(a.size == b.size);
    CHECK(a.decl.gc == b.decl.gc);
    CHECK(a.decl.weakrefable == b.decl.weakrefable);
    CHECK(a.decl.finalizer == b.decl.finalizer);
    CHECK(a.decl.legacy_finalizer == b.decl.legacy_finalizer);
    CHECK(a.decl.instance == b.decl.instance);
    CHECK(a.decl.size == b.decl.size);
    CHECK(a.decl.slots == b.decl.slots);
    CHECK(a.action == b.action);
    CHECK(a.expect == b.expect);
    CHECK(a.generation == b.generation);
    CHECK(a.nvalues == b.nvalues);
    for (int v = 0; v < 3; ++v) CHECK(a.values[v] == b.values[v]);
}

}  // namespace heapsim::test

// `gc longlived TOTAL PENDING` (a recording's long-lived counts when its
// window opened): gc_collect_generations skips generation 2 while
// long_lived_pending < long_lived_total / 4 (Modules/gcmodule.c:1466@v3.12.1,
// the same test in Python/gc.c of 3.13 and 3.14.5+; cpython-gc.md).
#include <doctest/doctest.h>

#include <string>

#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;
using heapsim::test::run_ok;

namespace {

/// Lists bound to names: every allocation survives, so generation 2's count
/// passes its threshold of 1 after two generation-1 collections.
std::string survivors(int n) {
    std::string t = "threshold 1 1 1\n";
    for (int i = 0; i < n; ++i) {
        const std::string id = "x" + std::to_string(i);
        t += "alloc " + id + " list\nbind " + id + " " + id + "\n";
    }
    return t;
}

int full_collections(const RunResult& r) {
    int n = 0;
    for (const auto& c : r.collections) n += c.generation == 2;
    return n;
}

}  // namespace

TEST_CASE("gc longlived: a large long-lived heap defers full collections") {
    for (const char* policy : {"cpython-3.11", "cpython-3.12", "cpython-3.13", "cpython-3.14"}) {
        CAPTURE(policy);
        const RunResult plain = run_ok(survivors(40), policy);
        // From 0 and 0 (no full collection yet) nothing is deferred.
        REQUIRE(full_collections(plain) > 0);
        // 1,000,000 long-lived objects: 40 survivors never reach a quarter.
        const RunResult deferred = run_ok("gc longlived 1000000 0\n" + survivors(40), policy);
        CHECK(full_collections(deferred) == 0);
        CHECK(deferred.collections.size() == plain.collections.size());
        // pending 1 >= 4 / 4: due at once, as without the counts.
        const RunResult due = run_ok("gc longlived 4 1\n" + survivors(40), policy);
        REQUIRE(due.collections.size() == plain.collections.size());
        CHECK(due.collections[0].generation == plain.collections[0].generation);
        int first_full_plain = -1, first_full_due = -1;
        for (std::size_t k = 0; k < plain.collections.size(); ++k) {
            if (first_full_plain < 0 && plain.collections[k].generation == 2)
                first_full_plain = static_cast<int>(k);
            if (first_full_due < 0 && due.collections[k].generation == 2)
                first_full_due = static_cast<int>(k);
        }
        CHECK(first_full_due == first_full_plain);
    }
}

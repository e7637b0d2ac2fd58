// One test per rule that differs between the CPython policies
// (docs/policies.md, cpython-gc.md §6, §15). Every trace here was also run
// with `heapsim verify` on CPython 3.11.7, 3.12.1, 3.13.0 (pyenv) and on
// Debian sid's 3.13.18, 3.14.10 and 3.15.2 (tools/pythons.sh): the model
// agreed with each interpreter, collection by collection and on the final
// gc.get_count(), so the numbers asserted are the interpreters' own.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/policy.h"
#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;
using heapsim::test::finalizer_ids;
using heapsim::test::run_ok;

namespace {

std::string read_scenario(const char* name) {
    std::ifstream in(std::string(HEAPSIM_SOURCE_DIR) + "/traces/scenarios/" + name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("policy table: names, defaults, and the policy of an interpreter version") {
    CHECK(policy_names() == std::vector<std::string>{"cpython-3.11", "cpython-3.12", "cpython-3.13",
                                                     "cpython-3.14", "cpython-3.14.0", "cpython-3.15",
                                                     "cpython-3.13t", "cpython-3.14t", "refcount"});
    for (const std::string& name : policy_names()) {
        auto p = policy_by_name(name);
        REQUIRE(p);
        CHECK(std::string(p->name()) == name);
    }
    // pycore_runtime_init.h: 700 up to 3.12, 2000 from 3.13 (§15.6).
    CHECK(policy_by_name("cpython-3.11")->thresholds == std::array<std::int64_t, 3>{700, 10, 10});
    CHECK(policy_by_name("cpython-3.12")->thresholds == std::array<std::int64_t, 3>{700, 10, 10});
    for (const char* name : {"cpython-3.13", "cpython-3.14", "cpython-3.15"})
        CHECK(policy_by_name(name)->thresholds == std::array<std::int64_t, 3>{2000, 10, 10});
    // gc.get_threshold() of 3.14.0-3.14.4 is (2000, 10, 0) (§10.6 T51).
    CHECK(policy_by_name("cpython-3.14.0")->thresholds == std::array<std::int64_t, 3>{2000, 10, 0});

    CHECK(std::string(policy_for_python("3.11.7")->name()) == "cpython-3.11");
    CHECK(std::string(policy_for_python("3.12.1")->name()) == "cpython-3.12");
    CHECK(std::string(policy_for_python("3.13.0")->name()) == "cpython-3.13");
    CHECK(std::string(policy_for_python("3.13.18")->name()) == "cpython-3.13");
    CHECK(std::string(policy_for_python("3.14.10")->name()) == "cpython-3.14");
    CHECK(std::string(policy_for_python("3.14.5")->name()) == "cpython-3.14");
    CHECK(std::string(policy_for_python("3.15.2")->name()) == "cpython-3.15");
    CHECK(std::string(policy_for_python("3.15.0a7")->name()) == "cpython-3.15");
    CHECK(std::string(policy_for_python("3.14.4")->name()) == "cpython-3.14.0");  // §6.4
    CHECK(policy_for_python("3.16.0") == std::nullopt);
    CHECK(std::string(policy_for_python("3.13.0", true)->name()) == "cpython-3.13t");
    CHECK(std::string(policy_for_python("3.14.7", true)->name()) == "cpython-3.14t");
    CHECK(policy_for_python("3.12.1", true) == std::nullopt);
    CHECK(policy_for_python("2.7.18") == std::nullopt);
    CHECK(policy_for_python("garbage") == std::nullopt);
}

// §15.1, §15.2: 3.11 collects inside the allocation, before the new object
// is tracked; 3.12+ at the safe point after C() returns, so the new object
// is scanned and promoted.
TEST_CASE("3.12+: the automatic collection runs after the triggering allocation") {
    const char* trace = R"(
type A instance
threshold 5
alloc a1 A
bind n1 a1
alloc a2 A
bind n2 a2
alloc a3 A
bind n3 a3
alloc a4 A
bind n4 a4
alloc a5 A
bind n5 a5
alloc a6 A
bind n6 a6
alloc a7 A
bind n7 a7
expect count 2 1 0
)";
    const RunResult r311 = run_ok(trace, "cpython-3.11");
    REQUIRE(r311.collections.size() == 1);
    CHECK(r311.collections[0].event == 11);
    CHECK(r311.collections[0].scanned == 4);  // a1..a4; a5 is not tracked yet
    for (const char* p : {"cpython-3.12", "cpython-3.13", "cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        REQUIRE(r.collections.size() == 1);
        CHECK(r.collections[0].event == 11);
        CHECK(r.collections[0].scanned == 5);  // a5 takes part and survives
        CHECK(r.collections[0].promoted == 5);
    }
}

// §15.5: the collection the argument tuple of gc.set_threshold schedules
// runs under the new thresholds (here: none at all).
TEST_CASE("3.12+: a threshold event's own collection uses the new thresholds") {
    const char* trace = R"(
type A instance
threshold 4
alloc a1 A
bind n1 a1
alloc a2 A
bind n2 a2
alloc a3 A
bind n3 a3
threshold 50 10
alloc a4 A
bind n4 a4
)";
    const RunResult r311 = run_ok(trace, "cpython-3.11");
    REQUIRE(r311.collections.size() == 1);
    CHECK(r311.collections[0].event == 9);
    CHECK(r311.summary.final_count == std::array<std::uint64_t, 3>{1, 1, 0});
    for (const char* p : {"cpython-3.12", "cpython-3.13", "cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        CHECK(r.collections.empty());
        CHECK(r.summary.final_count == std::array<std::uint64_t, 3>{6, 0, 0});
    }
}

// §15.7: from 3.13 PyObject_ClearWeakRefs builds its tuple (a counted
// allocation) even for a single weakref with a callback.
TEST_CASE("3.13+: one weakref with a callback costs a tuple when its target dies") {
    const char* trace = R"(
type A instance
alloc a A
bind a a
weakref w a callback=cb
bind w w
collect 2
alloc x list
bind x x
unbind a
expect freed a
)";
    for (const char* p : {"cpython-3.11", "cpython-3.12"}) {
        CAPTURE(p);
        CHECK(run_ok(trace, p).summary.final_count == std::array<std::uint64_t, 3>{0, 0, 0});
    }
    for (const char* p : {"cpython-3.13", "cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        CHECK(r.summary.final_count == std::array<std::uint64_t, 3>{1, 0, 0});
        CHECK(r.weakref_callbacks.size() == 1);
    }
}

// §2.5, §15.8: the trashcan cuts a 120-deep cascade at nesting 50 up to
// 3.12; from 3.13 the headroom is the C recursion limit, so the chain dies
// in plain order.
TEST_CASE("3.13+: no trashcan reordering at the depth of a trace's chain") {
    const std::string trace = read_scenario("t29_trashcan.trace");
    for (const char* p : {"cpython-3.11", "cpython-3.12"}) {
        CAPTURE(p);
        const auto order = finalizer_ids(run_ok(trace, p));
        REQUIRE(order.size() == 120);
        CHECK(order.front() == "o71");
    }
    for (const char* p : {"cpython-3.13", "cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        const auto order = finalizer_ids(run_ok(trace, p));
        REQUIRE(order.size() == 120);
        CHECK(order.front() == "o0");
        CHECK(order.back() == "o119");
    }
}

// §2.5: 3.13's trashcan defers the 9948th nested dealloc of a statement
// (C recursion headroom) and destroys the deferred chain 51 levels up;
// 3.14/3.15's C stack margin is ~103,000 list levels away (8 MiB stack).
// The order below is what 3.13.0 and 3.13.18 print for this trace.
TEST_CASE("3.13: the trashcan cuts a chain 10000 deep but 3.14 and 3.15 do not") {
    const std::string trace = read_scenario("t29b_trashcan_long_chain.trace");
    // Runs of consecutive finalized indices, as (first, last).
    auto runs = [](const std::vector<std::string>& ids) {
        std::vector<std::pair<int, int>> out;
        for (const std::string& id : ids) {
            const int i = std::stoi(id.substr(1));
            if (!out.empty() && out.back().second + 1 == i)
                out.back().second = i;
            else
                out.emplace_back(i, i);
        }
        return out;
    };
    const std::vector<std::pair<int, int>> cpython_313{{53, 102}, {52, 52}, {3, 51},
                                                       {2, 2},    {0, 1},   {103, 9999}};
    CHECK(runs(finalizer_ids(run_ok(trace, "cpython-3.13"))) == cpython_313);
    for (const char* p : {"cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        CHECK(runs(finalizer_ids(run_ok(trace, p))) == std::vector<std::pair<int, int>>{{0, 9999}});
    }
    // 3.11/3.12: cut every 50 levels from the top (9951..9999 first).
    const auto order = runs(finalizer_ids(run_ok(trace, "cpython-3.11")));
    REQUIRE(order.size() > 100);
    CHECK(order.front() == std::pair<int, int>{9951, 9999});
}

// §3.2, §3.3, §6.5: 3.14 tracks every dict from creation and never untracks
// one; a tuple display whose items are all of non-GC types is not tracked.
TEST_CASE("3.14+: dicts always tracked, tuples of atoms untracked at creation") {
    const char* trace = R"(
gc disable
alloc d dict
bind d d
alloc s str
alloc t tuple s
bind t t
collect 0
alloc l list
bind l l
set d k l
unset d k
collect 2
collect 2
)";
    for (const char* p : {"cpython-3.11", "cpython-3.12", "cpython-3.13"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        REQUIRE(r.collections.size() == 3);
        CHECK(r.collections[0].scanned == 1);  // the tuple (untracked by this collection)
        CHECK(r.collections[1].scanned == 2);  // the list, the dict (then untracked)
        CHECK(r.collections[2].scanned == 1);  // the list
    }
    for (const char* p : {"cpython-3.14", "cpython-3.15"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        REQUIRE(r.collections.size() == 3);
        CHECK(r.collections[0].scanned == 1);  // the dict
        CHECK(r.collections[1].scanned == 2);  // the dict, the list
        CHECK(r.collections[2].scanned == 2);  // the dict stays tracked
    }
}

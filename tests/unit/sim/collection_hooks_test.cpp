// Collection hooks (`gc finalizer ID NAME`, `gc callback ID NAME`): what a
// recorded __del__ or weakref callback did, run by the next collection at
// the step where CPython runs it (cpython-gc.md §5.5-5.7, T40, T42, T34).
#include <doctest/doctest.h>

#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;

TEST_CASE("gc finalizer: __del__ resurrects its object once (T40, T42)") {
    for (const char* policy : {"cpython-3.11", "cpython-3.12", "cpython-3.13"}) {
        CAPTURE(policy);
        const RunResult r = test::run_ok(
            "gc disable\n"
            "type R gc finalizer weakrefable\n"
            "type A gc\n"
            "alloc r R\nappend r r\n"          // a self-cycle with __del__
            "alloc c A\nappend c c\nappend r c\n"  // r reaches c: kept with it
            "alloc a A\nappend a a\n"          // plain garbage
            "gc finalizer r saved\n"           // __del__: saved = self
            "collect\n"
            "expect collected 1\n"             // only a; r and c are resurrected
            "expect alive r\nexpect alive c\nexpect freed a\n"
            "unbind saved\n"
            "collect\n"
            "expect collected 2\n"             // __del__ is not called again
            "expect freed r\nexpect freed c\n",
            policy);
        CHECK(test::finalizer_ids(r) == std::vector<std::string>{"r"});
    }
}

TEST_CASE("gc finalizer: a hook the collection does not use is dropped") {
    test::run_ok(
        "gc disable\n"
        "type R gc finalizer\n"
        "alloc r R\nbind x r\nappend r r\n"
        "gc finalizer r saved\n"
        "collect\n"  // r is not garbage: its finalizer does not run, the hook goes
        "expect collected 0\n"
        "unbind x\n"
        "collect\n"
        "expect collected 1\nexpect freed r\n");
}

TEST_CASE("gc callback: a weakref freed right after its callback counts as collected (T34)") {
    for (const char* policy : {"cpython-3.11", "cpython-3.12", "cpython-3.13"}) {
        CAPTURE(policy);
        test::run_ok(
            "gc disable\n"
            "type K gc\n"
            "type A gc\n"
            "alloc k K\nbind held k\n"  // a weakref whose callback drops its last reference
            "alloc a A\nappend a a\n"
            "gc callback k held\n"
            "collect\n"
            "expect collected 2\n"
            "expect freed k\n"
            "alloc b A\nappend b b\n"
            "collect\n"
            "expect collected 1\n",
            policy);
    }
}

TEST_CASE("gc callback: a weakref that survives its callback is not counted") {
    test::run_ok(
        "gc disable\n"
        "type K gc\n"
        "type A gc\n"
        "alloc k K\nbind held k\nbind other k\n"
        "alloc a A\nappend a a\n"
        "gc callback k held\n"
        "collect\n"
        "expect collected 1\n"
        "expect alive k\n");
}

TEST_CASE("collection hooks: the id must be live") {
    const test::Outcome out = test::run_trace("gc finalizer nobody saved\n");
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].find("nobody") != std::string::npos);
}

TEST_CASE("expect collection: the latest collection, automatic or not, since the last check") {
    const test::Outcome out = test::run_trace(
        "threshold 3 10 10\n"
        "type A gc\n"
        "alloc a A\nappend a a\n"
        "alloc b A\nbind b b\nalloc c A\nbind c c\nalloc d A\nbind d d\n"  // the 4th allocation collects
        "expect collection 0 1 0\n"                                      // holds
        "expect collection 0 1 0\n"                                      // no collection since
        "collect\n"
        "expect collection 2 0 1\n");                                    // wrong result
    REQUIRE(out.errors.empty());
    REQUIRE(out.result.expect_failures.size() == 2);
    CHECK(out.result.expect_failures[0].message ==
          "expect collection 0 1 0: the replay ran no collection here");
    CHECK(out.result.expect_failures[1].message ==
          "expect collection 2 0 1: the replay's collection was generation 2, collected 0, "
          "uncollectable 0");
}

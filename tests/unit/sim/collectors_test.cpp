// The collectors no interpreter here can check: 3.14.0's incremental one
// (cpython-3.14.0, cpython-gc.md §6.4) and the free-threaded ones
// (cpython-3.13t, cpython-3.14t, §6.6). Each rule gets a small trace whose
// outcome is worked out from the source in the comment above it; the
// numbers asserted are that derivation's, not the program's output.
//
// Counting conventions used below: a list display (`alloc x list ...`) is
// one GC allocation unless a list free list entry is reused; an int is not
// a GC object; a list freed by refcount goes to the list free list (no
// PyObject_GC_Del, so counts and heap_size are unchanged).
#include <doctest/doctest.h>

#include <string>

#include "sim/policy.h"
#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;
using heapsim::test::callback_labels;
using heapsim::test::finalizer_ids;
using heapsim::test::run_ok;

namespace {

/// `n` lists bound to names x<first>..: 2 events each.
std::string bound_lists(int first, int n, const char* extra = "") {
    std::string t;
    for (int i = first; i < first + n; ++i) {
        const std::string id = "x" + std::to_string(i);
        t += "alloc " + id + " list" + extra + "\nbind " + id + " " + id + "\n";
    }
    return t;
}

}  // namespace

// ---------------------------------------------------------------- 3.14.0

// §6.4 API, §10.2 T14: gc.collect(0) is gc_collect_young (survivors to the
// visited space, old[visited].count += 1); get_count() is (young,
// old[visited], old[pending]), so (0, 1, 0). gc.collect(1) is then the first
// increment of a scavenge: assess_work_to_do resets young.count, the
// marking step finds x already visited (marked 0), nothing is collected and
// the old counts are untouched: still (0, 1, 0) where 3.14 says (0, 0, 1).
// gc.collect(2) resets all three.
TEST_CASE("3.14.0: collect(0) is a young collection, collect(1) an increment, collect(2) full") {
    const char* trace = R"(
gc disable
alloc x list
bind x x
expect count 1 0 0
collect 0
expect count 0 1 0
collect 1
expect collected 0
expect count 0 1 0
collect 2
expect count 0 0 0
)";
    const RunResult r = run_ok(trace, "cpython-3.14.0");
    REQUIRE(r.collections.size() == 3);
    CHECK(r.collections[0].generation == 0);
    CHECK(r.collections[0].scanned == 1);
    CHECK(r.collections[0].promoted == 1);  // into the visited space
    CHECK(r.collections[1].generation == 1);
    CHECK(r.collections[1].mark_only);
    CHECK(r.collections[1].marked == 0);
    CHECK(r.collections[2].generation == 2);
    CHECK(r.collections[2].scanned == 1);
    CHECK(r.thresholds == std::array<std::int64_t, 3>{2000, 10, 0});  // §10.6 T51

    const test::Outcome g = test::run_trace(trace, "cpython-3.14");
    REQUIRE(g.result.expect_failures.size() == 1);  // the second (0, 1, 0)
    CHECK(g.result.expect_failures[0].message == "expect count 0 1 0: gc.get_count() is (0, 0, 1)");
}

// §6.4 gc_collect_increment, mark_at_start, completed_scavenge. Young =
// [a (self-cycle garbage), k]; young.count 2, heap_size 2.
//  1st collect(1): work_to_do = 2 + min(2/10/10, 2*3/2) = 2. Phase MARK:
//     mark_global_roots reaches the bound name k (young, so not visited):
//     marked 1, moved to the visited space; work_to_do = 2 - 1 - 1 = 0
//     (subtracted twice). Returns 0; a is still alive.
//  2nd: work_to_do += 0. The increment is all of young = [a], size 1; the
//     pending space is empty. a is garbage: collected 1. work_to_do +=
//     heap_size/100 = 0, -= 1. Pending empty: completed_scavenge flips the
//     spaces (k is now in the pending space) and the phase is MARK again.
//  3rd: a marking step again, which finds k in the pending space: marked 1.
// cpython-3.14 collects a at the first collect(1) (generations 0 and 1).
TEST_CASE("3.14.0: the first increment of a scavenge only marks from the roots") {
    const char* trace = R"(
gc disable
alloc a list
bind a a
append a a
unbind a
alloc k list
bind k k
collect 1
expect collected 0
expect alive a
collect 1
expect collected 1
expect freed a
collect 1
expect collected 0
)";
    const RunResult r = run_ok(trace, "cpython-3.14.0");
    REQUIRE(r.collections.size() == 3);
    CHECK(r.collections[0].mark_only);
    CHECK(r.collections[0].marked == 1);
    CHECK(r.collections[0].scanned == 0);
    CHECK_FALSE(r.collections[1].mark_only);
    CHECK(r.collections[1].scanned == 1);
    CHECK(r.collections[1].collected == 1);
    CHECK(r.collections[2].mark_only);
    CHECK(r.collections[2].marked == 1);

    const RunResult g = test::run_trace(trace, "cpython-3.14").result;
    REQUIRE(g.collections.size() == 3);
    CHECK(g.collections[0].collected == 1);
}

// §6.4 increment sizing and expand_region_transitively_reachable. p, q, r
// form the cycle p->r->q->p; k is live. Allocations p, q, r, k: young.count
// 4, heap_size 4. collect(2) (gc_collect_full) keeps all four and ends the
// scavenge: the spaces flip, so all four are in the pending space, pending
// order p, q, r, k. Unbinding p, q, r leaves the cycle garbage there.
//  collect(1) #1: work_to_do = 0 + min(4/100, 0) = 0; marks k (pending):
//     marked 1, work_to_do = -2.
//  collect(1) #2: work_to_do += 0 -> -2. Increment = young = [], size 0;
//     0 < -2 is false: no pending object is taken. Collected 0; the
//     garbage waits. work_to_do += 4/100 = 0, -= 0.
//  Three tuples (i,) bound: GC allocations (young.count 3, heap_size 7)
//  that untrack_tuples removes from young (their one item is an int).
//  collect(1) #3: work_to_do = -2 + 3 + min(7/100, 4) = 1. Increment =
//     [] (tuples untracked); 0 < 1: take p (size 1), then
//     expand_region_transitively_reachable: p -> r (pending, size 2),
//     r -> q (size 3). 3 < 1 is false: stop. All three are garbage:
//     scanned 3, collected 3, a budget of 1 freed the whole cycle.
TEST_CASE("3.14.0: pending garbage waits for the budget, then goes with its whole cycle") {
    const char* trace = R"(
gc disable
alloc p list
bind p p
alloc q list p
bind q q
alloc r list q
bind r r
append p r
alloc k list
bind k k
collect 2
unbind p
unbind q
unbind r
collect 1
collect 1
expect collected 0
expect alive p
alloc i int
bind i i
alloc t1 tuple i
bind t1 t1
alloc t2 tuple i
bind t2 t2
alloc t3 tuple i
bind t3 t3
collect 1
expect collected 3
expect freed p
expect freed q
expect freed r
)";
    const RunResult r = run_ok(trace, "cpython-3.14.0");
    REQUIRE(r.collections.size() == 4);
    CHECK(r.collections[1].marked == 1);
    CHECK(r.collections[2].scanned == 0);
    CHECK(r.collections[3].scanned == 3);
    CHECK(r.collections[3].collected == 3);
}

// §6.4 trigger: _PyObject_GC_Link schedules when young.count > threshold0;
// _Py_RunGC runs _PyGC_Collect(1): an increment, never a generation-0 run.
// set_threshold keeps only the first two values: (5, 10, 0) after
// `threshold 5 10 7`. Counts: the threshold call's argument tuple is 1
// (freed into the tuple free list, no decrement); x1..x5 make it 6 > 5 at
// x5's display (event 10), where the safe point runs the increment: the
// first of a scavenge marks x1..x4 (bound; x5 is still a temporary) ->
// marked 4, work_to_do = 6 + min(6/100, 9) - 8 = -2. young.count is reset,
// so x6..x11 reach 6 again at x11 (event 22): work_to_do = -2 + 6 +
// min(12/100, 9) = 4; the increment is young = x5..x11 (7 objects), all
// reachable: scanned 7, collected 0. cpython-3.14 runs generation 0 at the
// same two events.
TEST_CASE("3.14.0: automatic collections are increments; set_threshold keeps two values") {
    const std::string trace = "threshold 5 10 7\n" + bound_lists(1, 11);
    const RunResult r = run_ok(trace, "cpython-3.14.0");
    CHECK(r.thresholds_at_end == std::array<std::int64_t, 3>{5, 10, 0});
    REQUIRE(r.collections.size() == 2);
    CHECK(r.collections[0].event == 10);
    CHECK(r.collections[0].generation == 1);
    CHECK(r.collections[0].mark_only);
    CHECK(r.collections[0].marked == 4);
    CHECK(r.collections[1].event == 22);
    CHECK(r.collections[1].generation == 1);
    CHECK_FALSE(r.collections[1].mark_only);
    CHECK(r.collections[1].scanned == 7);

    const RunResult g = run_ok(trace, "cpython-3.14");
    REQUIRE(g.collections.size() == 2);
    CHECK(g.collections[0].generation == 0);
    CHECK(g.collections[1].event == 22);
}

// §3.3 / §6.4: dicts are tracked from creation (GH-127010) and a tuple
// display is tracked at creation in 3.14.0 (the by-item-type rule of
// gh-139951 came with 3.14.1). Young at the start of collect(0): 3.14.0
// [d, t] = 2; cpython-3.14 [d] = 1 (t untracked at creation); cpython-3.13
// [t] = 1 (an empty dict display is untracked).
TEST_CASE("3.14.0: dicts always tracked, tuple displays tracked at creation") {
    const char* trace = R"(
gc disable
alloc i int
bind i i
alloc d dict
bind d d
alloc t tuple i
bind t t
collect 0
)";
    CHECK(run_ok(trace, "cpython-3.14.0").collections.at(0).gen_sizes[0] == 2);
    CHECK(run_ok(trace, "cpython-3.14").collections.at(0).gen_sizes[0] == 1);
    CHECK(run_ok(trace, "cpython-3.13").collections.at(0).gen_sizes[0] == 1);
}

// gh-142516, the reason for 3.14.5's revert. A live set of 20,000 lists
// (gc.collect() after building it), then 150,000 rounds in which a fresh
// two-list cycle replaces one of 500 slots: the cycle it replaces becomes
// garbage after having survived long enough to leave the young
// generation. Under cpython-3.14 a generation-1 collection (every 10th
// automatic run) frees such garbage; under cpython-3.14.0 it sits in the
// old spaces until a scavenge reaches it, and every scavenge starts by
// marking the 20,000 live lists, which puts work_to_do 40,000 in debt
// (marked objects are subtracted twice) before any pending object is
// examined. Measured with peak live bytes (both runs hold the same
// reachable data): 3.14.0 peaks at 5,802,328 bytes, 3.14 at 2,414,832:
// 2.40 times (asserted: more than twice).
TEST_CASE("3.14.0 holds much more cyclic garbage at its peak than 3.14 (gh-142516)") {
    std::string trace = bound_lists(0, 20000) + "collect\n";
    for (int i = 0; i < 150000; ++i) {
        const std::string a = "a" + std::to_string(i), b = "b" + std::to_string(i);
        trace += "alloc " + a + " list\nalloc " + b + " list " + a + "\nappend " + a + " " + b +
                 "\nbind s" + std::to_string(i % 500) + " " + a + "\n";
    }
    const RunResult inc = run_ok(trace, "cpython-3.14.0");
    const RunResult gen = run_ok(trace, "cpython-3.14");
    // Same reachable data at the end; 3.14.0 has freed less of the garbage.
    CHECK(inc.summary.collected_by_gc < gen.summary.collected_by_gc);
    const double ratio = static_cast<double>(inc.summary.peak_live_bytes) /
                         static_cast<double>(gen.summary.peak_live_bytes);
    MESSAGE("peak live bytes: cpython-3.14.0 " << inc.summary.peak_live_bytes << ", cpython-3.14 "
                                               << gen.summary.peak_live_bytes << ", ratio "
                                               << ratio);
    CHECK(ratio > 2.0);
}

// ---------------------------------------------------------- free-threaded

// §6.6 record_allocation: the thread's count reaches the shared young
// count only in steps of 512, so with threshold 2000 the first automatic
// collection is scheduled at the 4th flush, the 2048th allocation (x2048's
// display, event 4095), not at the 2001st as in 3.13 (event 4001). The
// collection examines the whole heap (2048 tracked lists; x2048 is
// tracked before the safe point), promotes nothing, and leaves
// long_lived_total 2048. The next 52 allocations stay in the thread's
// buffer; get_count() flushes it: (52, 1, 0).
TEST_CASE("free-threaded: counts flushed per 512 allocations; the whole heap every time") {
    const std::string trace = bound_lists(1, 2100);
    for (const char* p : {"cpython-3.13t", "cpython-3.14t"}) {
        CAPTURE(p);
        const std::string with_size = bound_lists(1, 2100, " size=100");  // 200 KiB by x2048
        const RunResult r = run_ok(std::string(p) == "cpython-3.14t" ? with_size : trace, p);
        REQUIRE(r.collections.size() == 1);
        CHECK(r.collections[0].event == 4095);
        CHECK(r.collections[0].generation == 0);
        CHECK(r.collections[0].scanned == 2048);
        CHECK(r.collections[0].promoted == 0);
        CHECK(r.summary.final_count == std::array<std::uint64_t, 3>{52, 1, 0});
    }
    const RunResult g = run_ok(trace, "cpython-3.13");
    REQUIRE_FALSE(g.collections.empty());
    CHECK(g.collections[0].event == 4001);
}

// §6.6 gc_should_collect, the long_lived_total/4 rule. Built with the
// collector disabled, 8192 lists survive a gc.collect(): long_lived_total
// 8192, quarter 2048. The thread's buffer was flushed exactly at 8192.
// Then the flushes at 512..2048 give count 2048, not > 2048: no
// collection; at 2560 yes (event 16387 + 2*2560 - 1 = 21506: `gc disable`,
// two events per list, `collect`, `gc enable`). With
// threshold[1] == 0 the rule is skipped: collection at the 2048th
// of them; the threshold call's argument tuple is one more allocation, so
// that is the 2047th list (event 16388 + 2*2047 - 1 = 20481).
TEST_CASE("free-threaded 3.13t: a quarter of the long-lived objects must be new") {
    const std::string head = "gc disable\n" + bound_lists(1, 8192) + "collect\ngc enable\n";
    const RunResult r = run_ok(head + bound_lists(10000, 2600), "cpython-3.13t");
    REQUIRE(r.collections.size() == 2);
    CHECK(r.collections[1].event == 21506);
    CHECK(r.collections[1].scanned == 8192 + 2560);

    const RunResult z =
        run_ok(head + "threshold 2000 0\n" + bound_lists(10000, 2600), "cpython-3.13t");
    REQUIRE(z.collections.size() == 2);
    CHECK(z.collections[1].event == 8192 * 2 + 3 + 1 + 2047 * 2 - 1);
}

// §6.6 3.14t gc_should_collect_mem_usage, with the process memory modelled
// as the trace's live bytes. Lists of 50 bytes: at the 2048th allocation
// count 2048 > 2000, long_lived_total 0, but 2048*50 B = 100 KiB has not
// grown by 128 KiB since the last reading (0): the count is deferred
// (deferred_count 2048, young.count 0). At the 4096th: count 2048 again,
// 200 KiB > 128 KiB: collect (event 8191). 3.13t collects at 2048 (4095).
// Lists of 1 byte never grow memory enough: each 2048 allocations defer
// 2048 more until deferred_count > 40*2000 = 80000, i.e. after the 40th
// deferral (81920): the 41st check, at allocation 41*2048 = 83968
// (event 167935), collects.
TEST_CASE("free-threaded 3.14t: the memory-growth test defers collections") {
    const std::string lists50 = bound_lists(1, 4200, " size=50");
    const RunResult t = run_ok(lists50, "cpython-3.14t");
    REQUIRE_FALSE(t.collections.empty());
    CHECK(t.collections[0].event == 8191);
    CHECK(run_ok(lists50, "cpython-3.13t").collections.at(0).event == 4095);

    const RunResult tiny = run_ok(bound_lists(1, 84000, " size=1"), "cpython-3.14t");
    REQUIRE(tiny.collections.size() == 1);
    CHECK(tiny.collections[0].event == 167935);
}

// §6.6: _PyGC_ClearAllFreeLists runs in every collection, also
// gc.collect(0). a is freed by refcount into the list free list (no count
// change); collect(0) frees that entry for real: record_deallocation,
// thread count 1 -> 0, and generation bookkeeping (0, 1, 0). b then cannot
// reuse it: count 1 -> get_count() flushes it: (1, 1, 0). 3.13 keeps the
// free list through a generation-0 collection: b reuses a's entry, (0, 1, 0).
TEST_CASE("free-threaded: every collection clears the free lists") {
    const char* trace = R"(
gc disable
alloc a list
bind a a
unbind a
collect 0
alloc b list
bind b b
)";
    CHECK(run_ok(trace, "cpython-3.13t").summary.final_count ==
          std::array<std::uint64_t, 3>{1, 1, 0});
    CHECK(run_ok(trace, "cpython-3.13").summary.final_count ==
          std::array<std::uint64_t, 3>{0, 1, 0});
}

// §6.6 no generations (§10.6 T54): collect(0) examines the whole heap. The
// second collect(0) scans a and b; 3.13 only b (a was promoted).
TEST_CASE("free-threaded: gc.collect(0) scans the whole heap and promotes nothing") {
    const char* trace = R"(
gc disable
alloc a list
bind a a
collect 0
alloc b list
bind b b
collect 0
)";
    for (const char* p : {"cpython-3.13t", "cpython-3.14t"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        REQUIRE(r.collections.size() == 2);
        CHECK(r.collections[1].scanned == 2);
        CHECK(r.collections[1].promoted == 0);
    }
    CHECK(run_ok(trace, "cpython-3.13").collections.at(1).scanned == 1);
}

// §6.6 phases in order: weakrefs to the garbage are cleared and their
// callbacks queued before the world restarts; callbacks run, then
// finalizers, then tp_clear. A self-cycle with __del__ and an external
// weakref with a callback: 'cb' before the finalizer of x (§10.4 T35).
TEST_CASE("free-threaded: weakref callbacks before finalizers") {
    const char* trace = R"(
type F instance finalizer
gc disable
alloc x F
bind x x
set x self x
weakref w x callback=cb
bind w w
unbind x
collect 0
expect freed x
)";
    for (const char* p : {"cpython-3.13t", "cpython-3.14t"}) {
        CAPTURE(p);
        const RunResult r = run_ok(trace, p);
        CHECK(callback_labels(r) == std::vector<std::string>{"cb"});
        CHECK(finalizer_ids(r) == std::vector<std::string>{"x"});
        REQUIRE(r.collections.size() == 1);
        CHECK(r.weakref_callbacks[0].event == r.finalizers[0].event);
    }
}

// §6.6: the free-threaded object header is 32 bytes (ob_tid, flags, mutex,
// gc bits, ob_ref_local, ob_ref_shared, ob_type) instead of 16, and GC
// objects have no 16-byte PyGC_Head: an int is 28 + 16 = 44 bytes, a list
// the same as with the GIL.
TEST_CASE("free-threaded: the larger object header") {
    const char* trace = "alloc i int\nbind i i\nalloc l list\nbind l l\n";
    const RunResult gil = run_ok(trace, "cpython-3.13");
    const RunResult ft = run_ok(trace, "cpython-3.13t");
    CHECK(ft.summary.peak_live_bytes == gil.summary.peak_live_bytes + 16);
}

// The cpython-3.11 collector against the scenarios measured on CPython 3.11.7
// (shared/reference/cpython-gc.md §10 and §14). Each trace begins as the
// measured programs did: right after gc.collect(), with the collector
// disabled unless automatic collections are the point of the test.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;
using heapsim::test::callback_labels;
using heapsim::test::finalizer_ids;
using heapsim::test::run_ok;

TEST_CASE("T1-T3, T5, T7: what a collection counts as collected") {
    run_ok(R"(
gc disable
alloc l list
bind l l
append l l
unbind l
collect
expect collected 1
expect freed l
alloc d dict
bind d d
set d k d
unbind d
collect
expect collected 1
alloc l2 list
bind l l2
alloc t tuple l2
bind t t
append l2 t
unbind t
unbind l
collect
expect collected 2
type A instance
alloc a A
bind a a
set a a a
unbind a
collect
expect collected 1
type S instance slots=1
alloc s S
bind s s
set s a s
unbind s
collect
expect collected 1
)");
}

TEST_CASE("refcount policy: cycles leak and collect does nothing") {
    const RunResult r = run_ok(R"(
alloc a list
alloc b list a
bind b b
append a b
unbind b
collect
expect alive a
expect alive b
)", "refcount");
    CHECK(r.collections.empty());
    CHECK(r.leaks.size() == 2);
    CHECK(r.leaks[0].reason == LeakReason::Cycle);
}

TEST_CASE("T13, T14: counts and generations") {
    run_ok(R"(
gc disable
expect count 0 0 0
alloc x list
bind x x
expect count 1 0 0
collect 0
expect count 0 1 0
collect 1
expect count 0 0 1
collect 2
expect count 0 0 0
)");
}

TEST_CASE("T15: count0 is floored at zero") {
    std::ostringstream t;
    t << "gc disable\ntype A instance\nalloc old list\nbind old old\n";
    for (int i = 0; i < 50; ++i) t << "alloc a" << i << " A\nappend old a" << i << "\n";
    t << "collect\nexpect count 0 0 0\nclear old\nexpect count 0 0 0\n";
    t << "alloc new list\nbind new new\n";
    for (int i = 0; i < 10; ++i) t << "alloc b" << i << " A\nappend new b" << i << "\n";
    t << "expect count 11 0 0\nclear new\nexpect count 1 0 0\n";
    run_ok(t.str());
}

TEST_CASE("T16: free lists are empty after a full collection, then reused") {
    run_ok(R"(
gc disable
alloc keep list
bind keep keep
collect
alloc t list
drop t
expect count 1 0 0
alloc u list
append keep u
expect count 1 0 0
alloc v list
append keep v
expect count 2 0 0
)");
}

TEST_CASE("§14.2: 10,000 temporaries reuse one free-list entry") {
    std::ostringstream t;
    for (int i = 0; i < 10000; ++i) t << "alloc " << i << " list\ndrop " << i << "\n";
    t << "expect count 1 0 0\n";
    const RunResult r = run_ok(t.str());
    CHECK(r.collections.empty());
}

TEST_CASE("§14.2: 10,000 lists kept alive trigger 14 collections") {
    std::ostringstream t;
    t << "alloc keep list\nbind keep keep\n";
    for (int i = 0; i < 10000; ++i) t << "alloc l" << i << " list\nappend keep l" << i << "\n";
    t << "expect count 187 2 1\n";
    const RunResult r = run_ok(t.str());
    REQUIRE(r.collections.size() == 14);
    CHECK(r.collections[0].event == 1401);
    CHECK(r.collections[1].event == 2803);
    CHECK(r.collections[2].event == 4205);
    int gen1 = 0;
    for (const auto& c : r.collections) {
        gen1 += c.generation == 1;
        CHECK(c.trigger == Trigger::Threshold);
        CHECK(c.collected == 0);
    }
    CHECK(gen1 == 1);
    CHECK(r.collections[11].generation == 1);
}

TEST_CASE("T17: automatic generations, 11 young then one middle, then a full one") {
    std::ostringstream t;
    t << "type A instance\nalloc keep list\nbind keep keep\ncollect\n";
    for (int i = 0; i < 200000; ++i) t << "alloc a" << i << " A\nappend keep a" << i << "\n";
    const RunResult r = run_ok(t.str());
    std::string pattern;
    for (const auto& c : r.collections)
        if (c.trigger == Trigger::Threshold) pattern += char('0' + c.generation);
    CHECK(pattern.size() == 285);
    CHECK(pattern.substr(0, 12) == "000000000001");
    CHECK(pattern[132] == '2');
    CHECK(pattern[265] == '2');
}

TEST_CASE("T25: survivors are reordered by move_unreachable") {
    const RunResult with_young = run_ok(R"(
gc disable
type N instance finalizer
alloc A N
bind a A
alloc B N
bind b B
set A r B
set B r A
unbind a
collect 0
unbind b
collect
expect collected 2
)");
    CHECK(finalizer_ids(with_young) == std::vector<std::string>{"B", "A"});
    const RunResult direct = run_ok(R"(
gc disable
type N instance finalizer
alloc A N
bind a A
alloc B N
bind b B
set A r B
set B r A
unbind a
unbind b
collect
expect collected 2
)");
    CHECK(finalizer_ids(direct) == std::vector<std::string>{"A", "B"});
}

TEST_CASE("T26: a three-cycle is finalized in tracking order") {
    const RunResult r = run_ok(R"(
gc disable
type N instance finalizer
alloc a N
alloc b N
alloc c N
set a r b
set b r c
set c r a
collect
expect collected 3
)");
    CHECK(finalizer_ids(r) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("T27: an outer tuple stays tracked one collection longer than its inner tuple") {
    const RunResult r = run_ok(R"(
gc disable
alloc i1 int
alloc i2 int
alloc i3 int
alloc inner tuple i2 i3
alloc outer tuple i1 inner
bind t2 outer
collect 0
collect 1
collect 2
)");
    REQUIRE(r.collections.size() == 3);
    CHECK(r.collections[0].scanned == 2);
    CHECK(r.collections[0].promoted == 1);  // inner untracked, outer promoted
    CHECK(r.collections[1].scanned == 1);
    CHECK(r.collections[1].promoted == 0);  // outer untracked now
    CHECK(r.collections[2].scanned == 0);
}

TEST_CASE("T28: dicts are tracked lazily and untracked only by full collections") {
    const RunResult r = run_ok(R"(
gc disable
alloc d dict
bind d d
collect 0
alloc v list
set d k v
alloc one int
set d k one
collect 1
collect 2
collect 2
)");
    REQUIRE(r.collections.size() == 4);
    CHECK(r.collections[0].scanned == 0);  // {} is untracked
    CHECK(r.collections[1].scanned == 1);  // tracked by d['k'] = [], not untracked by gen 1
    CHECK(r.collections[2].scanned == 1);
    CHECK(r.collections[3].scanned == 0);  // untracked by the full collection
}

TEST_CASE("T29: the trashcan reorders finalizers in a 120-deep chain") {
    std::ostringstream t;
    t << "type O instance finalizer slots=1\n";
    for (int i = 0; i < 120; ++i) {
        t << "alloc i" << i << " int\nalloc o" << i << " O i" << i << "\n";
        if (i == 0)
            t << "alloc l0 list o0\nbind t l0\n";
        else
            t << "alloc l" << i << " list o" << i << " l" << i - 1 << "\nbind t l" << i << "\n";
    }
    t << "unbind t\n";
    const RunResult r = run_ok(t.str(), "refcount");
    std::vector<std::string> expected;
    auto range = [&](int a, int b) {
        for (int i = a; i <= b; ++i) expected.push_back("o" + std::to_string(i));
    };
    range(71, 119);
    range(70, 70);
    range(22, 69);
    range(21, 21);
    range(0, 20);
    CHECK(finalizer_ids(r) == expected);
}

TEST_CASE("T31: weakref callbacks of the garbage run per object, newest first") {
    const RunResult r = run_ok(R"(
gc disable
type P instance
alloc a P
alloc b P
bind a a
bind b b
set a o b
set b o a
weakref ra1 a callback=a1
bind ra1 ra1
weakref ra2 a callback=a2
bind ra2 ra2
weakref rb1 b callback=b1
bind rb1 rb1
unbind a
unbind b
collect
expect collected 2
)");
    CHECK(callback_labels(r) == std::vector<std::string>{"a2", "a1", "b1"});
}

TEST_CASE("T32, T33, T35: weakrefs to and inside the garbage") {
    const RunResult outside = run_ok(R"(
gc disable
type D instance finalizer
alloc x D
bind x x
set x self x
weakref w x callback=cb
bind w w
unbind x
collect
expect collected 1
expect alive w
)");
    CHECK(callback_labels(outside) == std::vector<std::string>{"cb"});
    CHECK(finalizer_ids(outside) == std::vector<std::string>{"x"});
    const RunResult inside = run_ok(R"(
gc disable
type P instance
alloc o P
bind o o
set o self o
weakref w o callback=cb
set o wr w
unbind o
collect
expect collected 2
expect freed w
)");
    CHECK(inside.weakref_callbacks.empty());
}

TEST_CASE("T46: a legacy finalizer makes its cycle and what it reaches uncollectable") {
    const RunResult r = run_ok(R"(
gc disable
type U instance legacy_finalizer
type P instance
alloc u U
bind u u
set u self u
alloc p P
bind p p
set p self p
set u p p
weakref wr p callback=cb
bind wr wr
unbind u
unbind p
collect
expect collected 2
expect alive p
collect
expect collected 0
)");
    // The second collection finds them reachable from gc.garbage.
    REQUIRE(r.collections.size() == 2);
    CHECK(r.collections[0].collected == 0);
    CHECK(r.collections[0].uncollectable == 2);
    CHECK(r.weakref_callbacks.empty());
    CHECK(r.summary.uncollectable == 2);
    REQUIRE(r.leaks.size() == 3);
    CHECK(r.leaks[0].reason == LeakReason::Uncollectable);
}

TEST_CASE("the 25% rule postpones full collections while few objects are pending") {
    // Every new object is garbage (a self-cycle), so generation-1
    // collections promote nothing and long_lived_pending stays 0, below a
    // quarter of the 101 objects the first full collection kept.
    std::ostringstream t;
    t << "alloc keep list\nbind keep keep\n";
    for (int i = 0; i < 100; ++i) t << "alloc k" << i << " list\nappend keep k" << i << "\n";
    t << "collect\n";
    for (int i = 0; i < 200000; ++i) t << "alloc t" << i << " list\nappend t" << i << " t" << i << "\n";
    const RunResult r = run_ok(t.str());
    int full = 0;
    for (const auto& c : r.collections) full += c.generation == 2 && c.trigger == Trigger::Threshold;
    CHECK(r.collections.size() > 200);
    CHECK(full == 0);
    CHECK(r.summary.final_count[2] > 10);
}

TEST_CASE("threshold and weakref events allocate argument tuples") {
    // gc.set_threshold(5) allocates a 1-tuple: count0 + 1 (a fresh tuple,
    // the free lists being empty), then the tuple goes to its free list.
    run_ok(R"(
gc disable
threshold 5
expect count 1 0 0
threshold 700 10 10
expect count 2 0 0
threshold 700
expect count 2 0 0
type T instance
alloc t T
bind t t
expect count 3 0 0
weakref w t
expect count 4 0 0
weakref w2 t callback=cb
expect count 6 0 0
)");
}

TEST_CASE("a threshold event can trigger a collection under the old thresholds") {
    const RunResult r = run_ok(R"(
threshold 2
alloc a list
bind a a
threshold 700 10
expect count 0 1 0
)");
    REQUIRE(r.collections.size() == 1);
    CHECK(r.collections[0].event == 4);
    CHECK(r.collections[0].trigger == Trigger::Threshold);
}

TEST_CASE("freeze moves everything to the permanent generation") {
    const RunResult r = run_ok(R"(
gc disable
alloc a list
bind a a
append a a
gc freeze
expect count 0 0 0
unbind a
collect
expect collected 0
gc unfreeze
collect
expect collected 1
)");
    CHECK(r.summary.collected_by_gc == 1);
}

TEST_CASE("shared keys: each new instance shrinks the room for attribute names") {
    // Measured on CPython 3.11.7: a class has room for 30 names and every
    // instance created takes one away, so a lone instance gets a __dict__ at
    // its 30th name; with two instances, at the 29th.
    std::ostringstream t;
    t << "gc disable\ntype C instance\nalloc c C\nbind c c\n";
    for (int i = 0; i < 29; ++i) t << "set c k" << i << " c\n";
    t << "expect count 1 0 0\nset c k29 c\nexpect count 2 0 0\nunbind c\ncollect\n";
    t << "expect collected 2\n";
    t << "type D instance\nalloc d1 D\nbind d1 d1\nalloc d2 D\nbind d2 d2\n";
    for (int i = 0; i < 28; ++i) t << "set d1 k" << i << " d1\n";
    t << "expect count 2 0 0\nset d2 k0 d2\nexpect count 2 0 0\nset d1 k28 d1\nexpect count 3 0 0\n";
    run_ok(t.str());
}

TEST_CASE("inline values are freed in shared-key order, a materialized dict in insertion order") {
    std::ostringstream t;
    t << "gc disable\ntype F instance finalizer\ntype C instance\n"
         "alloc d C\nbind D d\nset d a d\nset d b d\n"          // the class learns a, then b
         "alloc c C\nalloc x1 F\nalloc x2 F\nset c b x1\nset c a x2\ndrop c\n"
         "alloc e C\nalloc y1 F\nalloc y2 F\nset e b y1\nset e a y2\nalloc i int\n";
    for (int k = 0; k < 27; ++k) t << "set e k" << k << " i\n";  // k25 materializes e's __dict__
    t << "drop e\n";
    const RunResult r = run_ok(t.str());
    CHECK(finalizer_ids(r) == std::vector<std::string>{"x2", "x1", "y1", "y2"});
}

TEST_CASE("garbage that outlives its own clear still counts as collected") {
    // delete_garbage clears s first: s survives (req still holds it), then
    // dies when req is cleared. CPython counts all three in `collected`.
    const RunResult r = run_ok(R"(
type Request instance
type Session instance
alloc c dict
bind C c
alloc s Session
set c k s
alloc req Request
bind request req
alloc resp Request
set req response resp
set resp request req
set req session s
unbind request
unset c k
collect 0
expect collected 3
)");
    CHECK(r.summary.collected_by_gc == 3);
    CHECK(r.summary.freed_by_refcount == 0);
}

TEST_CASE("summary invariant: allocated = freed by refcount + collected + live") {
    const RunResult r = run_ok(R"(
type N instance finalizer
alloc a N
alloc b N
set a r b
set b r a
alloc keep list
bind keep keep
alloc x int
drop x
collect
)");
    const Summary& s = r.summary;
    CHECK(s.objects_allocated == s.freed_by_refcount + s.collected_by_gc + s.live_at_end);
    CHECK(s.collected_by_gc == 2);
    CHECK(s.freed_by_refcount == 1);
}

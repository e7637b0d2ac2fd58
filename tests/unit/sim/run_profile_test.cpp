// The run's profile: retention paths (one breadth-first pass for the whole
// heap), survivor-age histograms and promotions by site, the timeline's
// cyclic garbage, what was live at the peak, temporaries, __slots__ what-if.
#include <doctest/doctest.h>

#include <string>

#include "trace_runner.h"

namespace heapsim {
namespace {

/// "name → type id [key] → ..." in the JSON's terms: key on the step it leads to.
std::string steps(const RetentionPath& path) {
    std::string out;
    for (const RetentionStep& s : path) {
        if (!out.empty()) out += " > ";
        if (s.elided)
            out += "..." + std::to_string(s.elided);
        else if (!s.name.empty())
            out += "$" + s.name;
        else
            out += s.type + ":" + s.id + (s.has_key ? "[" + s.key + "]" : "");
    }
    return out;
}

const LeakRecord& leak(const RunResult& r, const std::string& id) {
    for (const LeakRecord& l : r.leaks)
        if (l.id == id) return l;
    FAIL("no leak record for " << id);
    return r.leaks.front();
}

RetentionPath path_of(const RunResult& r, const std::string& id) {
    return r.paths.path(leak(r, id).path);
}

}  // namespace

TEST_CASE("retention paths: the shortest chain from any root, keys on the step they lead to") {
    const RunResult r = test::run_ok(R"(
type Session instance
type Node instance
alloc cache dict
bind cache cache
alloc c dict
set cache sessions c
alloc u list
set c users u
alloc s1 Session
append u s1
alloc n1 Node
set s1 root n1
alloc n2 Node
set n1 next n2
alloc d dict
set d a n2
bind short d
alloc t list
)");
    CHECK(steps(path_of(r, "n1")) ==
          "$cache > dict:cache > dict:c[sessions] > list:u[users] > Session:s1 > Node:n1[root]");
    // n2 is six steps from cache but two from the name short.
    CHECK(steps(path_of(r, "n2")) == "$short > dict:d > Node:n2[a]");
    CHECK(steps(path_of(r, "cache")) == "$cache > dict:cache");
    // A never-stored object has no path; what it holds starts at it.
    CHECK(leak(r, "t").reason == LeakReason::NeverStored);
    CHECK(path_of(r, "t").empty());
}

TEST_CASE("retention paths: a temporary root has no name step") {
    const RunResult r = test::run_ok(R"(
alloc x int
alloc t list x
)");
    CHECK(steps(path_of(r, "x")) == "list:t > int:x");
}

TEST_CASE("retention paths: a materialized __dict__ is no step, its key is") {
    // 31 attribute names exhaust the shared keys of an instance: the 32nd
    // instance stores into a real (hidden) dict.
    std::string trace = "type A instance\nalloc v int\nbind v v\n";
    for (int i = 0; i < 40; ++i) {
        trace += "alloc a" + std::to_string(i) + " A\nbind a" + std::to_string(i) + " a" +
                 std::to_string(i) + "\n";
        trace += "set a" + std::to_string(i) + " k" + std::to_string(i) + " v\n";
    }
    trace += "alloc w int\nset a39 last w\n";
    const RunResult r = test::run_ok(trace);
    CHECK(steps(path_of(r, "w")) == "$a39 > A:a39 > int:w[last]");
}

TEST_CASE("retention paths: garbage shows its cycle, from the object back to it") {
    const RunResult r = test::run_ok(R"(
gc disable
alloc x list
alloc y list x
append x y
alloc z dict
append y z
bind tmp x
unbind tmp
alloc s list
append s s
bind tmp s
unbind tmp
alloc a list
alloc b list a
alloc c list b
append a c
bind tmp c
unbind tmp
)");
    CHECK(steps(path_of(r, "x")) == "list:x > list:y > list:x");
    CHECK(steps(path_of(r, "y")) == "list:y > list:x > list:y");
    // z is on no cycle: the nearest cycle, then the way down to z.
    CHECK(steps(path_of(r, "z")) == "list:y > list:x > list:y > dict:z");
    CHECK(steps(path_of(r, "s")) == "list:s > list:s");
    CHECK(steps(path_of(r, "b")) == "list:b > list:a > list:c > list:b");
    CHECK(leak(r, "b").reason == LeakReason::Cycle);
}

TEST_CASE("retention paths: uncollectable garbage names the legacy finalizer that keeps it") {
    const RunResult r = test::run_ok(R"(
type Legacy gc legacy_finalizer
alloc l1 Legacy
alloc l2 list l1
append l1 l2
alloc d dict
append l2 d
bind tmp l2
unbind tmp
collect 2
)");
    CHECK(leak(r, "l2").reason == LeakReason::Uncollectable);
    CHECK(leak(r, "l2").finalizer == "l1");
    CHECK(leak(r, "d").finalizer == "l1");
    CHECK(steps(path_of(r, "l1")) == "Legacy:l1 > list:l2 > Legacy:l1");
}

TEST_CASE("retention paths: long chains are shortened in the middle") {
    std::string trace = "alloc h0 list\nbind head h0\n";
    for (int i = 1; i <= 100; ++i)
        trace += "alloc h" + std::to_string(i) + " list\nappend h" + std::to_string(i - 1) + " h" +
                 std::to_string(i) + "\n";
    trace += "alloc r0 list\nbind tmp r0\n";
    for (int i = 1; i <= 99; ++i)
        trace += "alloc r" + std::to_string(i) + " list\nappend r" + std::to_string(i - 1) + " r" +
                 std::to_string(i) + "\n";
    trace += "append r99 r0\nunbind tmp\ngc disable\n";
    const RunResult r = test::run_ok(trace);
    const RetentionPath deep = path_of(r, "h100");
    // The name, 32 objects from the root, one step for the 38 left out, the last 31.
    REQUIRE(deep.size() == 1 + 32 + 1 + 31);
    CHECK(deep[0].name == "head");
    CHECK(deep[1].id == "h0");
    CHECK(deep[32].id == "h31");
    CHECK(deep[33].elided == 101 - 63);
    CHECK(deep[34].id == "h70");
    CHECK(deep.back().id == "h100");
    // A ring of 100: r50 -> ... -> r99 -> r0 -> ... -> r50, 101 objects.
    const RetentionPath ring = path_of(r, "r50");
    REQUIRE(ring.size() == 32 + 1 + 31);
    CHECK(ring.front().id == "r50");
    CHECK(ring[32].elided == 101 - 63);
    CHECK(ring.back().id == "r50");
    // Leak groups carry the path of their object with the shortest one.
    for (const LeakGroup& g : r.leak_groups)
        if (g.type == "list" && g.reason == LeakReason::Cycle && g.objects == 100)
            CHECK(g.example_id == "r0");
}

TEST_CASE("retention paths: depths past the marks' range are counted up the tree") {
    // Depths of 30 and more are not in the leak marks (RetentionForest):
    // they are counted up to a memoized checkpoint. Every object of a chain
    // of 300, asked for deepest first, then shallowest, gets its exact count.
    std::string trace = "alloc h0 list\nbind head h0\n";
    for (int i = 1; i < 300; ++i)
        trace += "alloc h" + std::to_string(i) + " list\nappend h" + std::to_string(i - 1) + " h" +
                 std::to_string(i) + "\n";
    // Two dicts in one group (same root, site and type): the shallower one,
    // allocated last, is its example.
    trace += "alloc deep dict\nappend h250 deep\nalloc shallow dict\nappend h120 shallow\n";
    const RunResult r = test::run_ok(trace);
    for (int i : {299, 64, 200, 63, 31, 30, 29, 150, 0}) {
        const RetentionPath p = path_of(r, "h" + std::to_string(i));
        CAPTURE(i);
        if (i + 1 <= 63) {
            REQUIRE(p.size() == 1 + static_cast<std::size_t>(i) + 1);
            CHECK(p.back().id == "h" + std::to_string(i));
            continue;
        }
        REQUIRE(p.size() == 1 + 32 + 1 + 31);
        CHECK(p[32].id == "h31");
        CHECK(p[33].elided == static_cast<std::uint64_t>(i + 1 - 63));
        CHECK(p[34].id == "h" + std::to_string(i - 30));
    }
    CHECK(path_of(r, "deep")[33].elided == 252 - 63);
    bool found = false;
    for (const LeakGroup& g : r.leak_groups)
        if (g.type == "dict") {
            found = true;
            CHECK(g.objects == 2);
            CHECK(g.example_id == "shallow");
        }
    CHECK(found);
}

TEST_CASE("survivor ages and promotions by site") {
    const RunResult r = test::run_ok(R"(
threshold 0
alloc keep list site=a.py:1
bind keep keep
alloc gone list site=a.py:2
bind gone gone
alloc t1 list site=a.py:3
bind t t1
unbind t
collect 0
unbind gone
collect 1
collect 2
)");
    // keep survived three collections and is alive; gone survived one, then died.
    const Promotions& p = r.profile.promotions;
    CHECK(p.total == r.promoted[0] + r.promoted[1]);
    CHECK(p.total == 3);  // keep twice (gen0->1->2), gone once
    REQUIRE(p.by_site.size() == 2);
    CHECK(p.by_site[0].site == "a.py:1");
    CHECK(p.by_site[0].promoted == 2);
    REQUIRE(p.by_site[0].survivor_age.size() == 1);
    CHECK(p.by_site[0].survivor_age[0].age == 3);
    CHECK(p.by_site[0].survivor_age[0].live_at_end == 1);
    CHECK(p.by_site[1].site == "a.py:2");
    REQUIRE(p.by_site[1].survivor_age.size() == 1);
    CHECK(p.by_site[1].survivor_age[0].age == 1);
    CHECK(p.by_site[1].survivor_age[0].died == 1);
    // All objects: t1 died at age 0.
    REQUIRE(p.survivor_age.size() == 3);
    CHECK(p.survivor_age[0].age == 0);
    CHECK(p.survivor_age[0].died == 1);
}

TEST_CASE("timeline: cyclic garbage held, exact at each sample of a small heap") {
    const RunResult r = test::run_ok(R"(
gc disable
alloc a list
bind a a
alloc b list a
append a b
unbind a
alloc c list
bind c c
collect 2
unbind c
)");
    // Events: 1 gc, 2 alloc a, 3 bind, 4 alloc b, 5 append, 6 unbind a, 7 alloc c, 8 bind, 9
    // collect, 10 unbind.
    REQUIRE(r.timeline.size() == 10);
    for (const TimelineSample& t : r.timeline) CHECK(t.garbage_measured_at == t.event);
    CHECK(r.timeline[4].cyclic_garbage_bytes == 0);    // a and b reachable from the name a
    CHECK(r.timeline[5].cyclic_garbage_bytes == 112);  // a <-> b, unbound
    CHECK(r.timeline[7].cyclic_garbage_bytes == 112);
    CHECK(r.timeline[8].cyclic_garbage_bytes == 0);  // collected
    CHECK(r.profile.peak_cyclic_garbage_bytes.value == 112);
    CHECK(r.profile.peak_cyclic_garbage_bytes.event == 6);
    CHECK(r.profile.peak_live_bytes.value == 168);
    CHECK(r.profile.peak_live_bytes.event == 7);
}

TEST_CASE("timeline: at most 1000 samples, peaks kept, whatever the length") {
    std::string trace = "alloc keep list\nbind keep keep\n";
    for (int i = 0; i < 3000; ++i) {
        trace += "alloc o" + std::to_string(i) + " list\nbind x o" + std::to_string(i) + "\n";
        if (i == 1234) trace += "alloc big list size=100000\nbind big big\n";
        if (i == 1274) trace += "unbind big\n";  // alive across several samples
    }
    const RunResult r = test::run_ok(trace);
    CHECK(r.timeline.size() <= 1000);
    CHECK(r.timeline.back().event == r.events);
    std::uint64_t max_bytes = 0;
    for (const TimelineSample& t : r.timeline) max_bytes = std::max(max_bytes, t.live_bytes);
    // Decimation keeps the larger of each pair: the 40 events of `big` survive
    // (the exact peak, between two samples, is in profile.peak_live_bytes).
    CHECK(max_bytes > 100000);
    CHECK(r.profile.peak_live_bytes.value == r.summary.peak_live_bytes);
    for (std::size_t i = 1; i < r.timeline.size(); ++i)
        CHECK(r.timeline[i - 1].event < r.timeline[i].event);
}

TEST_CASE("timeline: temporaries stay roots when the list of them is compacted") {
    // measure_garbage finds the objects still holding their creation
    // reference in a list (compacted past 65,536 entries), not by a scan:
    // a temporary listed before 70,000 stored objects must still be a root
    // at the end, and what it holds reachable.
    std::string trace =
        "gc disable\nalloc t list\nalloc k list\nappend t k\n"
        "alloc a list\nbind a a\nalloc b list a\nappend a b\nunbind a\n"
        "alloc keep list\nbind keep keep\n";
    for (int i = 0; i < 70000; ++i)
        trace += "alloc o" + std::to_string(i) + " int\nappend keep o" + std::to_string(i) + "\n";
    const RunResult r = test::run_ok(trace);
    CHECK(r.timeline.back().event == r.events);
    CHECK(r.timeline.back().garbage_measured_at == r.events);
    CHECK(r.timeline.back().cyclic_garbage_bytes == 112);  // a <-> b only; t and k are held
}

TEST_CASE("timeline: a keyed container with deleted keys is marked through its live references") {
    // A dict of more than 16 keys gets a key index (sim/key_index.h), and a
    // delete by key leaves a tombstone in its edge array; the marking must
    // read it dense (as edge() does), never the tombstone's empty target.
    std::string trace = "gc disable\nalloc d dict\nbind d d\n";
    for (int i = 0; i < 40; ++i)
        trace += "alloc v" + std::to_string(i) + " list\nset d k" + std::to_string(i) + " v" +
                 std::to_string(i) + "\n";
    for (int i = 0; i < 40; i += 2) trace += "unset d k" + std::to_string(i) + "\n";
    trace += "alloc a list\nbind a a\nalloc b list a\nappend a b\nunbind a\n";
    const RunResult r = test::run_ok(trace);
    CHECK(r.timeline.back().garbage_measured_at == r.events);
    CHECK(r.timeline.back().cyclic_garbage_bytes ==
          112);  // a <-> b only; d and its values are held
}

TEST_CASE("at the peak: what was live, by type and site, when live bytes peaked") {
    const RunResult r = test::run_ok(R"(
alloc l list site=p.py:1
bind l l
alloc s1 str size=1000 site=p.py:2
append l s1
alloc s2 str size=1000 site=p.py:2
append l s2
unbind l
alloc s3 str size=500 site=p.py:3
bind s3 s3
)");
    const AtPeak& a = r.profile.at_peak;
    CHECK(a.live_bytes == 2056);
    CHECK(a.event == 5);  // the allocation of s2
    REQUIRE(a.by_site.size() == 2);
    CHECK(a.by_site[0].site == "p.py:2");
    CHECK(a.by_site[0].objects == 2);
    CHECK(a.by_site[0].bytes == 2000);
    CHECK(a.by_site[1].type == "list");
}

TEST_CASE("temporaries: freed by reference counting soon after allocation") {
    const RunResult r = test::run_ok(R"(
alloc a str size=10 site=t.py:1
bind a a
unbind a
alloc b str size=20 site=t.py:2
bind b b
alloc p1 int
bind p1 p1
alloc p2 int
bind p2 p2
alloc p3 int
bind p3 p3
alloc p4 int
bind p4 p4
alloc p5 int
bind p5 p5
unbind b
)");
    REQUIRE(r.profile.temporaries.size() == 1);  // b lived 13 events: not a temporary
    CHECK(r.profile.temporaries[0].site == "t.py:1");
    CHECK(r.profile.temporaries[0].bytes == 10);
    CHECK(r.profile.temporary_window == 8);
}

TEST_CASE("what if: __slots__ for a __dict__ instance type, at the peak") {
    const RunResult r = test::run_ok(R"(
type P instance
type S instance slots=2
alloc z int
bind z z
alloc p1 P z z
bind p1 p1
alloc p2 P z z
bind p2 p2
alloc s1 S z z
bind s1 s1
)");
    REQUIRE(r.profile.slots_what_if.size() == 1);
    const SlotsWhatIf& w = r.profile.slots_what_if[0];
    CHECK(w.type == "P");
    CHECK(w.objects == 2);
    CHECK(w.attributes == 2);
    CHECK(w.bytes_saved == 2 * (56 - (32 + 8 * 2)));
}

}  // namespace heapsim

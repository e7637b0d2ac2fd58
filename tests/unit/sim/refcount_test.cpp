// Reference counting: the creation-reference rule, rebinding, the freeing
// cascade, weakrefs and finalizers at refcount death (policy refcount, where
// the collector never runs, unless a test says otherwise).
#include <doctest/doctest.h>

#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"

using namespace heapsim;
using heapsim::test::run_ok;
using heapsim::test::run_trace;

TEST_CASE("a list bound to x, then also to y, then del y") {
    const RunResult r = run_ok(R"(
alloc L list
expect refcount L 1
bind x L
expect refcount L 1
bind y L
expect refcount L 2
unbind y
expect refcount L 1
expect alive L
unbind x
expect freed L
)", "refcount");
    CHECK(r.summary.objects_allocated == 1);
    CHECK(r.summary.freed_by_refcount == 1);
    CHECK(r.summary.live_at_end == 0);
}

TEST_CASE("rebinding takes the new target before releasing the old one") {
    const RunResult r = run_ok(R"(
alloc a list
bind x a
bind x a
expect refcount a 1
alloc b list
bind x b
expect freed a
expect refcount b 1
)", "refcount");
    CHECK(r.summary.freed_by_refcount == 1);
}

TEST_CASE("the first stored reference takes over the creation reference") {
    run_ok(R"(
alloc t int
alloc l list t t
expect refcount t 2
alloc m list
append m t
expect refcount t 3
alloc n int
drop n
expect freed n
)", "refcount");
}

TEST_CASE("never-stored objects and cycles are reported at the end") {
    const RunResult r = run_ok(R"(
alloc tmp list site=app.py:3
alloc a list site=app.py:10
alloc b list a site=app.py:11
bind x b
append a b
unbind x
alloc kept dict site=app.py:20
bind cache kept
)", "refcount");
    REQUIRE(r.leaks.size() == 4);
    CHECK(r.leaks[0].reason == LeakReason::Cycle);
    CHECK(r.leaks[1].reason == LeakReason::Cycle);
    CHECK(r.leaks[2].reason == LeakReason::NeverStored);
    CHECK(r.leaks[2].id == "tmp");
    CHECK(r.leaks[3].reason == LeakReason::LiveAtEnd);
    CHECK(r.leaks[3].held_by == "cache");
    CHECK(r.leaks[3].site == "app.py:20");
    CHECK(r.summary.live_at_end == 4);
}

TEST_CASE("a cascade frees lists last to first, dicts and instances in key order") {
    {
        const auto out = run_trace(R"(
type F instance finalizer
alloc a F
alloc b F
alloc c F
alloc l list a b c
drop l
alloc x F
alloc y F
alloc d dict x y
drop d
alloc p F
alloc q F
alloc o F
set o zz p
set o aa q
drop o
)", "refcount");
        CHECK(out.errors.empty());
        CHECK(heapsim::test::finalizer_ids(out.result) ==
              std::vector<std::string>{"c", "b", "a", "x", "y", "o", "p", "q"});
    }
}

TEST_CASE("weakref callbacks at refcount death run newest first, after __del__") {
    const RunResult r = run_ok(R"(
type P instance finalizer
alloc o P
bind o o
weakref r1 o callback=cb1
bind r1 r1
weakref r2 o callback=cb2
bind r2 r2
weakref r0 o
bind r0 r0
weakref r3 o callback=cb3
bind r3 r3
unbind o
expect freed o
expect alive r1
)", "refcount");
    CHECK(heapsim::test::callback_labels(r) == std::vector<std::string>{"cb3", "cb2", "cb1"});
    REQUIRE(r.finalizers.size() == 1);
    CHECK(r.finalizers[0].event == r.weakref_callbacks[0].event);
}

TEST_CASE("a weakref that dies before its target never calls back") {
    const RunResult r = run_ok(R"(
type Node instance
alloc n Node
bind n n
weakref w n callback=gone
drop w
expect freed w
unbind n
expect freed n
)", "refcount");
    CHECK(r.weakref_callbacks.empty());
}

TEST_CASE("weakref errors") {
    const auto out = run_trace(R"(
alloc l list
bind l l
weakref w l
type T instance
alloc t T
bind t t
weakref w1 t
weakref w2 t
weakref w3 t callback=x
)", "refcount");
    REQUIRE(out.errors.size() == 2);
    CHECK(out.errors[0] == "4: weakref: type 'list' of 'l' does not support weak references");
    CHECK(out.errors[1] ==
          "9: weakref: 't' already has a weakref without callback ('w1'); bind that one instead");
}

TEST_CASE("semantic errors name the event and the token") {
    const auto out = run_trace(R"(
alloc a list
alloc a list
unbind nobody
append a ghost
alloc i int
append i a
alloc q Nope
type S instance slots=1
alloc s S
set s x a
set s y a
drop a
drop a
type list gc
type S instance
remove a i
collect 3
)", "refcount");
    const std::vector<std::string> expected = {
        "3: alloc: id 'a' is already live (an id can be reused only after its object is freed)",
        "4: unbind: name 'nobody' is not bound",
        "5: append: reference 'ghost' was never allocated",
        "7: append: 'i' is of type int, which holds no references",
        "8: alloc: unknown type 'Nope' (declare it first with `type Nope ...`)",
        "12: set: 's' has 1 slot, all in use; no room for key 'y'",
        "13: drop: 'a' was already stored; its creation reference is gone",
        "14: drop: 'a' was already stored; its creation reference is gone",
        "15: type: 'list' is a built-in type",
        "16: type: 'S' is already declared",
        "17: remove: 'a' holds no reference to 'i'",
    };
    // collect 3 is rejected by the reader (invalid generation).
    REQUIRE(out.errors.size() == expected.size() + 1);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(out.errors[i] == expected[i]);
}

#if defined(__SANITIZE_ADDRESS__)
// ASan makes each event ~20x slower; a million levels still overflow any
// stack a recursive free would use.
constexpr int kChainLength = 1'000'000;
#else
constexpr int kChainLength = 10'000'000;
#endif

TEST_CASE("a chain of ten million objects is freed by one unbind without recursion") {
    SymbolTable symbols;
    SimOptions options;
    options.policy = *policy_by_name("refcount");
    Simulator sim(options, symbols);
    std::uint64_t number = 0;
    auto ev = [&](EventKind k) {
        Event e;
        e.kind = k;
        e.number = ++number;
        e.line = number;
        return e;
    };
    const Sym list = symbols.intern("list"), head = symbols.intern("head");
    constexpr int kLength = kChainLength;
    Sym prev = kNoSym;
    for (int i = 0; i < kLength; ++i) {
        Event a = ev(EventKind::Alloc);
        a.id = symbols.intern(std::to_string(i));
        a.type = list;
        if (prev != kNoSym) a.refs = std::span<const Sym>(&prev, 1);
        REQUIRE_FALSE(sim.apply(a));
        prev = a.id;
    }
    Event b = ev(EventKind::Bind);
    b.name = head;
    b.id = prev;
    REQUIRE_FALSE(sim.apply(b));
    Event u = ev(EventKind::Unbind);
    u.name = head;
    REQUIRE_FALSE(sim.apply(u));
    const RunResult r = sim.finish("chain", number);
    CHECK(r.summary.freed_by_refcount == kLength);
    CHECK(r.summary.live_at_end == 0);
    CHECK(r.summary.peak_live_objects == kLength);
}

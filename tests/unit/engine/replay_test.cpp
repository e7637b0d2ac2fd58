#include <doctest/doctest.h>

#include "engine/replay.h"

using namespace heapsim;

namespace {

ReplayOptions strict() {
    ReplayOptions o;
    o.sim.policy = *policy_by_name("cpython-3.11");
    return o;
}

const char* const kBadTrace =
    "heaptrace 1\n"
    "alloc a list\n"
    "bind x a\n"
    "unbind nobody\n"  // line 4: unbound name
    "append a zz\n"    // line 5: unknown id
    "unbind x\n";

}  // namespace

TEST_CASE("a clean trace replays to a result") {
    const auto out = replay_buffer("alloc a list\nbind x a\nalloc b dict\nappend a b\nunbind x\n", "t.trace", strict());
    REQUIRE_FALSE(out.error);
    REQUIRE(out.result);
    CHECK(out.result->trace_path == "t.trace");
    CHECK(out.result->events == 5);
    CHECK(out.result->summary.objects_allocated == 2);
    CHECK(out.result->summary.freed_by_refcount == 2);
    CHECK(out.result->summary.live_at_end == 0);
}

TEST_CASE("strict mode stops at the first bad event") {
    const auto out = replay_buffer(kBadTrace, "t.trace", strict());
    CHECK_FALSE(out.result);
    REQUIRE(out.error);
    CHECK(out.error->kind == ErrorKind::UnboundName);
    CHECK(out.error->line == 4);
    CHECK(out.error->message.find("nobody") != std::string::npos);
}

TEST_CASE("lenient mode skips bad events, counts them and finishes") {
    ReplayOptions o = strict();
    o.lenient = true;
    const auto out = replay_buffer(kBadTrace, "t.trace", o);
    REQUIRE_FALSE(out.error);
    REQUIRE(out.result);
    CHECK(out.result->summary.freed_by_refcount == 1);
    std::uint64_t skipped = 0;
    for (const SkippedEvents& s : out.result->skipped) skipped += s.count;
    CHECK(skipped == 2);
}

TEST_CASE("a resource limit stops the run even in lenient mode") {
    ReplayOptions o = strict();
    o.lenient = true;
    o.sim.max_objects = 2;
    const auto out = replay_buffer("alloc a list\nbind x a\nalloc b list\nbind y b\nalloc c list\nbind z c\n",
                                   "t.trace", o);
    CHECK_FALSE(out.result);
    REQUIRE(out.error);
    CHECK(out.error->kind == ErrorKind::Limit);
}

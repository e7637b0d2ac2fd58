// The recording decoder and the snapshot-mode import, on recordings built
// byte by byte here (docs/recording.md, "Recording format").
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "sim/simulator.h"
#include "tests/unit/recording/recording_builder.h"

namespace heapsim {
namespace {

using test::Builder;
using test::import_and_replay;
using test::Imported;

constexpr std::uint64_t A = 0x7f0000001000, B = 0x7f0000000800, C = 0x7f0000002000;

TEST_CASE("the reader decodes the header and every record kind, addresses as signed deltas") {
    Builder b;
    b.header().type(3, "list").fresh(A, 3).fresh(B, 3);  // B < A: a negative delta
    b.op(RecordKind::Move).a(B).a(C).op(RecordKind::Dealloc).a(A).op(RecordKind::Freed).a(A);
    b.op(RecordKind::CollectStart).v(1).v(1).v(701).v(3).v(0).v(1);
    b.a(C).v(3).v(2).v(1 | (1 << 1)).v(2).a(C).a(A);
    b.op(RecordKind::CollectStop).v(1).v(5).v(1).op(RecordKind::Time).v(1234).end();

    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    RecordingHeader h;
    REQUIRE(reader.read_header(h));
    CHECK(h.interpreter == "cpython 3.12.1 got");
    CHECK(h.thresholds == std::array<std::int64_t, 3>{700, 10, 10});
    Record r;
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Type);
    CHECK(r.type_name == "list");
    CHECK(r.tid == 3);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::NewFresh);
    CHECK(r.addr == A);
    REQUIRE(reader.next(r));
    CHECK(r.addr == B);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Move);
    CHECK(r.from == B);
    CHECK(r.addr == C);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Dealloc);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Freed);
    CHECK(r.addr == A);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::CollectStart);
    CHECK(r.generation == 1);
    CHECK(r.explicit_collect);
    CHECK(r.values == std::array<std::int64_t, 3>{701, 3, 0});
    REQUIRE(r.objects == 1);
    SnapshotObject o;
    REQUIRE(reader.next_object(o));
    CHECK(o.addr == C);
    CHECK(o.refcnt == 2);
    CHECK(o.finalized);
    CHECK(o.generation == 1);
    CHECK(o.refs == std::vector<std::uint64_t>{C, A});
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::CollectStop);
    CHECK(r.collected == 5);
    CHECK(r.uncollectable == 1);
    REQUIRE(reader.next(r));
    CHECK(r.time_ns == 1234);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::End);
    CHECK_FALSE(reader.next(r));
    CHECK(reader.error().empty());
}

TEST_CASE("a bad or truncated recording is an error with its byte offset") {
    {
        ByteSource source = ByteSource::over(std::string_view("heaptrace 1\n"));
        RecordingReader reader(source);
        RecordingHeader h;
        CHECK_FALSE(reader.read_header(h));
        CHECK(reader.error().find("not a heapsim_record recording") != std::string::npos);
    }
    Builder b;
    b.header().type(3, "list").op(RecordKind::NewFresh);  // no address
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    RecordingHeader h;
    REQUIRE(reader.read_header(h));
    Record r;
    REQUIRE(reader.next(r));
    CHECK_FALSE(reader.next(r));
    CHECK(reader.error().find("truncated record") != std::string::npos);
    CHECK(reader.error().rfind("byte ", 0) == 0);

    Builder bad;
    bad.header().bytes.push_back('\x42');
    ByteSource source2 = ByteSource::over(bad.bytes);
    RecordingReader reader2(source2);
    REQUIRE(reader2.read_header(h));
    CHECK_FALSE(reader2.next(r));
    CHECK(reader2.error().find("unknown record") != std::string::npos);
}

// A 3.12 header whose thresholds are (t0, 10, 10) and counts (c0, 0, 0).
void header_312(Builder& b, std::int64_t t0, std::int64_t c0) {
    b.v(1).s("cpython 3.12.1 got").v(0x030C01F0).v(0).v(16);
    b.v(static_cast<std::uint64_t>(t0))
        .v(10)
        .v(10)
        .v(1)
        .v(static_cast<std::uint64_t>(c0))
        .v(0)
        .v(0);
}

TEST_CASE("import: a recorded cycle is collected by the replay where it was collected") {
    Builder b;
    b.header().type(3, "Node").fresh(A, 3).fresh(B, 3).fresh(C, 3);
    // gen-0 collection: A <-> B only reference each other; C is referenced
    // from outside (count 1, no internal reference) and refers to nothing.
    b.op(RecordKind::CollectStart).v(0).v(0).v(3).v(0).v(0).v(3);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    b.a(C).v(3).v(1).v(0).v(0);
    b.op(RecordKind::CollectStop).v(0).v(2).v(0);
    b.op(RecordKind::Dealloc).a(A).op(RecordKind::Dealloc).a(B);
    b.op(RecordKind::Dealloc).a(C).op(RecordKind::Freed).a(C).end();

    const Imported r = import_and_replay(b);
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].generation == 0);
    CHECK(r.result.collections[0].collected == 2);
    CHECK(r.result.expect_failures.empty());
    CHECK(r.result.summary.collected_by_gc == 2);
    // The collector is off in the trace; the collection is explicit and checked.
    CHECK(r.events.front().kind == EventKind::GcControl);
    CHECK(r.events.front().action == GcAction::Disable);
    CHECK(r.events.back().kind == EventKind::Unbind);  // C released at its death
    bool checked = false;
    for (const Event& e : r.events)
        if (e.kind == EventKind::Expect && e.expect == ExpectKind::Collected && e.values[0] == 2)
            checked = true;
    CHECK(checked);
}

TEST_CASE("import: a replay that departs from the recording fails its expect") {
    Builder b;
    b.header().type(3, "Node").fresh(A, 3).fresh(B, 3);
    b.op(RecordKind::CollectStart).v(0).v(0).v(2).v(0).v(0).v(2);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    b.op(RecordKind::CollectStop).v(0).v(5).v(0);  // the process said 5: a finalizer's doing
    b.end();
    const Imported r = import_and_replay(b);
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].collected == 2);
    CHECK(r.result.expect_failures.size() == 1);
}

TEST_CASE("import: references a later snapshot no longer shows are removed") {
    Builder b;
    b.header().type(3, "Node").fresh(A, 3).fresh(B, 3);
    // First collection: A refers to B; A is held from outside. Both survive.
    b.op(RecordKind::CollectStart).v(0).v(0).v(2).v(0).v(0).v(2);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(0);
    b.op(RecordKind::CollectStop).v(0).v(0).v(0);
    // Generation 1 later: A dropped B, and B refers to itself only.
    b.op(RecordKind::CollectStart).v(1).v(0).v(0).v(11).v(0).v(2);
    b.a(A).v(3).v(1).v(2).v(0);
    b.a(B).v(3).v(1).v(2).v(1).a(B);
    b.op(RecordKind::CollectStop).v(1).v(1).v(0);
    b.end();
    const Imported r = import_and_replay(b);
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == 2);
    CHECK(r.result.collections[1].generation == 1);
    CHECK(r.result.collections[1].collected == 1);
    CHECK(r.result.expect_failures.empty());
}

// Events mode: the model decides when to collect (3.12: at a safe point).
// Threshold 2: A, B, C fresh make count0 3 > 2, so the recorded process
// scheduled a collection at C and ran it at its next safe point; D came
// from a free list and was not counted.
Builder events_recording(std::uint64_t recorded_collected = 2) {
    Builder b;
    header_312(b, 2, 0);
    b.type(3, "Node").fresh(A, 3).fresh(B, 3);
    b.op(RecordKind::NewReused).a(0x7f0000003000).v(3);
    b.fresh(C, 3);
    b.op(RecordKind::CollectStart).v(0).v(0).v(3).v(0).v(0).v(4);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    b.a(C).v(3).v(1).v(0).v(0);
    b.a(0x7f0000003000).v(3).v(1).v(0).v(0);
    b.op(RecordKind::CollectStop).v(0).v(recorded_collected).v(0);
    b.op(RecordKind::Freed).a(A).op(RecordKind::Freed).a(B).end();
    return b;
}

TEST_CASE("import, events mode: the model collects where the recorded process did") {
    const Imported r = import_and_replay(events_recording(), ImportMode::Events, "cpython-3.12");
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].generation == 0);
    CHECK(r.result.collections[0].collected == 2);
    CHECK(r.result.expect_failures.empty());  // its `expect count 0 1 0` held
    // The collector stays enabled; the trace sets the recorded state.
    bool counts = false, safepoint = false, disabled = false;
    for (const Event& e : r.events) {
        if (e.kind != EventKind::GcControl) continue;
        counts = counts || e.action == GcAction::Counts;
        safepoint = safepoint || e.action == GcAction::Safepoint;
        disabled = disabled || e.action == GcAction::Disable;
    }
    CHECK(counts);
    CHECK(safepoint);
    CHECK_FALSE(disabled);
    // The free-list creation, and only it, is uncounted.
    int uncounted_allocs = 0;
    for (std::size_t i = 1; i < r.events.size(); ++i)
        uncounted_allocs += r.events[i].kind == EventKind::Alloc &&
                            r.events[i - 1].kind == EventKind::GcControl &&
                            r.events[i - 1].action == GcAction::Uncounted;
    CHECK(uncounted_allocs == 1);
}

TEST_CASE("import, events mode: under other thresholds the model decides") {
    // Threshold 100: no collection at all; the cycle stays.
    const Imported high = import_and_replay(events_recording(), ImportMode::Events, "cpython-3.12",
                                            std::array<std::int64_t, 3>{100, 10, 10});
    CHECK(high.import_error.empty());
    CHECK(high.result.collections.empty());
    // Threshold 1: the model collects as soon as count0 reaches 2, at the
    // safe point after B, before the cycle's references are known: nothing.
    const Imported low = import_and_replay(events_recording(), ImportMode::Events, "cpython-3.12",
                                           std::array<std::int64_t, 3>{1, 10, 10});
    CHECK(low.import_error.empty());
    REQUIRE_FALSE(low.result.collections.empty());
    CHECK(low.result.collections[0].collected == 0);
}

TEST_CASE("import, events mode: a 3.11 collection runs inside its NEW_EARLY allocation") {
    Builder b;
    b.v(1).s("cpython 3.11.7 got").v(0x030B07F0).v(0).v(16);
    b.v(2).v(10).v(10).v(1).v(0).v(0).v(0);
    b.type(3, "Node").fresh(A, 3).fresh(B, 3);
    // The third allocation crosses: the collection runs first, then its
    // creation is recorded as NEW_EARLY.
    b.op(RecordKind::CollectStart).v(0).v(0).v(3).v(0).v(0).v(2);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    b.op(RecordKind::Freed).a(A).op(RecordKind::Freed).a(B);
    b.op(RecordKind::CollectStop).v(0).v(2).v(0);
    b.op(RecordKind::NewEarly).a(C).v(3).end();
    const Imported r = import_and_replay(b, ImportMode::Events, "cpython-3.11");
    check_collections(r, {2});
}

TEST_CASE("import: a recording without its end record is refused") {
    Builder b;
    b.header().type(3, "Node").fresh(A, 3);
    const Imported r = import_and_replay(b);
    CHECK(r.import_error.find("no end record") != std::string::npos);
}

TEST_CASE("import, events mode: a collection whose result departs is reported") {
    const Imported r = import_and_replay(events_recording(3), ImportMode::Events, "cpython-3.12");
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].collected == 2);
    REQUIRE(r.result.expect_failures.size() == 1);  // the counts agree, the result does not
    CHECK(r.result.expect_failures[0].message ==
          "expect collection 0 3 0: the replay's collection was generation 0, collected 2, "
          "uncollectable 0");
}

// Resurrection: A and B are self-cycles whose type has __del__; only B dies
// in the collection, which reports 1 collected: A's __del__ kept it.
TEST_CASE("import: garbage a finalizer resurrected is kept by a `gc finalizer` hook") {
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        Builder b;
        header_312(b, 700, 0);
        b.type(3, "Fin", kTypeGc | kTypeFinalizer).fresh(A, 3).fresh(B, 3);
        b.op(RecordKind::CollectStart).v(0).v(1).v(2).v(0).v(0).v(2);
        b.a(A).v(3).v(1).v(0).v(1).a(A);
        b.a(B).v(3).v(1).v(0).v(1).a(B);
        b.op(RecordKind::Dealloc).a(B).op(RecordKind::Freed).a(B);
        b.op(RecordKind::CollectStop).v(0).v(1).v(0);
        b.end();
        const Imported r = import_and_replay(b, mode, "cpython-3.12");
        check_collections(r, {1});
        int hooks = 0;
        for (const Event& e : r.events)
            hooks += e.kind == EventKind::GcControl && e.action == GcAction::Finalizer;
        CHECK(hooks == 1);
    }
}

// A weakref held from outside (K) dies in the callback step, before the
// garbage A <-> B: the recorded 3 counts it (freed right after its callback).
TEST_CASE("import: a weakref freed by its own callback is a `gc callback` hook") {
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        Builder b;
        header_312(b, 700, 0);
        b.type(3, "Node").type(4, "KeyedRef", kTypeGc | kTypeWeakrefable);
        b.fresh(C, 4).fresh(A, 3).fresh(B, 3);
        b.op(RecordKind::CollectStart).v(0).v(1).v(3).v(0).v(0).v(3);
        b.a(C).v(4).v(1).v(0).v(0);
        b.a(A).v(3).v(1).v(0).v(1).a(B);
        b.a(B).v(3).v(1).v(0).v(1).a(A);
        b.op(RecordKind::Dealloc).a(C).op(RecordKind::Freed).a(C);
        b.op(RecordKind::Dealloc).a(A).op(RecordKind::Freed).a(A);
        b.op(RecordKind::Dealloc).a(B).op(RecordKind::Freed).a(B);
        b.op(RecordKind::CollectStop).v(0).v(3).v(0);
        b.end();
        const Imported r = import_and_replay(b, mode, "cpython-3.12");
        check_collections(r, {3});
        int hooks = 0;
        for (const Event& e : r.events)
            hooks += e.kind == EventKind::GcControl && e.action == GcAction::Callback;
        CHECK(hooks == 1);
    }
}

}  // namespace
}  // namespace heapsim

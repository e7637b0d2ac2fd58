// The long-lived counts (LONG_LIVED) and gc.freeze() / gc.unfreeze()
// (FREEZE / UNFREEZE) in a recording: decoded, and imported as `gc
// longlived` (events mode) and `gc freeze` / `gc unfreeze` (both modes),
// frozen objects kept out of the snapshot comparison (docs/recording.md,
// "Long-lived counts and gc.freeze()").
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "sim/simulator.h"
#include "tests/unit/recording/recording_builder.h"

namespace heapsim {
namespace {

using test::Builder;
using test::Imported;

constexpr std::uint64_t A = 0x7f0000001000, B = 0x7f0000000800, C = 0x7f0000002000;

Builder freeze_recording() {
    Builder b;
    b.header().op(RecordKind::LongLived).v(11231).v(7);
    b.type(3, "Node");
    b.op(RecordKind::NewFresh).a(A).v(3).op(RecordKind::NewFresh).a(B).v(3);
    b.op(RecordKind::Freeze).v(0).v(0).v(0);
    b.op(RecordKind::NewFresh).a(C).v(3);
    // gc.collect(): A and B are frozen, so the snapshot lists C alone,
    // held from outside.
    b.op(RecordKind::LongLived).v(11231).v(7);
    b.op(RecordKind::CollectStart).v(2).v(1).v(1).v(0).v(0).v(1);
    b.a(C).v(3).v(1).v(0).v(0);
    b.op(RecordKind::CollectStop).v(2).v(0).v(0);
    b.op(RecordKind::Unfreeze).v(0).v(0).v(0);
    b.op(RecordKind::End).v(0).v(0).v(0).v(0);
    return b;
}

// Imported through the 3.12 model (the recording's interpreter).
Imported import_312(const Builder& b, ImportMode mode) {
    return test::import_and_replay(b, mode, "cpython-3.12");
}

int count_gc(const Imported& r, GcAction action) {
    int n = 0;
    for (const Event& e : r.events) n += e.kind == EventKind::GcControl && e.action == action;
    return n;
}

}  // namespace

TEST_CASE("the reader decodes LONG_LIVED, FREEZE and UNFREEZE") {
    Builder b;
    b.header().op(RecordKind::LongLived).v(11231).v(7);
    b.op(RecordKind::Freeze).v(0).v(0).v(0).op(RecordKind::Unfreeze).v(3).v(1).v(2);
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    RecordingHeader h;
    REQUIRE(reader.read_header(h));
    Record r;
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::LongLived);
    CHECK(r.values[0] == 11231);
    CHECK(r.values[1] == 7);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Freeze);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Unfreeze);
    CHECK(r.values == std::array<std::int64_t, 3>{3, 1, 2});
    CHECK_FALSE(reader.next(r));
    CHECK(reader.error().empty());
}

TEST_CASE("import, events mode: the window's long-lived counts, then freeze and unfreeze") {
    const Imported r = import_312(freeze_recording(), ImportMode::Events);
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    // Only the first LONG_LIVED (the window opening) goes into the trace.
    REQUIRE(count_gc(r, GcAction::LongLived) == 1);
    for (const Event& e : r.events) {
        if (e.kind != EventKind::GcControl || e.action != GcAction::LongLived) continue;
        CHECK(e.nvalues == 2);
        CHECK(e.values[0] == 11231);
        CHECK(e.values[1] == 7);
    }
    CHECK(count_gc(r, GcAction::Freeze) == 1);
    CHECK(count_gc(r, GcAction::Unfreeze) == 1);
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].generation == 2);
    CHECK(r.result.expect_failures.empty());
}

TEST_CASE("import, snapshot mode: frozen objects are not released for missing from a snapshot") {
    const Imported r = import_312(freeze_recording(), ImportMode::Snapshot);
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    CHECK(count_gc(r, GcAction::LongLived) == 0);  // the recorded collections need none
    CHECK(count_gc(r, GcAction::Freeze) == 1);
    CHECK(count_gc(r, GcAction::Unfreeze) == 1);
    // A and B are frozen, not dead: their pins stay (no unbind at all).
    for (const Event& e : r.events) CHECK(e.kind != EventKind::Unbind);
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].collected == 0);
    CHECK(r.result.expect_failures.empty());
}

}  // namespace heapsim

// WEAKREF records (recording format 2): which objects that die in a
// collection's weakref step are weakrefs whose callback ran, so that the
// import hooks exactly those (docs/recording.md, "Finalizers and weakref
// callbacks"); a version 1 recording still imports with the type-name rule.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "tests/unit/recording/recording_builder.h"

namespace heapsim {
namespace {

using test::Builder;
using test::import_and_replay;
using test::Imported;

constexpr std::uint64_t H = 0x7f0000001000, P = 0x7f0000001100, F = 0x7f0000001200,
                        A = 0x7f0000001300, B = 0x7f0000001400;

// A 3.12 header of format `version`, thresholds 700, 10, 10.
void header(Builder& b, std::uint64_t version) {
    b.v(version).s("cpython 3.12.1 got").v(0x030C01F0).v(0).v(16);
    b.v(700).v(10).v(10).v(1).v(0).v(0).v(0);
}

// A gen-0 collection whose garbage is the cycle A <-> B. H (a Handle: a
// weakref with a callback to A) is held from outside; the callback frees the
// entry holding H, with P (a PlainRef: a weakref WITHOUT a callback, to A)
// and F (a Prefs: no weakref at all), before H is freed right after the
// callback: recorded collected 3 = A, B, H. The names "PlainRef" and
// "Prefs" look like weakrefs, "Handle" does not.
Builder weakref_step(std::uint64_t version) {
    Builder b;
    header(b, version);
    constexpr std::uint32_t weakrefable = kTypeGc | kTypeWeakrefable;
    b.type(3, "Node", weakrefable).type(4, "PlainRef", weakrefable).type(5, "Prefs");
    b.type(6, "Handle", weakrefable);
    b.fresh(H, 6).fresh(P, 4).fresh(F, 5).fresh(A, 3).fresh(B, 3);
    b.op(RecordKind::CollectStart).v(0).v(1).v(5).v(0).v(0).v(5);  // gc.collect(0)
    b.a(H).v(6).v(1).v(0).v(0);
    b.a(P).v(4).v(1).v(0).v(0);
    b.a(F).v(5).v(1).v(0).v(0);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    if (version >= kRecordingVersionWeakrefs) {  // A's weakref list: P (no callback), then H
        b.op(RecordKind::Weakref).a(P).a(A).v(0);
        b.op(RecordKind::Weakref).a(H).a(A).v(1);
    }
    for (const std::uint64_t dies : {F, P, H, A, B})
        b.op(RecordKind::Dealloc).a(dies).op(RecordKind::Freed).a(dies);
    b.op(RecordKind::CollectStop).v(0).v(3).v(0);
    b.end();
    return b;
}

struct Hooks {
    std::vector<std::string> types;  // the type of each object given `gc callback`
    std::uint64_t by_name = 0;       // stats().callbacks_by_name
    std::string error;
};

// Imports `b` and names the type of every object a `gc callback` hooks.
Hooks callback_hooks(const Builder& b, ImportMode mode) {
    SymbolTable symbols;
    std::vector<Event> events;
    SnapshotImporter importer(
        symbols, [&](const Event& e) { events.push_back(e); }, mode);
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    Hooks out;
    importer.run(reader, out.error);
    out.by_name = importer.stats().callbacks_by_name;
    for (const Event& hook : events) {
        if (hook.kind != EventKind::GcControl || hook.action != GcAction::Callback) continue;
        for (const Event& a : events)
            if (a.kind == EventKind::Alloc && a.id == hook.id)
                out.types.emplace_back(symbols.str(a.type));
    }
    return out;
}

TEST_CASE("the reader decodes a format 2 header and WEAKREF records") {
    Builder b;
    header(b, 2);
    b.op(RecordKind::Weakref).a(H).a(A).v(1).op(RecordKind::Weakref).a(P).a(A).v(0).end();
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    RecordingHeader h;
    REQUIRE(reader.read_header(h));
    CHECK(h.version == 2);
    Record r;
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::Weakref);
    CHECK(r.addr == H);
    CHECK(r.from == A);
    CHECK(r.callback);
    REQUIRE(reader.next(r));
    CHECK(r.addr == P);
    CHECK(r.from == A);
    CHECK_FALSE(r.callback);
    REQUIRE(reader.next(r));
    CHECK(r.kind == RecordKind::End);

    Builder v3;
    header(v3, 3);
    ByteSource source3 = ByteSource::over(v3.bytes);
    RecordingReader reader3(source3);
    CHECK_FALSE(reader3.read_header(h));
    CHECK(reader3.error().find("recording format version 3 is not supported") != std::string::npos);
}

TEST_CASE("format 2: the weakref whose callback ran is hooked, not what is named like one") {
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        CAPTURE(static_cast<int>(mode));
        const Builder b = weakref_step(2);
        const Hooks hooks = callback_hooks(b, mode);
        CHECK(hooks.error.empty());
        CHECK(hooks.types == std::vector<std::string>{"py.Handle:6"});
        CHECK(hooks.by_name == 0);
        const Imported r = import_and_replay(b, mode, "cpython-3.12");
        check_collections(r, {3});
    }
}

// The same run as a version 1 recording: the type-name rule takes the first
// dying object named like a weakref (Prefs), and the import says it guessed.
TEST_CASE("version 1: the type-name rule, counted in the import's stats") {
    const Hooks hooks = callback_hooks(weakref_step(1), ImportMode::Snapshot);
    CHECK(hooks.error.empty());
    CHECK(hooks.types == std::vector<std::string>{"py.Prefs:5"});
    CHECK(hooks.by_name == 1);
}

// Format 2, no weakref with a callback to the garbage: an object dying
// outside the garbage is not taken for one even when the count asks for
// one more (the replay then reports where it departs).
TEST_CASE("format 2: without a callback weakref to the garbage nothing is hooked") {
    Builder b;
    header(b, 2);
    b.type(3, "Node", kTypeGc | kTypeWeakrefable).type(4, "KeyedRef", kTypeGc | kTypeWeakrefable);
    b.fresh(H, 4).fresh(A, 3).fresh(B, 3);
    b.op(RecordKind::CollectStart).v(0).v(1).v(3).v(0).v(0).v(3);
    b.a(H).v(4).v(1).v(0).v(0);
    b.a(A).v(3).v(1).v(0).v(1).a(B);
    b.a(B).v(3).v(1).v(0).v(1).a(A);
    b.op(RecordKind::Weakref).a(H).a(A).v(0);  // no callback
    for (const std::uint64_t dies : {H, A, B})
        b.op(RecordKind::Dealloc).a(dies).op(RecordKind::Freed).a(dies);
    b.op(RecordKind::CollectStop).v(0).v(3).v(0);
    b.end();
    const Hooks hooks = callback_hooks(b, ImportMode::Snapshot);
    CHECK(hooks.error.empty());
    CHECK(hooks.types.empty());
    const Imported r = import_and_replay(b, ImportMode::Snapshot, "cpython-3.12");
    REQUIRE(r.result.collections.size() == 1);
    CHECK(r.result.collections[0].collected == 2);
    CHECK(r.result.expect_failures.size() == 1);
}

}  // namespace
}  // namespace heapsim

// Garbage a finalizer freed (`__del__` dropping the only reference to another
// garbage object) is not counted by CPython: the import keeps it out of the
// model's collection (docs/recording.md, "Finalizers and weakref callbacks").
#include <doctest/doctest.h>

#include <cstdint>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "tests/unit/recording/recording_builder.h"

namespace heapsim {
namespace {

using test::Builder;
using test::import_and_replay;
using test::Imported;

constexpr std::uint64_t G = 0x7f0000003000, C = 0x7f0000003100, D = 0x7f0000003200;

// gc.collect(0): G (a self-cycle whose type has __del__) holds C, which holds
// D; G's __del__ drops C, so C and D die before G and only G is collected.
TEST_CASE("import: garbage freed by a finalizer is not counted, as in CPython") {
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        CAPTURE(static_cast<int>(mode));
        Builder b;
        b.v(2).s("cpython 3.12.1 got").v(0x030C01F0).v(0).v(16);
        b.v(700).v(10).v(10).v(1).v(0).v(0).v(0);
        b.type(3, "Fin", kTypeGc | kTypeFinalizer)
            .type(4, "Node")
            .fresh(G, 3)
            .fresh(C, 4)
            .fresh(D, 4);
        b.op(RecordKind::CollectStart).v(0).v(1).v(3).v(0).v(0).v(3);
        b.a(G).v(3).v(1).v(0).v(2).a(G).a(C);
        b.a(C).v(4).v(1).v(0).v(1).a(D);
        b.a(D).v(4).v(1).v(0).v(0);
        for (const std::uint64_t dies : {C, D, G})
            b.op(RecordKind::Dealloc).a(dies).op(RecordKind::Freed).a(dies);
        b.op(RecordKind::CollectStop).v(0).v(1).v(0);
        b.end();
        const Imported r = import_and_replay(b, mode, "cpython-3.12");
        check_collections(r, {1});
    }
}

}  // namespace
}  // namespace heapsim

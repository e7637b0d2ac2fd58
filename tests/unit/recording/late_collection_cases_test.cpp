// Two cases of what a finalizer or weakref callback does inside a recorded
// collection (docs/recording.md, "Other objects' finalizers, young weakrefs,
// tp_del, threads"): garbage another object's finalizer resurrects, and
// garbage freed after the collection's own callbacks allocated.
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

constexpr std::uint64_t H = 0x7f0000005000, K = 0x7f0000005100, L = 0x7f0000005180,
                        N = 0x7f0000005200;

void header_312(Builder& b, std::uint64_t t0) {
    b.v(2).s("cpython 3.12.1 got").v(0x030C01F0).v(0).v(16);
    b.v(t0).v(10).v(10).v(1).v(0).v(0).v(0);
}

// gc.collect(0): H (a self-cycle whose type has __del__) holds K (a
// self-cycle of a type without one, holding L); H's __del__ stores K in a
// global (`saved.append(self.child)`), so K and L survive, only H dies and
// 1 is collected. (Taken for garbage a finalizer freed, as before, H would
// be kept instead and K, L collected: 2.)
TEST_CASE("import: garbage stored by another object's finalizer survives the collection") {
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        CAPTURE(static_cast<int>(mode));
        Builder b;
        header_312(b, 700);
        b.type(3, "Holder", kTypeGc | kTypeFinalizer)
            .type(4, "Child")
            .fresh(H, 3)
            .fresh(K, 4)
            .fresh(L, 4);
        b.op(RecordKind::CollectStart).v(0).v(1).v(3).v(0).v(0).v(3);
        b.a(H).v(3).v(1).v(0).v(2).a(H).a(K);
        b.a(K).v(4).v(2).v(0).v(2).a(K).a(L);
        b.a(L).v(4).v(1).v(0).v(0);
        b.op(RecordKind::Dealloc).a(H).op(RecordKind::Freed).a(H);
        b.op(RecordKind::CollectStop).v(0).v(1).v(0);
        b.end();
        const Imported r = import_and_replay(b, mode, "cpython-3.12");
        check_collections(r, {1});
    }
}

// Events mode, threshold 3. gc.collect(0) finds G1 and G2 (self-cycles);
// inside it a callback allocates N (count0 1), then G1's memory goes back
// (count0 0) and G2's (floored). Three more allocations leave count0 at 3,
// the fourth schedules the next collection. Without a count0 - 1 for G1
// the model would collect one allocation early.
TEST_CASE("import, events mode: garbage freed after an allocation inside its collection counts") {
    constexpr std::uint64_t G1 = 0x7f0000006000, G2 = 0x7f0000006100;
    constexpr std::uint64_t P[4] = {0x7f0000007000, 0x7f0000007100, 0x7f0000007200, 0x7f0000007300};
    Builder b;
    header_312(b, 3);
    b.type(3, "Node").fresh(G1, 3).fresh(G2, 3);
    b.op(RecordKind::CollectStart).v(0).v(1).v(2).v(0).v(0).v(2);
    b.a(G1).v(3).v(1).v(0).v(1).a(G1);
    b.a(G2).v(3).v(1).v(0).v(1).a(G2);
    b.fresh(N, 3);
    b.op(RecordKind::Dealloc).a(G1).op(RecordKind::Freed).a(G1);
    b.op(RecordKind::Dealloc).a(G2).op(RecordKind::Freed).a(G2);
    b.op(RecordKind::CollectStop).v(0).v(2).v(0);
    for (const std::uint64_t p : P) b.fresh(p, 3);
    b.op(RecordKind::CollectStart).v(0).v(0).v(4).v(1).v(0).v(5);
    b.a(N).v(3).v(1).v(0).v(0);
    for (const std::uint64_t p : P) b.a(p).v(3).v(1).v(0).v(0);
    b.op(RecordKind::CollectStop).v(0).v(0).v(0);
    b.end();
    const Imported r = import_and_replay(b, ImportMode::Events, "cpython-3.12");
    check_collections(r, {2, 0});  // and the second collection's `expect count` held
}

}  // namespace
}  // namespace heapsim

// `heapsim import` into .htb names its objects by numbered ids
// (trace_formats/numbered_ids.h) instead of interning "oN": the trace must be
// byte for byte the one the interned names give, in both modes.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "tests/unit/recording/recording_builder.h"
#include "trace_formats/htb_writer.h"

namespace heapsim {
namespace {

using test::Builder;

// 200 objects in pairs that refer to each other; a generation-0 collection
// finds every other pair garbage; then some survivors die.
Builder pairs_recording() {
    Builder b;
    b.header().type(3, "Node");
    constexpr std::uint64_t kBase = 0x7f0000100000;
    constexpr int kObjects = 200;
    for (int i = 0; i < kObjects; ++i) b.fresh(kBase + 64 * i, 3);
    b.op(RecordKind::CollectStart).v(0).v(0).v(kObjects).v(0).v(0).v(kObjects);
    for (int i = 0; i < kObjects; ++i) {
        const bool held = (i / 2) % 2 == 0;  // referred to from outside
        b.a(kBase + 64 * i).v(3).v(held ? 2 : 1).v(0).v(1).a(kBase + 64 * (i ^ 1));
    }
    b.op(RecordKind::CollectStop).v(0).v(kObjects / 2).v(0);
    for (int i = 0; i < kObjects; i += 8) {
        b.op(RecordKind::Dealloc).a(kBase + 64 * i).op(RecordKind::Freed).a(kBase + 64 * i);
        b.fresh(kBase + 64 * i, 3);  // its block reused by a new object
    }
    return b.end();
}

std::string import_to_htb(const Builder& b, ImportMode mode, bool numbered,
                          HtbWriterOptions options) {
    SymbolTable symbols;
    std::ostringstream out;
    HtbTraceWriter writer(out, symbols, options);
    SnapshotImporter importer(
        symbols, [&](const Event& e) { writer.write(e); }, mode);
    if (numbered) {
        REQUIRE(writer.accept_numbered_ids());
        importer.use_numbered_ids();
    }
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    std::string error;
    REQUIRE(importer.run(reader, error));
    REQUIRE(writer.finish());
    // Numbered: no object id went into the table (only the type's name).
    if (numbered) CHECK(symbols.size() < 5);
    return out.str();
}

TEST_CASE("import to .htb: numbered ids give the trace the interned ids give") {
    const Builder b = pairs_recording();
    for (const ImportMode mode : {ImportMode::Snapshot, ImportMode::Events}) {
        for (const std::uint32_t limit : {7u, htb::kDictionaryLimit}) {
            HtbWriterOptions options;
            options.dictionary_limit = limit;
            options.block_size = limit < 100 ? 512 : htb::kTargetBlock;
            CAPTURE(static_cast<int>(mode));
            CAPTURE(limit);
            const std::string interned = import_to_htb(b, mode, false, options);
            CHECK(interned.size() > 2000);
            CHECK(import_to_htb(b, mode, true, options) == interned);
        }
    }
}

}  // namespace
}  // namespace heapsim

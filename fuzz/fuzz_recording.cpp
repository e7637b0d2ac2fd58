// Fuzz target: a heapsim_record recording (docs/recording.md), decompressed,
// through `heapsim import`'s decoder and snapshot conversion, and the trace
// it writes through the cpython-3.11 model; then through the events-mode
// conversion and the cpython-3.12 model.
//
// Invariants: no crash, no undefined behaviour, no leak; and when the
// snapshot import accepts a recording, every event it wrote is one the model
// accepts (the import must never write an invalid trace). Events mode
// accepts the same recordings; its events may name objects the model
// collected at another point than a corrupt recording says (a replay under
// other thresholds runs with --lenient), so only the first holds there.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "sim/simulator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace heapsim;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    SymbolTable symbols;
    SimOptions options;
    options.policy = *policy_by_name("cpython-3.11");
    options.max_objects = 100000;  // a hostile recording may name many objects
    Simulator sim(options, symbols);
    std::uint64_t n = 0;
    std::uint64_t rejected = 0;
    bool limited = false;
    SnapshotImporter importer(symbols, [&](const Event& e) {
        if (limited) return;
        Event numbered = e;
        numbered.number = numbered.line = ++n;
        if (const auto d = sim.apply(numbered)) {
            if (d->kind == ErrorKind::Limit)
                limited = true;  // the rest would name objects the model refused
            else
                ++rejected;
        }
    });
    ByteSource source = ByteSource::over(bytes);
    RecordingReader reader(source);
    std::string error;
    const bool ok = importer.run(reader, error);
    FUZZ_CHECK(ok == error.empty());
    if (ok) FUZZ_CHECK(rejected == 0);
    sim.finish("fuzz.hsr", n);

    SymbolTable symbols2;
    SimOptions options2 = options;
    options2.policy = *policy_by_name("cpython-3.12");
    Simulator sim2(options2, symbols2);
    std::uint64_t n2 = 0;
    bool limited2 = false;
    SnapshotImporter events(
        symbols2,
        [&](const Event& e) {
            if (limited2) return;
            Event numbered = e;
            numbered.number = numbered.line = ++n2;
            if (const auto d = sim2.apply(numbered); d && d->kind == ErrorKind::Limit)
                limited2 = true;
        },
        ImportMode::Events);
    ByteSource source2 = ByteSource::over(bytes);
    RecordingReader reader2(source2);
    std::string error2;
    FUZZ_CHECK(events.run(reader2, error2) == ok);
    sim2.finish("fuzz.hsr", n2);
    return 0;
}

#pragma once
// Test helpers for recordings: a Builder that writes the recording format
// byte by byte, and an import of its bytes replayed through the model.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "sim/simulator.h"

namespace heapsim::test {

// Writes the recording format: varints, address deltas in words.
struct Builder {
    std::string bytes = "heapsimR";
    std::uint64_t last = 0;

    Builder& v(std::uint64_t x) {
        while (x >= 0x80) {
            bytes.push_back(static_cast<char>((x & 0x7F) | 0x80));
            x >>= 7;
        }
        bytes.push_back(static_cast<char>(x));
        return *this;
    }
    Builder& a(std::uint64_t addr) {
        const auto d = static_cast<std::int64_t>((addr >> 3) - last);
        last = addr >> 3;
        return v((static_cast<std::uint64_t>(d) << 1) ^ static_cast<std::uint64_t>(d >> 63));
    }
    Builder& op(RecordKind k) {
        bytes.push_back(static_cast<char>(k));
        return *this;
    }
    Builder& s(const std::string& str) {
        v(str.size());
        bytes += str;
        return *this;
    }
    Builder& header() {
        v(1).s("cpython 3.12.1 got").v(0x030C01F0).v(0).v(16);
        v(700).v(10).v(10).v(1).v(0).v(0).v(0);
        return *this;
    }
    Builder& type(std::uint32_t tid, const std::string& name, std::uint32_t flags = kTypeGc) {
        return op(RecordKind::Type).v(tid).v(flags).v(56).v(0).s(name);
    }
    Builder& fresh(std::uint64_t addr, std::uint32_t tid) {
        return op(RecordKind::NewFresh).a(addr).v(tid);
    }
    Builder& end() { return op(RecordKind::End).v(0).v(0).v(0).v(0); }
};

struct Imported {
    RunResult result;
    std::vector<std::string> errors;
    std::vector<Event> events;
    std::string import_error;
};

// Imports `b` and replays the events through the cpython-3.11 model (or
// `policy`, with `thresholds` instead of the trace's when given).
inline Imported import_and_replay(
    const Builder& b, ImportMode mode = ImportMode::Snapshot, const char* policy = "cpython-3.11",
    std::optional<std::array<std::int64_t, 3>> thresholds = std::nullopt) {
    SymbolTable symbols;
    SimOptions options;
    options.policy = *policy_by_name(policy);
    if (thresholds) {
        options.policy.thresholds = *thresholds;
        options.policy.follow_trace_thresholds = false;
        options.check_expects = false;
    }
    Simulator sim(options, symbols);
    Imported out;
    std::uint64_t n = 0;
    SnapshotImporter importer(
        symbols,
        [&](const Event& e) {
            Event numbered = e;
            numbered.number = numbered.line = ++n;
            out.events.push_back(numbered);
            if (auto d = sim.apply(numbered)) out.errors.push_back(d->message);
        },
        mode);
    ByteSource source = ByteSource::over(b.bytes);
    RecordingReader reader(source);
    importer.run(reader, out.import_error);
    out.result = sim.finish("rec", n);
    return out;
}

// Checks that `r` imported and replayed without an error, ran exactly the
// collections whose collected counts are `collected`, in order, and met
// every `expect` of the trace.
inline void check_collections(const Imported& r, std::initializer_list<std::uint64_t> collected) {
    CHECK(r.import_error.empty());
    CHECK(r.errors.empty());
    REQUIRE(r.result.collections.size() == collected.size());
    std::size_t i = 0;
    for (const std::uint64_t n : collected) {
        CAPTURE(i);
        CHECK(r.result.collections[i++].collected == n);
    }
    CHECK(r.result.expect_failures.empty());
}

}  // namespace heapsim::test

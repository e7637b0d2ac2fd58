#pragma once
// In-memory workloads shared by the micro-benchmarks: one generated `web`
// trace, in each encoding, built once per process so that every benchmark
// measures the code under test and not the generator.

#include <cstdint>
#include <string>

#include "trace_formats/trace_reader.h"

namespace heapsim::bench {

/// Events in the fixture trace: large enough that a reader's per-call setup
/// does not show, small enough to stay in memory beside the heap.
inline constexpr std::uint64_t kFixtureEvents = 1'000'000;

/// The fixture trace encoded as `format` (Text, JsonLines or Binary), with a
/// file name whose extension selects that encoding.
struct EncodedTrace {
    std::string bytes;
    std::string name_hint;
    std::uint64_t events = 0;
};
const EncodedTrace& fixture_trace(TraceFormat format);

/// A sink that only counts, so a reader benchmark times the reader alone.
class CountingSink final : public EventSink {
public:
    bool on_event(const Event&) override {
        ++events;
        return true;
    }
    bool on_error(const Diagnostic&) override {
        ++errors;
        return false;
    }
    std::uint64_t events = 0, errors = 0;
};

}  // namespace heapsim::bench

#include "bench/workload_fixture.h"

#include <map>
#include <sstream>
#include <stdexcept>

#include "trace_formats/trace_writer.h"
#include "workloads/workload.h"

namespace heapsim::bench {

namespace {

std::string generated_text() {
    WorkloadOptions options;
    options.events = kFixtureEvents;
    options.seed = 1;
    std::ostringstream out;
    write_workload_trace(WorkloadProfile::Web, options, out);
    return out.str();
}

// Converts the text fixture with the same writers `heapsim convert` uses.
EncodedTrace encode(const EncodedTrace& text, const char* name_hint) {
    struct ConvertSink final : EventSink {
        TraceWriter* writer = nullptr;
        bool on_event(const Event& event) override {
            writer->write(event);
            return true;
        }
        bool on_error(const Diagnostic& d) override { throw std::runtime_error(d.message); }
    };
    SymbolTable symbols;
    std::ostringstream out;
    auto writer = make_trace_writer(*encoding_from_name(name_hint), out, symbols);
    ConvertSink sink;
    sink.writer = writer.get();
    read_trace_buffer(text.bytes, text.name_hint, symbols, sink);
    if (!writer->finish()) throw std::runtime_error("cannot encode the fixture trace");
    return {out.str(), name_hint, text.events};
}

EncodedTrace make_fixture(TraceFormat format) {
    EncodedTrace text{generated_text(), "fixture.trace", 0};
    SymbolTable symbols;
    CountingSink counter;
    read_trace_buffer(text.bytes, text.name_hint, symbols, counter);
    if (counter.errors) throw std::runtime_error("the generated fixture trace does not read back");
    text.events = counter.events;
    switch (format) {
        case TraceFormat::JsonLines: return encode(text, "fixture.jsonl");
        case TraceFormat::Binary: return encode(text, "fixture.htb");
        default: return text;
    }
}

}  // namespace

const EncodedTrace& fixture_trace(TraceFormat format) {
    // Benchmarks run one after another on the main thread: no lock needed.
    static std::map<TraceFormat, EncodedTrace> cache;
    auto it = cache.find(format);
    if (it == cache.end()) it = cache.emplace(format, make_fixture(format)).first;
    return it->second;
}

}  // namespace heapsim::bench

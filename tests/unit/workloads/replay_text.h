#pragma once
// Replays a text trace through the simulator (cpython-3.11 unless told), collecting every
// diagnostic instead of stopping: the generators' tests assert there are none.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"

namespace heapsim::test {

struct Replay {
    RunResult result;
    std::uint64_t events = 0;
    std::size_t symbols = 0;
    std::vector<std::string> diagnostics;  // "LINE: message"
};

inline Replay replay(const std::string& text, const char* policy = "cpython-3.11") {
    struct Sink : EventSink {
        Simulator& sim;
        std::vector<std::string>& diagnostics;
        Sink(Simulator& s, std::vector<std::string>& d) : sim(s), diagnostics(d) {}
        bool on_event(const Event& ev) override {
            if (auto d = sim.apply(ev)) {
                diagnostics.push_back(std::to_string(d->line) + ": " + d->message);
                sim.note_skipped(*d);
            }
            return true;
        }
        bool on_error(const Diagnostic& d) override {
            diagnostics.push_back(std::to_string(d.line) + ": " + d.message);
            return !d.fatal;
        }
    };
    SymbolTable symbols;
    SimOptions options;
    options.policy = *policy_by_name(policy);
    Simulator sim(options, symbols);
    Replay out;
    Sink sink(sim, out.diagnostics);
    const ReadSummary read = read_trace_buffer(text, "gen.trace", symbols, sink);
    out.events = read.events;
    out.result = sim.finish("gen.trace", read.events);
    out.symbols = symbols.size();
    return out;
}

}  // namespace heapsim::test

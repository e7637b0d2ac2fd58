#pragma once
// Runs a trace written inline in a test through the real text reader and the
// simulator; any reader or simulator diagnostic fails the test.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"

namespace heapsim::test {

struct Outcome {
    RunResult result;
    std::vector<std::string> errors;  // "LINE: message"
};

inline Outcome run_trace(const std::string& text, const char* policy = "cpython-3.11") {
    struct Sink : EventSink {
        Simulator& sim;
        std::vector<std::string>& errors;
        Sink(Simulator& s, std::vector<std::string>& e) : sim(s), errors(e) {}
        bool on_event(const Event& ev) override {
            if (auto d = sim.apply(ev)) {
                errors.push_back(std::to_string(d->line) + ": " + d->message);
                sim.note_skipped(*d);
            }
            return true;
        }
        bool on_error(const Diagnostic& d) override {
            errors.push_back(std::to_string(d.line) + ": " + d.message);
            return !d.fatal;
        }
    };
    SymbolTable symbols;
    SimOptions options;
    options.policy = *policy_by_name(policy);
    Simulator sim(options, symbols);
    Outcome out;
    Sink sink(sim, out.errors);
    const ReadSummary read = read_trace_buffer(text, "test.trace", symbols, sink);
    out.result = sim.finish("test.trace", read.events);
    return out;
}

/// Runs a trace that must be valid and whose expect lines must all hold.
inline RunResult run_ok(const std::string& text, const char* policy = "cpython-3.11") {
    Outcome out = run_trace(text, policy);
    for (const auto& e : out.errors) FAIL_CHECK("unexpected diagnostic: " << e);
    for (const auto& f : out.result.expect_failures)
        FAIL_CHECK("line " << f.line << ": " << f.message);
    return out.result;
}

inline std::vector<std::string> finalizer_ids(const RunResult& r) {
    std::vector<std::string> ids;
    for (const auto& f : r.finalizers) ids.push_back(f.id);
    return ids;
}

inline std::vector<std::string> callback_labels(const RunResult& r) {
    std::vector<std::string> labels;
    for (const auto& c : r.weakref_callbacks) labels.push_back(c.label);
    return labels;
}

}  // namespace heapsim::test

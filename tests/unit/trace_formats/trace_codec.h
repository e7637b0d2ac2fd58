#pragma once
// Test helpers for the trace writers: read a trace held in a string and write
// it again in another encoding, all in memory.

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "events/symbol_table.h"
#include "trace_formats/htb_writer.h"
#include "trace_formats/trace_reader.h"
#include "trace_formats/trace_writer.h"

namespace heapsim::test {

/// Hands every event to a writer; records diagnostics (lenient: goes on).
class WritingSink : public EventSink {
  public:
    explicit WritingSink(TraceWriter& writer) : writer_(writer) {}
    bool on_event(const Event& event) override {
        writer_.write(event);
        return true;
    }
    bool on_error(const Diagnostic& diagnostic) override {
        errors.push_back(diagnostic);
        return false;
    }
    void on_interpreter(const TraceInterpreter& interpreter) override {
        carried = writer_.set_interpreter(interpreter);
    }
    std::vector<Diagnostic> errors;
    bool carried = false;  // the writer took the trace's interpreter

  private:
    TraceWriter& writer_;
};

/// `bytes` (encoding picked by `in_name`) rewritten in the encoding that
/// `out_name` names; fails the test on any diagnostic.
inline std::string rewrite(const std::string& bytes, const std::string& in_name,
                           const std::string& out_name) {
    SymbolTable symbols;
    std::ostringstream out;
    const std::optional<OutputEncoding> encoding = encoding_from_name(out_name);
    REQUIRE(encoding.has_value());
    const std::unique_ptr<TraceWriter> writer = make_trace_writer(*encoding, out, symbols);
    WritingSink sink(*writer);
    read_trace_buffer(bytes, in_name, symbols, sink);
    for (const Diagnostic& d : sink.errors) FAIL_CHECK(in_name << ":" << d.line << ": " << d.message);
    REQUIRE(sink.errors.empty());
    REQUIRE(writer->finish());
    return out.str();
}

/// `bytes` rewritten as binary with explicit writer options.
inline std::string to_htb(const std::string& bytes, const std::string& in_name,
                          HtbWriterOptions options) {
    SymbolTable symbols;
    std::ostringstream out;
    HtbTraceWriter writer(out, symbols, options);
    WritingSink sink(writer);
    read_trace_buffer(bytes, in_name, symbols, sink);
    REQUIRE(sink.errors.empty());
    REQUIRE(writer.finish());
    return out.str();
}

}  // namespace heapsim::test

#pragma once
// Entry point of every trace encoding. A reader pushes Events into a sink,
// one at a time, so memory never grows with the trace's length.
//
//   read_trace("app.trace.zst", symbols, sink);
//
// Compression (.gz, .zst) is detected by magic bytes, the encoding (text,
// JSON Lines, JSON document, binary .htb) by the file name and the first
// (decompressed) bytes; "-" reads standard input.

#include <cstdint>
#include <optional>
#include <string>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/interpreter_record.h"

namespace heapsim {

class EventSink {
public:
    virtual ~EventSink() = default;
    /// One well-formed event. Return false to stop reading.
    virtual bool on_event(const Event& event) = 0;
    /// One malformed event (or an I/O failure, with `fatal` set). Return true
    /// to skip it and go on (lenient), false to stop. Fatal ones always stop.
    virtual bool on_error(const Diagnostic& diagnostic) = 0;
    /// The interpreter the trace names (interpreter_record.h), before its
    /// first event. Most sinks do not care.
    virtual void on_interpreter(const TraceInterpreter& /*interpreter*/) {}
};

enum class TraceFormat { Text, JsonLines, JsonDocument, Binary };

struct ReadSummary {
    std::uint64_t events = 0;  // events numbered, bad ones included
    TraceFormat format = TraceFormat::Text;
    bool stopped = false;      // the sink or an error ended the read early
};

/// Reads the whole trace at `path` ("-" = standard input) into `sink`.
ReadSummary read_trace(const std::string& path, SymbolTable& symbols, EventSink& sink);

/// Reads a trace held in memory (tests, fuzzing). `name_hint` picks the
/// encoding by extension like a path would ("x.jsonl"); compression is still
/// detected by magic bytes.
ReadSummary read_trace_buffer(const std::string& bytes, const std::string& name_hint,
                              SymbolTable& symbols, EventSink& sink);

/// The interpreter the trace at `path` names before its first event, read
/// from its beginning only; nullopt when it names none, for standard input
/// ("-", which cannot be read twice) and for a trace that cannot be read.
std::optional<TraceInterpreter> peek_trace_interpreter(const std::string& path);

}  // namespace heapsim

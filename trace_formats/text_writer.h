#pragma once
// Writes Events as canonical text (*.trace), exactly as text_reader.h reads
// them back:
//   - a `heaptrace 1` header line first;
//   - one event per line, tokens separated by one space, options last
//     (type: flags in the order gc weakrefable finalizer legacy_finalizer
//     instance, then size= and slots=; alloc: refs, then size= and site=);
//   - `@NS ` before an event only when its time differs from the previous
//     event's (0 before the first), which is what the reader inherits;
//   - `collect` always with its generation.
// Comments and blank lines of the original are not events and are gone; the
// last line is the end-of-trace record `# end events=N` (end_record.h).

#include <optional>
#include <ostream>

#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/chunked_output.h"
#include "trace_formats/trace_writer.h"

namespace heapsim {

class TextTraceWriter final : public TraceWriter {
  public:
    TextTraceWriter(std::ostream& out, const SymbolTable& symbols);
    void write(const Event& event) override;
    /// Adds the interpreter record (interpreter_record.h) to the header.
    bool set_interpreter(const TraceInterpreter& interpreter) override;
    /// Writes the end-of-trace record (end_record.h) and flushes.
    bool finish() override;

  private:
    void symbol(Sym s) {
        out_.put(' ');
        out_.put(symbols_.str(s));
    }
    void option(std::string_view name, std::int64_t value);
    void type(const Event& event);
    void alloc(const Event& event);
    void expect(const Event& event);
    void numbers(const Event& event);
    void header();

    ChunkedOutput out_;
    const SymbolTable& symbols_;
    std::uint64_t last_time_ = 0;
    std::uint64_t events_ = 0;
    std::optional<TraceInterpreter> interpreter_;
    bool header_written_ = false;  // the header waits for set_interpreter
};

}  // namespace heapsim

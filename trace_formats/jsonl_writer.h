#pragma once
// Writes Events as JSON Lines (*.jsonl), one object per line, as
// jsonl_reader.h reads them back. Members come in a fixed order: "ev", "t"
// (only when the time differs from the previous event's, as the reader
// inherits it), then the operands under the names of the spec; ids are
// always JSON strings; type flags appear only when true.

#include <ostream>

#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/chunked_output.h"
#include "trace_formats/trace_writer.h"

namespace heapsim {

class JsonLinesTraceWriter final : public TraceWriter {
  public:
    JsonLinesTraceWriter(std::ostream& out, const SymbolTable& symbols);
    void write(const Event& event) override;
    bool finish() override { return out_.finish(); }

  private:
    void member(std::string_view name);  // ,"name":
    void string_member(std::string_view name, Sym s);
    void number_member(std::string_view name, std::uint64_t value);
    void string_value(std::string_view text);
    void values(const Event& event);
    void operands(const Event& event);
    void type(const Event& event);
    void alloc(const Event& event);
    void expect(const Event& event);

    ChunkedOutput out_;
    const SymbolTable& symbols_;
    std::uint64_t last_time_ = 0;
};

}  // namespace heapsim

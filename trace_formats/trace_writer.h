#pragma once
// The way back from Events to bytes: one writer per encoding (text, JSON
// Lines, binary), optionally compressed, chosen by the output's name.
//
//   auto writer = make_trace_writer(*encoding_from_name("out.htb.zst"), file, symbols);
//   ... writer->write(event) for every event ...
//   if (!writer->finish()) ... the output failed ...
//
// Writers stream: each buffers at most one block or a few kilobytes of
// lines before handing them to the output, whatever the trace's length.

#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

class TraceWriter {
  public:
    virtual ~TraceWriter() = default;
    /// Appends one well-formed event (as a reader delivers it).
    virtual void write(const Event& event) = 0;
    /// Names the interpreter the trace was recorded on; call before the
    /// first event. False when the encoding has no place for it (JSON Lines,
    /// .htb: neither has a header that a v1 reader would let an addition pass).
    virtual bool set_interpreter(const TraceInterpreter& /*interpreter*/) { return false; }
    /// Whether the events may name numbered ids (trace_formats/numbered_ids.h)
    /// that are in no SymbolTable; asked before the first event. The .htb
    /// writer accepts them, the text and JSON Lines writers do not.
    virtual bool accept_numbered_ids() { return false; }
    /// Ends the trace (trailer, end of the compressed stream) and flushes.
    /// False when the output failed at any point.
    virtual bool finish() = 0;
};

/// What a writer produces: an encoding (Text, JsonLines or Binary) and a
/// compression.
struct OutputEncoding {
    TraceFormat format = TraceFormat::Text;
    Compression compression = Compression::None;
};

/// From a file name: .trace/.txt = text, .jsonl = JSON Lines, .htb = binary,
/// each optionally followed by .gz or .zst. nullopt for any other name.
std::optional<OutputEncoding> encoding_from_name(std::string_view name);
/// From a format name as `--to` takes it: text, jsonl or htb, optionally
/// followed by .gz or .zst ("htb.zst"). nullopt for anything else.
std::optional<OutputEncoding> encoding_from_format_name(std::string_view name);

/// A writer for `encoding` into `out`; strings are looked up in `symbols`,
/// which must outlive the writer and hold every symbol the events name.
std::unique_ptr<TraceWriter> make_trace_writer(const OutputEncoding& encoding, std::ostream& out,
                                               const SymbolTable& symbols);

}  // namespace heapsim

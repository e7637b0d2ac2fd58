#pragma once
// The JSON document form (*.json): {"format":"heaptrace","version":1,
// "events":[ ... ]}. It is streamed through nlohmann's SAX parser chunk by
// chunk, never loaded whole, and each event is delivered as soon as its
// object closes. Event::line is the event's 1-based index in "events".
//
// The header members may come in any order (a writer that sorts keys puts
// "events" first); a wrong "format" or "version" is fatal as soon as it is
// read, a missing one when the document ends. A JSON syntax error is fatal,
// since nothing after it can be located reliably.

#include "events/symbol_table.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

/// Reads a whole JSON document trace from `source` into `sink`.
ReadSummary read_json_document(ByteSource& source, SymbolTable& symbols, EventSink& sink);

}  // namespace heapsim

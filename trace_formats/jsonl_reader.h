#pragma once
// JSON Lines (*.jsonl): one JSON object per line, the event name in "ev" and
// the operands by name. A line of the common flat shape is scanned by hand
// (json_flat_scanner.h); any other line goes through nlohmann's SAX
// interface. Both feed a JsonEventBuilder directly, so no DOM is built per
// line. A malformed line is one bad event; the next line starts afresh.

#include <cstdint>
#include <string>
#include <string_view>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/json_event_builder.h"
#include "trace_formats/line_reader.h"
#include "trace_formats/line_trace_loop.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

class JsonLineParser {
  public:
    /// `fast_path` false sends every line through nlohmann (for tests that
    /// compare the two paths).
    explicit JsonLineParser(SymbolTable& symbols, bool fast_path = true);

    /// Parses one line, as TextLineParser::parse does.
    LineOutcome parse(const Line& line, Event& event, Diagnostic& error);
    std::uint64_t events_numbered() const { return number_; }

  private:
    bool parse_object(std::string_view text, Diagnostic& error);
    /// The writer-shape fast path (json_writer_shape_events.cpp) on `line`,
    /// in a padded copy if the line has no padding.
    bool scan_shape(const Line& line, Event& event);

    static constexpr std::size_t kCopiedLine = 256;
    JsonEventBuilder builder_;
    bool fast_path_;
    std::uint64_t number_ = 0;
};

/// Reads a whole JSON Lines trace from `source` into `sink`.
ReadSummary read_jsonl_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink);

/// "malformed JSON at [line L, ]column C: <nlohmann's explanation>" from
/// nlohmann's exception text; `one_line` drops its line (always 1 there).
std::string malformed_json_message(const std::string& what, bool one_line);

}  // namespace heapsim

#pragma once
// A fast path for JSON Lines: almost every event line is one flat object of
// plain strings, small non-negative integers, booleans and arrays of those.
// Scanning that shape by hand is several times faster than nlohmann's
// general parser (which sets up a lexer, with allocations, for every line).
//
// The scanner accepts only input on which nlohmann would report exactly the
// same SAX events; anything else (escapes, non-ASCII, negative or
// fractional numbers, nesting, any syntax error) makes it give up, and the
// caller parses the line with nlohmann, so the meaning of a line and the
// wording of every JSON error are nlohmann's either way.

#include <string_view>

#include "trace_formats/json_event_builder.h"

namespace heapsim {

/// Feeds `line` to `builder` (begin() through the closing end_object()) and
/// returns true if it has the common flat shape; returns false as soon as
/// it does not, leaving `builder` half-fed: the caller starts it afresh.
bool scan_flat_event(std::string_view line, JsonEventBuilder& builder);

}  // namespace heapsim

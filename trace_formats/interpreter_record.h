#pragma once
// The interpreter record of the text form: a comment line right after the
// header that names the interpreter a trace was recorded on,
//
//   # interpreter: cpython 3.12.1 build=default
//
// written by `heapsim import` (and carried by `convert`). Like the
// end-of-trace record (end_record.h) it is a comment, so every format-v1
// reader ignores it; `heapsim run` without --policy replays the trace with
// that interpreter's policy (spec recorder.md, "Importing and replaying").

#include <optional>
#include <string>
#include <string_view>

namespace heapsim {

struct TraceInterpreter {
    std::string implementation;  // "cpython"
    std::string version;         // "3.12.1"
    std::string build;           // "default" or "free-threaded"
    bool operator==(const TraceInterpreter&) const = default;
};

/// "# interpreter: cpython 3.12.1 build=default" (without a newline).
std::string interpreter_record_line(const TraceInterpreter& interpreter);

/// The interpreter when `line` is exactly an interpreter record (spaces and
/// tabs around it allowed), else nullopt: any other comment stays a comment.
std::optional<TraceInterpreter> parse_interpreter_record(std::string_view line);

/// "cpython 3.12.1 build=default": the record without its "# interpreter:"
/// prefix, as the JSON document's "interpreter" member holds it.
std::string interpreter_text(const TraceInterpreter& interpreter);
/// The inverse of interpreter_text; nullopt unless `text` is exactly that shape.
std::optional<TraceInterpreter> parse_interpreter_text(std::string_view text);

/// From a recording's interpreter string ("cpython 3.12.1 got",
/// "cpython 3.13.0 prerelease reftracer"); nullopt when it names no version.
std::optional<TraceInterpreter> interpreter_from_recording(std::string_view text);

/// "cpython 3.12.1 (default build)", for messages and report headers.
std::string describe(const TraceInterpreter& interpreter);

}  // namespace heapsim

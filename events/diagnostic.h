#pragma once
// Errors are values: a reader or the simulator returns a Diagnostic, and only
// the CLI decides whether it stops the run (strict) or is counted (--lenient).

#include <cstdint>
#include <string>

namespace heapsim {

/// What went wrong, for `--lenient` counts. Names via error_kind_name().
enum class ErrorKind : std::uint8_t {
    Syntax,          // malformed line / JSON, unknown token, missing operand
    UnknownEvent,    // event name not in the format
    BadToken,        // id/name/key/type token with bad characters or length
    BadNumber,       // not a number, negative, or overflowing its range
    Timestamp,       // timestamp decreasing
    Header,          // unsupported format version
    UnknownType,     // alloc of an undeclared type
    TypeRedeclared,  // type declared twice, or a built-in redeclared
    UnknownId,       // id not live (never allocated, or freed)
    LiveId,          // alloc/weakref reusing the id of a live object
    UnboundName,     // unbind of a name that is not bound
    NotContainer,    // append/set/... on an object that cannot hold references
    NotWeakrefable,  // weakref to a type that does not support it
    DuplicateWeakref,// second callback-less weakref to one target
    SlotsExhausted,  // more distinct keys than a slots=K type has
    NoSuchRef,       // remove/unset of a reference or key the container lacks
    NotTemporary,    // drop of an object whose creation reference is gone
    InvalidGeneration, // collect GEN outside 0..2
    Truncated,       // the last line has no newline: the trace was cut
    Io,              // unreadable file, corrupt compressed stream
    Limit,           // --max-objects / --max-memory reached, memory exhausted (exit status 3)
    Internal,        // a bug: an unexpected exception inside a replay (exit status 70)
};
inline constexpr int kErrorKindCount = static_cast<int>(ErrorKind::Internal) + 1;

const char* error_kind_name(ErrorKind kind);

struct Diagnostic {
    ErrorKind kind = ErrorKind::Syntax;
    std::uint64_t line = 0;   // 0 when not tied to a line
    std::uint64_t event = 0;  // event number, 0 when unknown
    std::string message;      // names the event and the offending token
    bool fatal = false;       // the reader cannot go on (even with --lenient)
};

/// How diagnostics name a trace: the path as given, "-" shown as "<stdin>".
std::string display_path(const std::string& path);

/// "FILE:LINE: message", or "FILE: message" when the diagnostic has no line.
/// FILE is the path as given, with "-" shown as "<stdin>".
std::string format_diagnostic(const std::string& path, std::uint64_t line, const std::string& message);

}  // namespace heapsim

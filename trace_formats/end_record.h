#pragma once
// The end-of-trace record of the text form: a comment line
//
//   # end events=N
//
// that heapsim's own writers (`gen`, `convert`) put after the last event. It
// is a comment, so every format-v1 reader ignores it (spec trace-format.md:
// `#` starts a comment); heapsim's reader checks it when present: N must be
// the number of events before it, and no event may follow it. A trace cut
// at a line boundary, which no other check can see, then fails loudly
// (docs/trace-format.md, "End-of-trace record"). Traces without it are read
// as before.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heapsim {

/// "# end events=N" (without a newline).
std::string end_record_line(std::uint64_t events);

/// The promise line "# end-record: promised".
inline constexpr std::string_view kEndRecordPromise = "# end-record: promised";

/// Whether `line` is the promise (spaces and tabs around it allowed).
bool is_end_record_promise(std::string_view line);

/// N when `line` is exactly an end-of-trace record (spaces and tabs around
/// it allowed), else nullopt: any other comment stays a plain comment.
std::optional<std::uint64_t> parse_end_record(std::string_view line);

}  // namespace heapsim

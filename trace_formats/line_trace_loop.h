#pragma once
// The read loop of the line-oriented encodings (text, JSON Lines): split the
// source into lines, let the encoding's parser turn each into an Event or a
// Diagnostic, and hand it to the sink, which decides whether to go on.
// A template over the parser, so the per-line call is direct, not virtual.

#include <algorithm>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/line_reader.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

enum class LineOutcome {
    Skip,         // blank, comment, header
    Interpreter,  // the interpreter record (parser.interpreter())
    Event,        // a well-formed event
    Error,        // a bad line; the diagnostic carries its line and event number
};

/// Parser: LineOutcome parse(const Line&, Event&, Diagnostic&) and
/// std::uint64_t events_numbered() const.
template <class Parser>
ReadSummary read_line_trace(ByteSource& source, Parser& parser, EventSink& sink,
                            TraceFormat format) {
    ReadSummary summary;
    summary.format = format;
    LineReader lines(source);
    Line line;
    Event event;
    Diagnostic error;
    bool fatal = false;  // a fatal diagnostic must be the last the sink hears
    while (!summary.stopped) {
        // A parser that can find the newline while classifying the line
        // reads its good common lines in place, one call per line; any
        // other line (0 returned) goes through the LineReader below.
        if constexpr (requires(const char* p, std::size_t n) {
                          parser.parse_buffered(p, n, std::uint64_t{1}, event);
                      }) {
            std::size_t avail = 0;
            const char* const p = lines.peek(avail);
            if (const std::size_t taken =
                    parser.parse_buffered(p, avail, lines.next_number(), event)) {
                lines.take_line(taken - 1);
                summary.stopped = !sink.on_event(event);
                continue;
            }
        }
        if (!lines.next(line)) break;
        switch (parser.parse(line, event, error)) {
            case LineOutcome::Skip:
                break;
            case LineOutcome::Interpreter:
                if constexpr (requires { parser.interpreter(); })
                    sink.on_interpreter(parser.interpreter());
                break;
            case LineOutcome::Event:
                summary.stopped = !sink.on_event(event);
                break;
            case LineOutcome::Error:
                fatal = error.fatal;
                summary.stopped = !sink.on_error(error) || fatal;
                break;
        }
    }
    if (summary.stopped && !fatal && source.compression() != Compression::None) {
        // A corrupt gzip member decodes to garbage that only its trailing
        // checksum exposes; read on (boundedly) so that the run reports the
        // corruption rather than whatever line the garbage broke first.
        std::vector<char> rest(64 * 1024);
        for (std::size_t left = 64u << 20; left > 0 && source.error() == nullptr;) {
            const std::size_t got = source.read(rest.data(), rest.size());
            if (got == 0) break;
            left -= std::min(left, got);
        }
    }
    if (!fatal && source.error() != nullptr) {
        sink.on_error(*source.error());
        summary.stopped = true;
    } else if constexpr (requires { parser.at_end(error); }) {
        // Checks that need the whole input (the text form's end-of-trace record).
        if (!summary.stopped && !parser.at_end(error)) summary.stopped = !sink.on_error(error);
    }
    summary.events = parser.events_numbered();
    return summary;
}

}  // namespace heapsim

#pragma once
// The text form (*.trace): one event per line, tokens separated by spaces or
// tabs, `#` comments, an optional `heaptrace 1` header, optional `@NS`
// timestamps and trailing `key=value` options (spec: trace-format.md).
//
// Built for speed (millions of events per second on one core): tokens are
// views into the line buffer, the token and reference vectors are reused
// from line to line, and strings are interned only once a line is known to
// be valid. Nothing on the path of a good line allocates once warm.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/line_reader.h"
#include "trace_formats/line_trace_loop.h"
#include "trace_formats/pinned_symbol_cache.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

struct Signature;

/// A token of the current line, with the class bits (kIdChar, kNameChar)
/// that all its bytes share, found while splitting the line, so checking it
/// against a token rule needs no second pass over its bytes.
struct TextToken {
    std::string_view text;
    std::uint8_t chars = 0;
};

class TextLineParser {
  public:
    /// `fast_path` false sends every line through the general parser (for
    /// tests that compare the two paths).
    /// `wide_simd` false keeps the fast path on its SSE2 classification even
    /// on a CPU with AVX2 (for tests that compare the two).
    explicit TextLineParser(SymbolTable& symbols, bool fast_path = true, bool wide_simd = true);

    /// Parses one line. For Event, `event` is filled (its refs stay valid
    /// until the next call); for Error, `error` carries line and event number.
    LineOutcome parse(const Line& line, Event& event, Diagnostic& error);
    /// The whole of a common line in one call (read_line_trace's fast
    /// loop): the line at p, of the `avail` buffered bytes (kLinePadding
    /// readable after them), numbered `number`, is classified once with
    /// its newline found in the same masks and parsed in place. For a good
    /// common event of under kMaskedLine bytes, `event` is filled and
    /// numbered as parse() would and the bytes taken (the newline's
    /// included) are returned; for any other line 0, having changed
    /// nothing, and parse() takes it (text_short_events.cpp).
    std::size_t parse_buffered(const char* p, std::size_t avail, std::uint64_t number,
                               Event& event) {
        if (!buffered_ || avail == 0 || number == 1 || end_line_ != 0) return 0;
        return parse_buffered_avx2(p, avail, number, event);
    }
    std::uint64_t events_numbered() const { return number_; }
    /// The last interpreter record read (after LineOutcome::Interpreter).
    const TraceInterpreter& interpreter() const { return interpreter_; }
    /// At the end of the input: false (and `error`) when the trace promised
    /// an end-of-trace record and has none (end_record.h).
    bool at_end(Diagnostic& error) const;

    /// An operand of the fast path (text_common_events.cpp): where it is and
    /// the token classes all its bytes share.
    struct FastToken {
        const char* data;
        std::uint32_t length;
        std::uint8_t chars;
        std::string_view view() const { return {data, length}; }
    };

  private:
    using Tokens = std::span<const TextToken>;

    /// The symbol of an object id (every ID, REF and TARGET operand): the
    /// one place where ids are interned, so their namespace can change here.
    Sym id_of(std::string_view id) { return symbols_.intern_id(id); }
    Sym id_of(const char* p, std::size_t n) { return id_of(std::string_view(p, n)); }
    /// The fast path: true when `text` is a well-formed event of a common
    /// kind, with `event` filled but for its number and line; false, having
    /// interned nothing, for any other line (text_common_events.cpp).
    bool scan_common(std::string_view text, Event& event);
    /// The same for a line of at most kMaskedLine bytes at p with
    /// kLinePadding readable bytes after it (text_short_events.cpp).
    bool scan_short(const char* p, std::size_t n, Event& event);
    /// scan_short with the line's masks classified 32 bytes at a time.
    bool scan_short_avx2(const char* p, std::size_t n, Event& event);
    std::size_t parse_buffered_avx2(const char* p, std::size_t avail, std::uint64_t number,
                                    Event& event);
    /// scan_short's work once the line is classified (`m`: blank, name, id
    /// and label are read): inlined into both classifications.
    bool scan_masked(const char* p, std::size_t n, const ByteMasks& m, Event& event);
    /// The fast paths for `line`: scan_short (in a padded copy if the line
    /// has no padding), else scan_common.
    bool scan_fast(const Line& line, std::string_view text, Event& event);

    void tokenize(std::string_view text);
    LineOutcome header(Diagnostic& error);
    LineOutcome long_line(const Line& line, Diagnostic& error);
    LineOutcome truncated_line(const Line& line, Diagnostic& error);
    LineOutcome end_record(const Line& line, std::uint64_t events, Diagnostic& error);
    bool parse_event(Event& event, Diagnostic& error);
    bool parse_timestamp(std::string_view label, std::string_view token, Event& event,
                         Diagnostic& error);
    bool parse_operands(std::string_view label, Tokens args, Tokens options, Event& event,
                        Diagnostic& error);

    bool parse_type(Tokens args, Tokens options, Event& event, Diagnostic& error);
    bool parse_alloc(Tokens args, Tokens options, Event& event, Diagnostic& error);
    bool parse_weakref(Tokens args, Tokens options, Event& event, Diagnostic& error);
    bool parse_collect(Tokens args, Event& event, Diagnostic& error);
    bool parse_gc(Tokens args, Event& event, Diagnostic& error);
    bool parse_threshold(Tokens args, Event& event, Diagnostic& error);
    bool parse_expect(Tokens args, Event& event, Diagnostic& error);
    bool parse_numbers(std::string_view label, const char* role, Tokens tokens, std::uint64_t max,
                       Event& event, Diagnostic& error);

    bool check_symbols(std::string_view label, const Signature& signature, Tokens args,
                       Diagnostic& error) const;
    void intern_symbols(const Signature& signature, Tokens args, Event& event);
    bool read_options(std::string_view label, Tokens options,
                      std::span<const std::string_view> names,
                      std::optional<std::string_view>* values, Diagnostic& error) const;

    SymbolTable& symbols_;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<TextToken> tokens_;     // reused: views into the current line
    std::size_t first_option_ = kNone;  // index in tokens_ of the first key=value
    std::size_t last_plain_ = kNone;    // index in tokens_ of the last other token
    std::vector<Sym> refs_;             // reused: alloc's references
    std::uint64_t number_ = 0;          // events numbered so far
    std::uint64_t last_time_ = 0;       // timestamp of the last good event
    TraceInterpreter interpreter_;
    bool seen_content_ = false;       // a header or an event was read
    std::uint64_t end_line_ = 0;      // line of the end-of-trace record, 0 = none yet
    std::uint64_t promise_line_ = 0;  // line of the promise of one, 0 = none
    std::uint64_t last_line_ = 0;     // last line read

    bool fast_path_;
    bool avx2_ = false;      // scan_short classifies with AVX2 (cpu_has_avx2())
    bool buffered_ = false;  // parse_buffered runs: the fast path with AVX2
    static constexpr std::size_t kFastTokens = 16;  // more operands: the general path
    FastToken fast_[kFastTokens];                   // the fast path's operands
    PinnedSymbolCache pinned_;                      // the fast paths' names, keys, types, sites
    // The Event the short fast path last filled: its fields outside that
    // path's (decl, action, label, values, ...) are still Event{}'s, so the
    // next fast event into it writes only its own fields. The general
    // parser, which may set any field, clears it. Callers hand parse() the
    // same Event untouched between calls, or a fresh one.
    const Event* clean_event_ = nullptr;
};

/// Reads a whole text trace from `source` into `sink`.
ReadSummary read_text_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink);

}  // namespace heapsim

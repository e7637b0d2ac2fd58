#include "trace_formats/text_reader.h"

#include "trace_formats/end_record.h"
#include "trace_formats/interpreter_record.h"

#include <array>
#include <string>

#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The tokenizer's view of a byte: the token character classes of
// operand_rules.h, plus kStop for the bytes that end a token.
constexpr std::uint8_t kStop = 4;
constexpr std::array<std::uint8_t, 256> kLineBytes = [] {
    std::array<std::uint8_t, 256> table = kTokenChars;
    table[' '] = table['\t'] = table['#'] = kStop;
    return table;
}();

bool is_option(std::string_view token) {
    return token.find('=') != std::string_view::npos;
}

Diagnostic operand_count(std::string_view label, const char* usage, std::size_t got) {
    return make_diagnostic(ErrorKind::Syntax, std::string(label) + ": expected " + usage +
                                                  ", got " + std::to_string(got) +
                                                  (got == 1 ? " operand" : " operands"));
}

bool check(std::string_view label, const char* role, TokenRule rule, const TextToken& token,
           Diagnostic& error) {
    return check_token_given(label, role, rule, token.text, token.chars, error);
}

}  // namespace

TextLineParser::TextLineParser(SymbolTable& symbols, bool fast_path, bool wide_simd)
    : symbols_(symbols), fast_path_(fast_path) {
#if defined(HEAPSIM_AVX2_PATH)
    avx2_ = wide_simd && cpu_has_avx2();
    buffered_ = avx2_ && fast_path;
#else
    (void)wide_simd;
#endif
}

// Splits on spaces and tabs, stopping at `#`. Any other byte (a stray \r,
// binary garbage) stays inside a token and is rejected by the token rules.
// A token is an option when it holds '='; '=' is no NAME character, so only
// tokens that are not NAME-clean need to be searched for it.
void TextLineParser::tokenize(std::string_view text) {
    tokens_.clear();
    first_option_ = kNone;
    last_plain_ = kNone;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (true) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        if (p == end || *p == '#') break;
        const char* const start = p;
        std::uint8_t chars = kIdChar | kNameChar;
        for (; p < end; ++p) {
            const std::uint8_t c = kLineBytes[static_cast<unsigned char>(*p)];
            if (c & kStop) break;
            chars &= c;
        }
        const std::string_view token(start, static_cast<std::size_t>(p - start));
        const std::size_t index = tokens_.size();
        if ((chars & kNameChar) != 0 || !is_option(token)) {
            last_plain_ = index;
        } else if (first_option_ == kNone) {
            first_option_ = index;
        }
        tokens_.push_back(TextToken{token, chars});
    }
}

LineOutcome TextLineParser::parse(const Line& line, Event& event, Diagnostic& error) {
    if (line.too_long) return long_line(line, error);
    std::string_view text = line.text;
    if (line.number == 1 && text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
    last_line_ = line.number;
    if (fast_path_ && !line.unterminated && end_line_ == 0 && scan_fast(line, text, event)) {
        seen_content_ = true;
        event.number = ++number_;
        event.line = line.number;
        last_time_ = event.time_ns;
        return LineOutcome::Event;
    }
    tokenize(text);
    if (line.unterminated) return truncated_line(line, error);
    if (tokens_.empty()) {
        if (const std::optional<std::uint64_t> n = parse_end_record(text))
            return end_record(line, *n, error);
        if (promise_line_ == 0 && is_end_record_promise(text)) promise_line_ = line.number;
        // Only before the first event: a header names the interpreter once.
        if (number_ == 0) {
            if (std::optional<TraceInterpreter> named = parse_interpreter_record(text)) {
                interpreter_ = std::move(*named);
                return LineOutcome::Interpreter;
            }
        }
        return LineOutcome::Skip;
    }
    if (end_line_ != 0) {
        error = make_diagnostic(ErrorKind::Syntax, "event after the end-of-trace record of line " +
                                                       std::to_string(end_line_));
        error.line = line.number;
        error.event = ++number_;
        return LineOutcome::Error;
    }
    if (tokens_[0].text == "heaptrace") {
        const LineOutcome outcome = header(error);
        error.line = line.number;
        return outcome;
    }
    seen_content_ = true;
    event = Event{};
    clean_event_ = nullptr;  // the general parser may set any field
    event.number = ++number_;
    event.line = line.number;
    if (parse_event(event, error)) return LineOutcome::Event;
    error.line = line.number;
    error.event = number_;
    return LineOutcome::Error;
}

// The header is not an event: it is not numbered, and a wrong version is
// fatal because the rest of the file cannot be understood.
LineOutcome TextLineParser::header(Diagnostic& error) {
    if (seen_content_) {
        error = make_diagnostic(ErrorKind::Syntax,
                                "heaptrace: the header must come before the first event");
        return LineOutcome::Error;
    }
    seen_content_ = true;
    if (tokens_.size() != 2) {
        error = make_diagnostic(ErrorKind::Header, "bad header (expected 'heaptrace 1')", true);
        return LineOutcome::Error;
    }
    std::uint64_t version = 0;
    if (parse_decimal(tokens_[1].text, kMaxTimestamp, version) != NumberError::None ||
        version != kFormatVersion) {
        error = unsupported_version(tokens_[1].text);
        return LineOutcome::Error;
    }
    return LineOutcome::Skip;
}

// Only the line's first kMaxLine bytes are at hand. A long comment is still
// a comment; anything else is one bad event.
LineOutcome TextLineParser::long_line(const Line& line, Diagnostic& error) {
    const std::size_t first = line.text.find_first_not_of(" \t");
    if (first != std::string_view::npos && line.text[first] == '#') return LineOutcome::Skip;
    seen_content_ = true;
    error =
        make_diagnostic(ErrorKind::Syntax, "line too long (more than " +
                                               std::to_string(LineReader::kMaxLine) + " bytes)");
    error.line = line.number;
    error.event = ++number_;
    return LineOutcome::Error;
}

// The input ended without a newline: the last line may be any prefix of
// the line that was written (`alloc 12` of `alloc 123 list`), so it is not
// trusted even when it parses. Only blank space is harmless.
LineOutcome TextLineParser::truncated_line(const Line& line, Diagnostic& error) {
    const std::size_t first = line.text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return LineOutcome::Skip;
    error =
        make_diagnostic(ErrorKind::Truncated,
                        "truncated trace: the last line has no newline, so it may be cut short");
    error.line = line.number;
    if (!tokens_.empty()) error.event = ++number_;
    return LineOutcome::Error;
}

bool TextLineParser::at_end(Diagnostic& error) const {
    if (promise_line_ == 0 || end_line_ != 0) return true;
    error = make_diagnostic(ErrorKind::Truncated,
                            "truncated trace: it ends after event " + std::to_string(number_) +
                                " without the end-of-trace record promised on line " +
                                std::to_string(promise_line_));
    error.line = last_line_;
    return false;
}

LineOutcome TextLineParser::end_record(const Line& line, std::uint64_t events, Diagnostic& error) {
    const std::uint64_t line_before = end_line_;
    end_line_ = line.number;
    if (line_before != 0) {
        error = make_diagnostic(ErrorKind::Syntax,
                                "a second end-of-trace record (the first is on line " +
                                    std::to_string(line_before) + ")");
    } else if (events != number_) {
        error = make_diagnostic(ErrorKind::Truncated,
                                "end-of-trace record says " + std::to_string(events) +
                                    " events, but " + std::to_string(number_) +
                                    " came before it: events are missing or were added");
    } else {
        return LineOutcome::Skip;
    }
    error.line = line.number;
    return LineOutcome::Error;
}

bool TextLineParser::parse_event(Event& event, Diagnostic& error) {
    const bool timed = tokens_[0].text.starts_with('@');
    if (timed && tokens_.size() == 1) {
        error = make_diagnostic(
            ErrorKind::Syntax, "missing event after the timestamp " + quote_token(tokens_[0].text));
        return false;
    }
    const std::string_view name = tokens_[timed ? 1 : 0].text;
    const std::optional<EventKind> kind = event_kind_named(name);
    if (!kind) {
        error = unknown_event(name);
        return false;
    }
    event.kind = *kind;
    const std::string_view label = event_label(*kind);
    event.time_ns = last_time_;
    if (timed && !parse_timestamp(label, tokens_[0].text, event, error)) return false;

    // Positional operands first, then options; an operand after an option
    // is most likely a forgotten '=' or a misplaced token.
    if (first_option_ != kNone && last_plain_ != kNone && last_plain_ > first_option_) {
        std::size_t i = first_option_;
        while (is_option(tokens_[i].text)) ++i;
        error = make_diagnostic(ErrorKind::Syntax, std::string(label) + ": operand " +
                                                       quote_token(tokens_[i].text) +
                                                       " after options (options come last)");
        return false;
    }
    // The event name and timestamp were checked above, so they hold no '='.
    const std::size_t base = timed ? 2 : 1;
    const Tokens operands = Tokens(tokens_).subspan(base);
    const std::size_t positional = first_option_ == kNone ? operands.size() : first_option_ - base;
    if (!parse_operands(label, operands.first(positional), operands.subspan(positional), event,
                        error)) {
        return false;
    }
    last_time_ = event.time_ns;
    return true;
}

bool TextLineParser::parse_timestamp(std::string_view label, std::string_view token, Event& event,
                                     Diagnostic& error) {
    std::uint64_t time = 0;
    const NumberError why = parse_decimal(token.substr(1), kMaxTimestamp, time);
    if (why != NumberError::None) {
        error = bad_number(label, "timestamp", token, why, kMaxTimestamp);
        return false;
    }
    if (time < last_time_) {
        error = timestamp_decreasing(label, token, "@" + std::to_string(last_time_));
        return false;
    }
    event.time_ns = time;
    return true;
}

bool TextLineParser::parse_operands(std::string_view label, Tokens args, Tokens options,
                                    Event& event, Diagnostic& error) {
    switch (event.kind) {
        case EventKind::Type:
            return parse_type(args, options, event, error);
        case EventKind::Alloc:
            return parse_alloc(args, options, event, error);
        case EventKind::Weakref:
            return parse_weakref(args, options, event, error);
        default:
            break;
    }
    if (!read_options(label, options, {}, nullptr, error)) return false;
    switch (event.kind) {
        case EventKind::Collect:
            return parse_collect(args, event, error);
        case EventKind::GcControl:
            return parse_gc(args, event, error);
        case EventKind::Threshold:
            return parse_threshold(args, event, error);
        case EventKind::Expect:
            return parse_expect(args, event, error);
        default:
            break;
    }
    // The rest take exactly their symbol operands: bind, unbind, append, ...
    const Signature& signature = signature_of(event.kind);
    if (args.size() != static_cast<std::size_t>(signature.count)) {
        error = operand_count(label, signature.usage, args.size());
        return false;
    }
    if (!check_symbols(label, signature, args, error)) return false;
    intern_symbols(signature, args, event);
    return true;
}

bool TextLineParser::check_symbols(std::string_view label, const Signature& signature, Tokens args,
                                   Diagnostic& error) const {
    for (int i = 0; i < signature.count; ++i) {
        const SymbolOperand& operand = signature.operands[i];
        if (!check(label, operand.role, operand.rule, args[i], error)) return false;
    }
    return true;
}

// Interning comes last, once the whole line is known to be good, so a bad
// line leaves nothing behind in the symbol table.
void TextLineParser::intern_symbols(const Signature& signature, Tokens args, Event& event) {
    for (int i = 0; i < signature.count; ++i) {
        const SymbolOperand& operand = signature.operands[i];
        event.*(operand.field) =
            operand.rule == TokenRule::Id ? id_of(args[i].text) : symbols_.intern(args[i].text);
    }
}

// Matches each `name=value` in `options` against `names`; values[i] gets the
// value of names[i]. Unknown and repeated options are errors.
bool TextLineParser::read_options(std::string_view label, Tokens options,
                                  std::span<const std::string_view> names,
                                  std::optional<std::string_view>* values,
                                  Diagnostic& error) const {
    unsigned seen = 0;
    for (const TextToken& option : options) {
        const std::size_t eq = option.text.find('=');
        const std::string_view name = option.text.substr(0, eq);
        std::size_t i = 0;
        while (i < names.size() && names[i] != name) ++i;
        if (i == names.size() || (seen & (1u << i)) != 0) {
            const char* what = i == names.size() ? ": unknown option " : ": duplicate option ";
            error =
                make_diagnostic(ErrorKind::Syntax, std::string(label) + what + quote_token(name));
            return false;
        }
        seen |= 1u << i;
        values[i] = option.text.substr(eq + 1);
    }
    return true;
}

bool TextLineParser::parse_type(Tokens args, Tokens options, Event& event, Diagnostic& error) {
    const Signature& signature = signature_of(EventKind::Type);
    if (args.empty()) {
        error = operand_count("type", signature.usage, 0);
        return false;
    }
    if (!check_symbols("type", signature, args, error)) return false;
    for (const TextToken& flag : args.subspan(1)) {
        bool* field = type_flag_named(event.decl, flag.text);
        if (field == nullptr || *field) {
            error = make_diagnostic(
                ErrorKind::Syntax,
                field == nullptr
                    ? "type: unknown flag " + quote_token(flag.text) +
                          " (expected gc, weakrefable, finalizer, legacy_finalizer or instance)"
                    : "type: duplicate flag " + quote_token(flag.text));
            return false;
        }
        *field = true;
    }
    static constexpr std::string_view kNames[] = {"size", "slots"};
    std::optional<std::string_view> values[2];
    if (!read_options("type", options, kNames, values, error)) return false;
    std::uint64_t size = 0, slots = 0;
    if (values[0]) {
        if (!check_number("type", "size", *values[0], kMaxSize, size, error)) return false;
        event.decl.size = static_cast<std::int64_t>(size);
    }
    if (values[1]) {
        if (!check_number("type", "slots", *values[1], kMaxSlots, slots, error)) return false;
        event.decl.slots = static_cast<std::int64_t>(slots);
    }
    intern_symbols(signature, args, event);
    return true;
}

bool TextLineParser::parse_alloc(Tokens args, Tokens options, Event& event, Diagnostic& error) {
    const Signature& signature = signature_of(EventKind::Alloc);
    if (args.size() < 2) {
        error = operand_count("alloc", signature.usage, args.size());
        return false;
    }
    if (!check_symbols("alloc", signature, args, error)) return false;
    const Tokens refs = args.subspan(2);
    for (const TextToken& ref : refs) {
        if (!check("alloc", "ref", TokenRule::Id, ref, error)) return false;
    }
    if (!options.empty()) {
        static constexpr std::string_view kNames[] = {"size", "site"};
        std::optional<std::string_view> values[2];
        if (!read_options("alloc", options, kNames, values, error)) return false;
        std::uint64_t size = 0;
        if (values[0]) {
            if (!check_number("alloc", "size", *values[0], kMaxSize, size, error)) return false;
            event.size = static_cast<std::int64_t>(size);
        }
        if (values[1]) {
            if (!check_token("alloc", "site", TokenRule::Label, *values[1], error)) return false;
            event.site = symbols_.intern(*values[1]);
        }
    }
    intern_symbols(signature, args, event);
    refs_.clear();
    for (const TextToken& ref : refs) refs_.push_back(id_of(ref.text));
    event.refs = refs_;
    return true;
}

bool TextLineParser::parse_weakref(Tokens args, Tokens options, Event& event, Diagnostic& error) {
    const Signature& signature = signature_of(EventKind::Weakref);
    if (args.size() != 2) {
        error = operand_count("weakref", signature.usage, args.size());
        return false;
    }
    if (!check_symbols("weakref", signature, args, error)) return false;
    static constexpr std::string_view kNames[] = {"callback"};
    std::optional<std::string_view> callback;
    if (!read_options("weakref", options, kNames, &callback, error)) return false;
    if (callback) {
        if (!check_token("weakref", "callback", TokenRule::Label, *callback, error)) return false;
        event.label = symbols_.intern(*callback);
    }
    intern_symbols(signature, args, event);
    return true;
}

bool TextLineParser::parse_collect(Tokens args, Event& event, Diagnostic& error) {
    if (args.size() > 1) {
        error = operand_count("collect", signature_of(EventKind::Collect).usage, args.size());
        return false;
    }
    return args.empty() || check_generation(args[0].text, event.generation, error);
}

bool TextLineParser::parse_gc(Tokens args, Event& event, Diagnostic& error) {
    if (args.size() == 4 && args[0].text == "counts") {  // gc counts C0 C1 C2
        event.action = GcAction::Counts;
        return parse_numbers("gc", "count", args.subspan(1), kMaxExpected, event, error);
    }
    if (args.size() == 3 && args[0].text == "longlived") {  // gc longlived TOTAL PENDING
        event.action = GcAction::LongLived;
        return parse_numbers("gc", "long-lived count", args.subspan(1), kMaxExpected, event, error);
    }
    if (args.size() == 3 && (args[0].text == "finalizer" || args[0].text == "callback")) {
        event.action = *gc_action_named(args[0].text);  // gc finalizer|callback ID NAME
        if (!check_symbols("gc", collection_hook_signature(), args.subspan(1), error)) return false;
        intern_symbols(collection_hook_signature(), args.subspan(1), event);
        return true;
    }
    if (args.size() != 1 || args[0].text == "counts" || args[0].text == "longlived" ||
        args[0].text == "finalizer" || args[0].text == "callback") {
        error = operand_count("gc", signature_of(EventKind::GcControl).usage, args.size());
        return false;
    }
    const std::optional<GcAction> action = gc_action_named(args[0].text);
    if (!action) {
        error = unknown_gc_action(args[0].text);
        return false;
    }
    event.action = *action;
    return true;
}

bool TextLineParser::parse_threshold(Tokens args, Event& event, Diagnostic& error) {
    if (args.empty() || args.size() > 3) {
        error = operand_count("threshold", signature_of(EventKind::Threshold).usage, args.size());
        return false;
    }
    return parse_numbers("threshold", "threshold", args, kMaxThreshold, event, error);
}

bool TextLineParser::parse_numbers(std::string_view label, const char* role, Tokens tokens,
                                   std::uint64_t max, Event& event, Diagnostic& error) {
    for (const TextToken& token : tokens) {
        std::uint64_t value = 0;
        if (!check_number(label, role, token.text, max, value, error)) return false;
        event.values[event.nvalues++] = static_cast<std::int64_t>(value);
    }
    return true;
}

bool TextLineParser::parse_expect(Tokens args, Event& event, Diagnostic& error) {
    if (args.empty()) {
        error = operand_count("expect", signature_of(EventKind::Expect).usage, 0);
        return false;
    }
    const std::optional<ExpectKind> kind = expect_kind_named(args[0].text);
    if (!kind) {
        error = unknown_expectation(args[0].text);
        return false;
    }
    event.expect = *kind;
    const char* label = expect_label(*kind);
    const Signature& signature = expect_signature_of(*kind);
    const Tokens operands = args.subspan(1);
    static constexpr std::size_t kOperands[] = {1, 1, 2, 3, 1, 3};  // by ExpectKind
    if (operands.size() != kOperands[static_cast<int>(*kind)]) {
        error = operand_count(label, signature.usage, operands.size());
        return false;
    }
    if (!check_symbols(label, signature, operands, error)) return false;
    const Tokens numbers = operands.subspan(static_cast<std::size_t>(signature.count));
    const char* role = *kind == ExpectKind::Refcount ? "refcount" : "count";
    if (!parse_numbers(label, role, numbers, kMaxExpected, event, error)) return false;
    intern_symbols(signature, operands, event);
    return true;
}

ReadSummary read_text_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink) {
    TextLineParser parser(symbols);
    return read_line_trace(source, parser, sink, TraceFormat::Text);
}

}  // namespace heapsim

#include "trace_formats/jsonl_reader.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "trace_formats/json_flat_scanner.h"
#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

// Feeds one line's SAX events to the builder. Anything but an object at the
// top is refused at once (returning false stops nlohmann's parser).
class LineSax {
  public:
    using json = nlohmann::json;

    explicit LineSax(JsonEventBuilder& builder) : builder_(builder) {}

    bool null() {
        return inside([&] { builder_.null(); });
    }
    bool boolean(bool v) {
        return inside([&] { builder_.boolean(v); });
    }
    bool number_integer(json::number_integer_t v) {
        return inside([&] { builder_.negative_number(v); });
    }
    bool number_unsigned(json::number_unsigned_t v) {
        return inside([&] { builder_.unsigned_number(v); });
    }
    bool number_float(json::number_float_t, const json::string_t& raw) {
        return inside([&] { builder_.float_number(raw); });
    }
    bool string(json::string_t& v) {
        return inside([&] { builder_.string(v); });
    }
    bool binary(json::binary_t&) { return object_; }
    bool key(json::string_t& k) {
        builder_.key(k);
        return true;
    }
    bool start_object(std::size_t) {
        if (!object_) {
            object_ = true;
            builder_.begin();
        } else {
            builder_.start_object();
        }
        return true;
    }
    bool end_object() {
        builder_.end_object();
        return true;
    }
    bool start_array(std::size_t) {
        return inside([&] { builder_.start_array(); });
    }
    bool end_array() {
        builder_.end_array();
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        parse_error_ = malformed_json_message(e.what(), true);
        return false;
    }

    bool object() const { return object_; }
    const std::string& parse_error_text() const { return parse_error_; }

  private:
    // Values are fine inside the event object; a bare value (or array) is
    // not an event, and refusing it stops the parser there.
    template <class Forward>
    bool inside(Forward forward) {
        if (!object_) return false;
        forward();
        return true;
    }

    JsonEventBuilder& builder_;
    bool object_ = false;
    std::string parse_error_;
};

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string malformed_json_message(const std::string& what, bool one_line) {
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    std::string_view text = what;
    const std::size_t close = text.find("] ");
    if (close != std::string_view::npos) text.remove_prefix(close + 2);
    if (text.starts_with("parse error at ")) text.remove_prefix(15);
    // Within one JSON Lines line, nlohmann's "line 1" says nothing.
    if (one_line && text.starts_with("line 1, ")) text.remove_prefix(8);
    // Its "last read: '...'" quotes raw input, which may be invalid UTF-8:
    // escaped, so that the message can go anywhere (a JSON report too).
    return "malformed JSON at " + printable(text);
}

JsonLineParser::JsonLineParser(SymbolTable& symbols, bool fast_path)
    : builder_(symbols), fast_path_(fast_path) {}

bool JsonLineParser::scan_shape(const Line& line, Event& event) {
    const std::string_view text = line.text;
    bool good = false;
    if (line.padded) {
        good = builder_.scan_writer_shape(text.data(), text.size(), number_ + 1, line.number, event);
    } else if (text.size() <= kCopiedLine) {
        // A line from elsewhere than a LineReader (tests): a padded copy.
        char copy[kCopiedLine + kLinePadding] = {};
        std::memcpy(copy, text.data(), text.size());
        good = builder_.scan_writer_shape(copy, text.size(), number_ + 1, line.number, event);
    }
    if (good) ++number_;
    return good;
}

LineOutcome JsonLineParser::parse(const Line& line, Event& event, Diagnostic& error) {
    if (fast_path_ && !line.too_long && scan_shape(line, event)) return LineOutcome::Event;
    if (!line.too_long && is_blank(line.text)) return LineOutcome::Skip;
    ++number_;
    if (fast_path_ && !line.too_long &&
        builder_.scan_common(line.text, number_, line.number, event)) {
        return LineOutcome::Event;
    }
    if (line.too_long) {
        error = make_diagnostic(
            ErrorKind::Syntax,
            "line too long (more than " + std::to_string(LineReader::kMaxLine) + " bytes)");
    } else if (parse_object(line.text, error) &&
               builder_.finish(number_, line.number, event, error)) {
        return LineOutcome::Event;
    }
    error.line = line.number;
    error.event = number_;
    return LineOutcome::Error;
}

// Feeds the line's object to the builder: by hand when it has the common
// shape, else through nlohmann (which restarts the builder).
bool JsonLineParser::parse_object(std::string_view text, Diagnostic& error) {
    if (fast_path_ && scan_flat_event(text, builder_)) return true;
    LineSax sax(builder_);
    nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &sax);
    if (!sax.parse_error_text().empty()) {
        error = make_diagnostic(ErrorKind::Syntax, sax.parse_error_text());
        return false;
    }
    if (!sax.object()) {
        error = make_diagnostic(ErrorKind::Syntax, "a JSON Lines event must be a JSON object");
        return false;
    }
    return true;
}

ReadSummary read_jsonl_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink) {
    JsonLineParser parser(symbols);
    return read_line_trace(source, parser, sink, TraceFormat::JsonLines);
}

}  // namespace heapsim

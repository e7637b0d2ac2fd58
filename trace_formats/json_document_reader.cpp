#include "trace_formats/json_document_reader.h"

#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "trace_formats/interpreter_record.h"
#include "trace_formats/json_event_builder.h"
#include "trace_formats/jsonl_reader.h"
#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

// Holds one chunk of the source at a time for SourceIterator.
class SourceCursor {
  public:
    explicit SourceCursor(ByteSource& source) : source_(source), buffer_(kChunk) { refill(); }
    bool at_end() const { return pos_ == length_; }
    const char& current() const { return buffer_[pos_]; }
    void advance() {
        if (++pos_ == length_) refill();
    }

  private:
    static constexpr std::size_t kChunk = 256 * 1024;
    void refill() {
        length_ = source_.read(buffer_.data(), buffer_.size());
        pos_ = 0;
    }

    ByteSource& source_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t length_ = 0;
};

// An input iterator over a ByteSource, which is what nlohmann's iterator
// input adapter needs to parse a stream without holding it. A
// default-constructed iterator is the end.
class SourceIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    SourceIterator() = default;
    explicit SourceIterator(SourceCursor* cursor) : cursor_(cursor) {}
    reference operator*() const { return cursor_->current(); }
    SourceIterator& operator++() {
        cursor_->advance();
        return *this;
    }
    bool operator==(const SourceIterator& other) const { return at_end() == other.at_end(); }

  private:
    bool at_end() const { return cursor_ == nullptr || cursor_->at_end(); }
    SourceCursor* cursor_ = nullptr;
};

enum class TopMember { Format, Version, Events, Interpreter, Other };

// Walks the document: the header members at depth 1, the "events" array at
// depth 2, and each event object (depth 3 and below) through the builder.
class DocumentSax {
  public:
    using json = nlohmann::json;

    DocumentSax(SymbolTable& symbols, EventSink& sink, const ByteSource& source)
        : builder_(symbols), sink_(sink), source_(source) {}

    bool null() {
        return in_event_ ? forward([&] { builder_.null(); })
                         : outside_scalar("null", Scalar::Other);
    }
    bool boolean(bool v) {
        if (in_event_) return forward([&] { builder_.boolean(v); });
        return outside_scalar(v ? "true" : "false", Scalar::Other);
    }
    bool number_integer(json::number_integer_t v) {
        if (in_event_) return forward([&] { builder_.negative_number(v); });
        return outside_scalar(std::to_string(v), Scalar::Other);
    }
    bool number_unsigned(json::number_unsigned_t v) {
        if (in_event_) return forward([&] { builder_.unsigned_number(v); });
        return outside_scalar(std::to_string(v), v == kFormatVersion ? Scalar::One : Scalar::Other);
    }
    bool number_float(json::number_float_t, const json::string_t& raw) {
        if (in_event_) return forward([&] { builder_.float_number(raw); });
        return outside_scalar(raw, Scalar::Other);
    }
    bool string(json::string_t& v) {
        if (in_event_) return forward([&] { builder_.string(v); });
        return outside_scalar(v, Scalar::String);
    }
    bool binary(json::binary_t&) { return true; }  // not produced by the JSON parser

    bool key(json::string_t& k) {
        if (in_event_) return forward([&] { builder_.key(k); });
        if (depth_ == 1) top_ = top_member(k);
        return true;
    }
    bool start_object(std::size_t) {
        ++depth_;
        if (in_event_) return forward([&] { builder_.start_object(); });
        if (depth_ == 3 && in_events_) {
            ++index_;
            in_event_ = true;
            builder_.begin();
            return true;
        }
        return outside_container(Container::Object);
    }
    bool end_object() {
        --depth_;
        if (in_event_) return builder_.end_object() ? event_closed() : true;
        return depth_ == 0 ? document_closed() : true;
    }
    bool start_array(std::size_t) {
        ++depth_;
        if (in_event_) return forward([&] { builder_.start_array(); });
        if (depth_ == 2 && top_ == TopMember::Events) {
            in_events_ = true;
            seen_events_ = true;
            return true;
        }
        return outside_container(Container::Array);
    }
    bool end_array() {
        if (in_event_) {
            builder_.end_array();
        } else if (depth_ == 2) {
            in_events_ = false;  // the "events" array (or an ignored one) ended
        }
        --depth_;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        if (source_.error() != nullptr) return false;  // the I/O failure is reported instead
        Diagnostic d =
            make_diagnostic(ErrorKind::Syntax, malformed_json_message(e.what(), false), true);
        // The event being read, or the one that would have come next.
        d.line = d.event = in_event_ ? index_ : in_events_ ? index_ + 1 : 0;
        return report(d);
    }

    std::uint64_t events() const { return index_; }
    bool stopped() const { return stopped_; }

  private:
    static TopMember top_member(std::string_view name) {
        if (name == "format") return TopMember::Format;
        if (name == "version") return TopMember::Version;
        if (name == "events") return TopMember::Events;
        if (name == "interpreter") return TopMember::Interpreter;  // interpreter_record.h
        return TopMember::Other;  // metadata a writer may add: ignored
    }

    enum class Scalar { String, One, Other };  // what a header member's value can be
    enum class Container { Object, Array };

    template <class Forward>
    static bool forward(Forward f) {
        f();
        return true;
    }

    // A scalar outside any event: a header member's value, or an element
    // of "events" that is not an object.
    bool outside_scalar(const std::string& text, Scalar kind) {
        if (depth_ == 2 && in_events_) return bad_element(text);
        if (depth_ == 0) return not_a_document();
        if (depth_ != 1) return true;  // inside an ignored member
        switch (top_) {
            case TopMember::Format:
                seen_format_ = kind == Scalar::String && text == "heaptrace";
                return seen_format_ ||
                       header_error("unsupported document format " + quote_token(text) +
                                    " (expected \"heaptrace\")");
            case TopMember::Version:
                seen_version_ = kind == Scalar::One;
                return seen_version_ || report(unsupported_version(text));
            case TopMember::Events:
                return header_error("\"events\" must be an array");
            case TopMember::Interpreter:
                return interpreter(kind == Scalar::String ? text : std::string());
            case TopMember::Other:
                return true;
        }
        return true;
    }

    // The interpreter named before "events" reaches the sink before the
    // first event; a misspelled one is an error rather than a silent default.
    bool interpreter(const std::string& text) {
        const std::optional<TraceInterpreter> named = parse_interpreter_text(text);
        if (!named) return header_error(kInterpreterShape);
        sink_.on_interpreter(*named);
        return true;
    }
    static constexpr const char* kInterpreterShape =
        "\"interpreter\" must be a string \"cpython X.Y.Z build=BUILD\"";

    // An array or object just opened (depth_ already counts it) outside any event.
    bool outside_container(Container kind) {
        if (depth_ == 1) return kind == Container::Object || not_a_document();
        if (depth_ == 3 && in_events_) {
            return bad_element(kind == Container::Object ? "an object" : "an array");
        }
        if (depth_ != 2) return true;  // inside an ignored member
        switch (top_) {
            case TopMember::Format:
                return header_error("\"format\" must be \"heaptrace\"");
            case TopMember::Version:
                return header_error("\"version\" must be 1");
            case TopMember::Events:
                return header_error("\"events\" must be an array");
            case TopMember::Interpreter:
                return header_error(kInterpreterShape);
            case TopMember::Other:
                return true;
        }
        return true;
    }

    bool bad_element(const std::string& what) {
        ++index_;
        Diagnostic d =
            make_diagnostic(ErrorKind::Syntax, "an event must be a JSON object, not " + what);
        d.line = d.event = index_;
        return report(d);
    }

    bool event_closed() {
        in_event_ = false;
        if (builder_.finish(index_, index_, event_, error_)) return deliver();
        return report(error_);
    }

    bool document_closed() {
        if (!seen_format_) return header_error("document lacks \"format\": \"heaptrace\"");
        if (!seen_version_) return header_error("document lacks \"version\": 1");
        if (!seen_events_) return header_error("document lacks an \"events\" array");
        return true;
    }

    bool not_a_document() {
        return header_error(
            "a JSON trace document must be an object {\"format\": \"heaptrace\", ...}");
    }
    bool header_error(std::string message) {
        return report(make_diagnostic(ErrorKind::Header, std::move(message), true));
    }

    bool deliver() {
        if (!sink_.on_event(event_)) stopped_ = true;
        return !stopped_;
    }
    bool report(const Diagnostic& d) {
        if (!sink_.on_error(d) || d.fatal) stopped_ = true;
        return !stopped_;
    }

    JsonEventBuilder builder_;
    EventSink& sink_;
    const ByteSource& source_;
    Event event_;
    Diagnostic error_;
    int depth_ = 0;  // containers open, the document object included
    TopMember top_ = TopMember::Other;
    bool in_events_ = false;  // directly inside the "events" array
    bool in_event_ = false;   // inside an event object
    bool seen_format_ = false;
    bool seen_version_ = false;
    bool seen_events_ = false;
    bool stopped_ = false;
    std::uint64_t index_ = 0;  // events numbered so far
};

}  // namespace

ReadSummary read_json_document(ByteSource& source, SymbolTable& symbols, EventSink& sink) {
    ReadSummary summary;
    summary.format = TraceFormat::JsonDocument;
    SourceCursor cursor(source);
    DocumentSax sax(symbols, sink, source);
    nlohmann::json::sax_parse(SourceIterator(&cursor), SourceIterator(), &sax);
    summary.stopped = sax.stopped();
    if (!summary.stopped && source.error() != nullptr) {
        sink.on_error(*source.error());
        summary.stopped = true;
    }
    summary.events = sax.events();
    return summary;
}

}  // namespace heapsim

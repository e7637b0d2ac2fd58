#include "trace_formats/trace_reader.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "trace_formats/byte_source.h"
#include "trace_formats/htb_format.h"
#include "trace_formats/htb_reader.h"
#include "trace_formats/json_document_reader.h"
#include "trace_formats/jsonl_reader.h"
#include "trace_formats/text_reader.h"

namespace heapsim {
namespace {

std::string_view without_compression_suffix(std::string_view name) {
    for (const std::string_view suffix : {".gz", ".zst"}) {
        if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
    }
    return name;
}

// Decides between a JSON document and JSON Lines from the first object's
// own members: "ev" only occurs in an event, "format", "version" and
// "events" only in a document. It stops the parser as soon as it knows.
class EncodingSniffer {
  public:
    using json = nlohmann::json;

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) {
        ++depth_;
        return true;
    }
    bool start_array(std::size_t) {
        ++depth_;
        return true;
    }
    bool end_array() {
        --depth_;
        return true;
    }
    bool end_object() {
        // The first object ended without a document member: JSON Lines.
        if (--depth_ == 0) return decide(TraceFormat::JsonLines);
        return true;
    }
    bool key(json::string_t& k) {
        if (depth_ != 1) return true;
        if (k == "ev") return decide(TraceFormat::JsonLines);
        if (k == "format" || k == "version" || k == "events") {
            return decide(TraceFormat::JsonDocument);
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

    std::optional<TraceFormat> decision;

  private:
    bool decide(TraceFormat format) {
        decision = format;
        return false;
    }
    int depth_ = 0;
};

TraceFormat sniff_json(ByteSource& source) {
    const std::string_view head = source.peek(ByteSource::kMaxPeek);
    EncodingSniffer sniffer;
    nlohmann::json::sax_parse(head.data(), head.data() + head.size(), &sniffer,
                              nlohmann::json::input_format_t::json, /*strict=*/false);
    if (sniffer.decision) return *sniffer.decision;
    // Undecided after a whole window: the first value is larger than any
    // event line would be, so it is a document; otherwise the per-line
    // reader reports whatever is wrong, line by line.
    return head.size() == ByteSource::kMaxPeek ? TraceFormat::JsonDocument : TraceFormat::JsonLines;
}

// The first byte that is not blank, a byte-order mark or in a # comment.
char first_significant_byte(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    bool in_comment = false;
    for (const char c : head) {
        if (in_comment) {
            in_comment = c != '\n';
        } else if (c == '#') {
            in_comment = true;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            return c;
        }
    }
    return '\0';
}

TraceFormat choose_format(std::string_view name, ByteSource& source) {
    name = without_compression_suffix(name);
    // Binary by name (so a damaged header is reported as such) or by magic.
    if (name.ends_with(".htb") || source.peek(htb::kMagic.size()) == htb::kMagic) {
        return TraceFormat::Binary;
    }
    if (name.ends_with(".jsonl")) return TraceFormat::JsonLines;
    if (name.ends_with(".json")) return sniff_json(source);
    if (first_significant_byte(source.peek(ByteSource::kMaxPeek)) == '{') return sniff_json(source);
    return TraceFormat::Text;
}

ReadSummary read_source(ByteSource& source, std::string_view name, SymbolTable& symbols,
                        EventSink& sink) {
    if (source.error() != nullptr) {  // could not even open it
        sink.on_error(*source.error());
        ReadSummary summary;
        summary.stopped = true;
        return summary;
    }
    switch (choose_format(name, source)) {
        case TraceFormat::Text:
            return read_text_trace(source, symbols, sink);
        case TraceFormat::JsonLines:
            return read_jsonl_trace(source, symbols, sink);
        case TraceFormat::JsonDocument:
            return read_json_document(source, symbols, sink);
        case TraceFormat::Binary:
            return read_htb_trace(source, symbols, sink);
    }
    return {};
}

}  // namespace

ReadSummary read_trace(const std::string& path, SymbolTable& symbols, EventSink& sink) {
    ByteSource source = ByteSource::open(path);
    return read_source(source, path, symbols, sink);
}

namespace {

/// Stops at the first event (or error), keeping the interpreter named before it.
class InterpreterPeek final : public EventSink {
  public:
    bool on_event(const Event&) override { return false; }
    bool on_error(const Diagnostic&) override { return false; }
    void on_interpreter(const TraceInterpreter& interpreter) override { found = interpreter; }
    std::optional<TraceInterpreter> found;
};

}  // namespace

std::optional<TraceInterpreter> peek_trace_interpreter(const std::string& path) {
    if (path == "-") return std::nullopt;
    SymbolTable symbols;
    InterpreterPeek peek;
    read_trace(path, symbols, peek);
    return peek.found;
}

ReadSummary read_trace_buffer(const std::string& bytes, const std::string& name_hint,
                              SymbolTable& symbols, EventSink& sink) {
    ByteSource source = ByteSource::over(bytes);
    return read_source(source, name_hint, symbols, sink);
}

}  // namespace heapsim

#include "trace_formats/jsonl_writer.h"

#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

constexpr std::string_view kGcActions[] = {"enable",    "disable",   "freeze", "unfreeze",
                                           "safepoint", "uncounted", "counts", "longlived", "finalizer",
                                           "callback"};

}  // namespace

JsonLinesTraceWriter::JsonLinesTraceWriter(std::ostream& out, const SymbolTable& symbols)
    : out_(out), symbols_(symbols) {}

void JsonLinesTraceWriter::member(std::string_view name) {
    out_.put(",\"");
    out_.put(name);
    out_.put("\":");
}

// Ids, names and keys never need escaping; labels are UTF-8 without control
// bytes, but may hold quotes and backslashes.
void JsonLinesTraceWriter::string_value(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.put('"');
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out_.put('\\');
            out_.put(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out_.put("\\u00");
            out_.put(kHex[(c >> 4) & 15]);
            out_.put(kHex[c & 15]);
        } else {
            out_.put(c);
        }
    }
    out_.put('"');
}

void JsonLinesTraceWriter::string_member(std::string_view name, Sym s) {
    member(name);
    string_value(symbols_.str(s));
}

void JsonLinesTraceWriter::number_member(std::string_view name, std::uint64_t value) {
    member(name);
    out_.put_number(value);
}

void JsonLinesTraceWriter::write(const Event& event) {
    out_.put("{\"ev\":\"");
    out_.put(event_label(event.kind));
    out_.put('"');
    if (event.time_ns != last_time_) {
        number_member("t", event.time_ns);
        last_time_ = event.time_ns;
    }
    operands(event);
    out_.put("}\n");
    out_.end_record();
}

void JsonLinesTraceWriter::operands(const Event& event) {
    switch (event.kind) {
        case EventKind::Type:
            return type(event);
        case EventKind::Alloc:
            return alloc(event);
        case EventKind::Weakref:
            string_member("id", event.id);
            string_member("target", event.ref);
            if (event.label != kNoSym) string_member("callback", event.label);
            return;
        case EventKind::Collect:
            return number_member("gen", static_cast<std::uint64_t>(event.generation));
        case EventKind::GcControl:
            member("action");
            string_value(kGcActions[static_cast<int>(event.action)]);
            if (event.action == GcAction::Counts || event.action == GcAction::LongLived)
                values(event);
            if (is_collection_hook(event.action)) {
                string_member("id", event.id);
                string_member("name", event.name);
            }
            return;
        case EventKind::Threshold:
            return values(event);
        case EventKind::Expect:
            return expect(event);
        default:
            break;
    }
    // The rest: bind, unbind, append, set, ... take their signature's symbols.
    const Signature& signature = signature_of(event.kind);
    for (int i = 0; i < signature.count; ++i) {
        const SymbolOperand& operand = signature.operands[i];
        string_member(operand.role, event.*(operand.field));
    }
}

void JsonLinesTraceWriter::type(const Event& event) {
    string_member("name", event.name);
    const TypeDecl& decl = event.decl;
    if (decl.gc) out_.put(",\"gc\":true");
    if (decl.weakrefable) out_.put(",\"weakrefable\":true");
    if (decl.finalizer) out_.put(",\"finalizer\":true");
    if (decl.legacy_finalizer) out_.put(",\"legacy_finalizer\":true");
    if (decl.instance) out_.put(",\"instance\":true");
    if (decl.size >= 0) number_member("size", static_cast<std::uint64_t>(decl.size));
    if (decl.slots >= 0) number_member("slots", static_cast<std::uint64_t>(decl.slots));
}

void JsonLinesTraceWriter::alloc(const Event& event) {
    string_member("id", event.id);
    string_member("type", event.type);
    if (!event.refs.empty()) {
        member("refs");
        char separator = '[';
        for (const Sym ref : event.refs) {
            out_.put(separator);
            string_value(symbols_.str(ref));
            separator = ',';
        }
        out_.put(']');
    }
    if (event.size >= 0) number_member("size", static_cast<std::uint64_t>(event.size));
    if (event.site != kNoSym) string_member("site", event.site);
}

void JsonLinesTraceWriter::expect(const Event& event) {
    member("what");
    string_value(expect_kind_name(event.expect));
    if (expect_signature_of(event.expect).count == 1) string_member("id", event.id);
    if (event.nvalues > 0) values(event);
}

void JsonLinesTraceWriter::values(const Event& event) {
    member("values");
    for (int i = 0; i < event.nvalues; ++i) {
        out_.put(i == 0 ? '[' : ',');
        out_.put_number(static_cast<std::uint64_t>(event.values[i]));
    }
    out_.put(']');
}

}  // namespace heapsim

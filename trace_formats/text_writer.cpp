#include "trace_formats/text_writer.h"

#include "trace_formats/end_record.h"
#include "trace_formats/interpreter_record.h"
#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

constexpr std::string_view kGcActions[] = {"enable",    "disable",   "freeze", "unfreeze",
                                           "safepoint", "uncounted", "counts", "longlived", "finalizer",
                                           "callback"};

}  // namespace

TextTraceWriter::TextTraceWriter(std::ostream& out, const SymbolTable& symbols)
    : out_(out), symbols_(symbols) {}

bool TextTraceWriter::set_interpreter(const TraceInterpreter& interpreter) {
    interpreter_ = interpreter;
    return true;
}

void TextTraceWriter::header() {
    header_written_ = true;
    out_.put("heaptrace 1\n");
    out_.put(kEndRecordPromise);
    out_.put('\n');
    if (interpreter_) {
        out_.put(interpreter_record_line(*interpreter_));
        out_.put('\n');
    }
}

void TextTraceWriter::option(std::string_view name, std::int64_t value) {
    out_.put(' ');
    out_.put(name);
    out_.put('=');
    out_.put_number(static_cast<std::uint64_t>(value));
}

bool TextTraceWriter::finish() {
    if (!header_written_) header();
    out_.put(end_record_line(events_));
    out_.put('\n');
    return out_.finish();
}

void TextTraceWriter::write(const Event& event) {
    if (!header_written_) header();
    ++events_;
    if (event.time_ns != last_time_) {
        out_.put('@');
        out_.put_number(event.time_ns);
        out_.put(' ');
        last_time_ = event.time_ns;
    }
    out_.put(event_label(event.kind));
    // Every other event's symbol operands are its signature, in text order.
    switch (event.kind) {
        case EventKind::Type:
            type(event);
            break;
        case EventKind::Alloc:
            alloc(event);
            break;
        case EventKind::Weakref:
            symbol(event.id);
            symbol(event.ref);
            if (event.label != kNoSym) {
                out_.put(" callback=");
                out_.put(symbols_.str(event.label));
            }
            break;
        case EventKind::Collect:
            out_.put(' ');
            out_.put_number(static_cast<std::uint64_t>(event.generation));
            break;
        case EventKind::GcControl:
            out_.put(' ');
            out_.put(kGcActions[static_cast<int>(event.action)]);
            if (event.action == GcAction::Counts || event.action == GcAction::LongLived)
                numbers(event);
            if (is_collection_hook(event.action)) {
                out_.put(' ');
                out_.put(symbols_.str(event.id));
                out_.put(' ');
                out_.put(symbols_.str(event.name));
            }
            break;
        case EventKind::Threshold:
            numbers(event);
            break;
        case EventKind::Expect:
            expect(event);
            break;
        default: {
            const Signature& signature = signature_of(event.kind);
            for (int i = 0; i < signature.count; ++i) symbol(event.*(signature.operands[i].field));
        }
    }
    out_.put('\n');
    out_.end_record();
}

void TextTraceWriter::type(const Event& event) {
    symbol(event.name);
    const TypeDecl& decl = event.decl;
    if (decl.gc) out_.put(" gc");
    if (decl.weakrefable) out_.put(" weakrefable");
    if (decl.finalizer) out_.put(" finalizer");
    if (decl.legacy_finalizer) out_.put(" legacy_finalizer");
    if (decl.instance) out_.put(" instance");
    if (decl.size >= 0) option("size", decl.size);
    if (decl.slots >= 0) option("slots", decl.slots);
}

void TextTraceWriter::alloc(const Event& event) {
    symbol(event.id);
    symbol(event.type);
    for (const Sym ref : event.refs) symbol(ref);
    if (event.size >= 0) option("size", event.size);
    if (event.site != kNoSym) {
        out_.put(" site=");
        out_.put(symbols_.str(event.site));
    }
}

void TextTraceWriter::expect(const Event& event) {
    out_.put(' ');
    out_.put(expect_kind_name(event.expect));
    if (expect_signature_of(event.expect).count == 1) symbol(event.id);
    numbers(event);
}

void TextTraceWriter::numbers(const Event& event) {
    for (int i = 0; i < event.nvalues; ++i) {
        out_.put(' ');
        out_.put_number(static_cast<std::uint64_t>(event.values[i]));
    }
}

}  // namespace heapsim

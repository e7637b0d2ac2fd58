#include "trace_formats/htb_writer.h"

#include <zlib.h>

#include <stdexcept>

#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

void put_u16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8));
}

void put_u32(char* out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Every symbol field an event may use; unused ones are kNoSym.
constexpr Sym Event::*kSymbolFields[] = {&Event::id,  &Event::ref,  &Event::name, &Event::key,
                                         &Event::type, &Event::site, &Event::label};

}  // namespace

HtbTraceWriter::HtbTraceWriter(std::ostream& out, const SymbolTable& symbols,
                               HtbWriterOptions options)
    : out_(out), symbols_(symbols), options_(options) {
    std::string header(htb::kMagic);
    put_u16(header, htb::kVersion);
    put_u16(header, 0);
    out_.write(header.data(), static_cast<std::streamsize>(header.size()));
    payload_.reserve(options_.block_size + 4096);
}

void HtbTraceWriter::put_varint(std::uint64_t value) {
    while (value >= 0x80) {
        put_byte(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    put_byte(static_cast<std::uint8_t>(value));
}

// As the distance back from the newest definition: recent strings are small.
void HtbTraceWriter::put_sym(Sym s) {
    put_varint(dictionary_ - 1 - slots_[s].index);
}

void HtbTraceWriter::define(Sym s) {
    if (s >= slots_.size()) slots_.resize(std::max<std::size_t>(s + 1, slots_.size() * 2));
    const std::string_view text = symbols_.str(s);
    put_byte(htb::kOpDefine);
    put_varint(text.size());
    payload_.append(text);
    slots_[s] = Slot{epoch_, dictionary_++};
}

// Defines the event's new strings first. If they would take the dictionary
// past its limit, it is reset before, never in the middle of, the event.
void HtbTraceWriter::define_strings(const Event& event) {
    std::size_t missing = 0;
    for (const auto field : kSymbolFields) {
        const Sym s = event.*field;
        missing += s != kNoSym && !defined(s);
    }
    for (const Sym s : event.refs) missing += !defined(s);
    if (missing == 0) return;
    if (dictionary_ + missing > options_.dictionary_limit && dictionary_ > 0) {
        put_byte(htb::kOpReset);
        ++epoch_;
        dictionary_ = 0;
    }
    if (dictionary_ + event.refs.size() + std::size(kSymbolFields) > htb::kMaxDictionary) {
        throw std::length_error("htb: an event names more strings than a dictionary holds");
    }
    for (const auto field : kSymbolFields) {
        const Sym s = event.*field;
        if (s != kNoSym && !defined(s)) define(s);
    }
    for (const Sym s : event.refs) {
        if (!defined(s)) define(s);
    }
}

std::uint8_t HtbTraceWriter::fields_of(const Event& event) const {
    switch (event.kind) {
        case EventKind::Alloc:
            return static_cast<std::uint8_t>((event.size >= 0 ? htb::kAllocSize : 0) |
                                             (event.site != kNoSym ? htb::kAllocSite : 0) |
                                             (!event.refs.empty() ? htb::kAllocRefs : 0));
        case EventKind::Weakref:
            return event.label != kNoSym ? htb::kWeakrefLabel : 0;
        case EventKind::Collect:
            return static_cast<std::uint8_t>(event.generation);
        case EventKind::GcControl:  // longlived and the hooks: htb::kGcExtended, then which one
            return htb::is_extended_gc_action(event.action) ? htb::kGcExtended
                                                            : static_cast<std::uint8_t>(event.action);
        case EventKind::Threshold:
            return static_cast<std::uint8_t>(event.nvalues);
        case EventKind::Expect:
            return static_cast<std::uint8_t>(event.expect);
        default:
            return 0;
    }
}

void HtbTraceWriter::write(const Event& event) {
    define_strings(event);
    const bool timed = event.time_ns != last_time_;
    put_byte(static_cast<std::uint8_t>(static_cast<std::uint8_t>(event.kind) |
                                       (timed ? htb::kOpTimed : 0) |
                                       (fields_of(event) << htb::kFieldShift)));
    if (timed) put_varint(event.time_ns - last_time_);
    last_time_ = event.time_ns;
    put_operands(event);
    ++block_events_;
    ++total_events_;
    if (payload_.size() >= options_.block_size) flush_block(htb::BlockKind::Events);
}

void HtbTraceWriter::put_operands(const Event& event) {
    switch (event.kind) {
        case EventKind::Type:
            return put_type(event);
        case EventKind::Alloc:
            return put_alloc(event);
        case EventKind::Weakref:
            put_sym(event.id);
            put_sym(event.ref);
            if (event.label != kNoSym) put_sym(event.label);
            return;
        case EventKind::GcControl:
            if (event.action == GcAction::Counts) put_values(event, 3);
            if (htb::is_extended_gc_action(event.action)) {
                put_varint(htb::extended_gc_action_index(event.action));
                if (event.action == GcAction::LongLived) {
                    put_values(event, 2);
                } else {
                    put_sym(event.id);
                    put_sym(event.name);
                }
            }
            return;  // the rest is in the opcode
        case EventKind::Collect:
            return;  // all in the opcode
        case EventKind::Threshold:
            return put_values(event, event.nvalues);
        case EventKind::Expect:
            if (expect_signature_of(event.expect).count == 1) put_sym(event.id);
            return put_values(event, event.nvalues);
        default:
            break;
    }
    const Signature& signature = signature_of(event.kind);
    for (int i = 0; i < signature.count; ++i) put_sym(event.*(signature.operands[i].field));
}

void HtbTraceWriter::put_values(const Event& event, int count) {
    for (int i = 0; i < count; ++i) put_varint(static_cast<std::uint64_t>(event.values[i]));
}

void HtbTraceWriter::put_type(const Event& event) {
    const TypeDecl& d = event.decl;
    put_sym(event.name);
    put_byte(static_cast<std::uint8_t>(
        (d.gc ? htb::kTypeGc : 0) | (d.weakrefable ? htb::kTypeWeakrefable : 0) |
        (d.finalizer ? htb::kTypeFinalizer : 0) |
        (d.legacy_finalizer ? htb::kTypeLegacyFinalizer : 0) |
        (d.instance ? htb::kTypeInstance : 0) | (d.size >= 0 ? htb::kTypeSize : 0) |
        (d.slots >= 0 ? htb::kTypeSlots : 0)));
    if (d.size >= 0) put_varint(static_cast<std::uint64_t>(d.size));
    if (d.slots >= 0) put_varint(static_cast<std::uint64_t>(d.slots));
}

void HtbTraceWriter::put_alloc(const Event& event) {
    put_sym(event.id);
    put_sym(event.type);
    if (!event.refs.empty()) {
        put_varint(event.refs.size());
        for (const Sym ref : event.refs) put_sym(ref);
    }
    if (event.size >= 0) put_varint(static_cast<std::uint64_t>(event.size));
    if (event.site != kNoSym) put_sym(event.site);
}

void HtbTraceWriter::flush_block(htb::BlockKind kind) {
    char header[htb::kBlockHeaderSize];
    header[0] = static_cast<char>(kind);
    put_u32(header + 1, static_cast<std::uint32_t>(payload_.size()));
    put_u32(header + 5, block_events_);
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(header), 9);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(payload_.data()),
                static_cast<uInt>(payload_.size()));
    put_u32(header + 9, static_cast<std::uint32_t>(crc));
    out_.write(header, sizeof header);
    out_.write(payload_.data(), static_cast<std::streamsize>(payload_.size()));
    payload_.clear();
    block_events_ = 0;
}

bool HtbTraceWriter::finish() {
    if (!payload_.empty()) flush_block(htb::BlockKind::Events);
    put_varint(total_events_);
    flush_block(htb::BlockKind::End);
    return static_cast<bool>(out_.flush());
}

}  // namespace heapsim

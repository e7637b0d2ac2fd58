#include "trace_formats/htb_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
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
constexpr Sym Event::*kSymbolFields[] = {&Event::id,   &Event::ref,  &Event::name, &Event::key,
                                         &Event::type, &Event::site, &Event::label};

}  // namespace

HtbTraceWriter::HtbTraceWriter(std::ostream& out, const SymbolTable& symbols,
                               HtbWriterOptions options)
    : out_(out),
      symbols_(symbols),
      options_(options),
      no_reset_limit_(std::min(options_.dictionary_limit, htb::kMaxDictionary)) {
    std::string header(htb::kMagic);
    put_u16(header, htb::kVersion);
    put_u16(header, 0);
    out_.write(header.data(), static_cast<std::streamsize>(header.size()));
    grow(options_.block_size + 4096);
}

void HtbTraceWriter::grow(std::size_t n) {
    const std::size_t capacity = std::max(size_ + n, capacity_ * 2);
    auto bigger = std::make_unique<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), buffer_.get(), size_);
    buffer_ = std::move(bigger);
    capacity_ = capacity;
}

void HtbTraceWriter::define(Sym s) {
    char number[kNumberedIdChars];
    std::string_view text;
    Slot* slot = slot_of(s);
    if (is_numbered_id(s)) {
        const std::uint32_t n = id_number(s);
        text = std::string_view(number, format_numbered_id(n, number));
        if (slot == nullptr) {
            numbered_slots_.grow_to(std::size_t{n} + 1);
            slot = &numbered_slots_[n];
        }
    } else {
        text = symbols_.str(s);
        if (slot == nullptr) {
            slots_.resize(std::max<std::size_t>(s + 1, slots_.size() * 2));
            slot = &slots_[s];
        }
    }
    char* p = room(1 + kMaxVarint + text.size());
    *p++ = static_cast<char>(htb::kOpDefine);
    p = put_varint(p, text.size());
    std::memcpy(p, text.data(), text.size());
    size_ = static_cast<std::size_t>(p + text.size() - buffer_.get());
    *slot = Slot{epoch_, dictionary_++};
}

// Defines the event's new strings first. If they would take the dictionary
// past its limit, it is reset before, never in the middle of, the event.
void HtbTraceWriter::define_strings(const Event& event) {
    if (dictionary_ + std::size(kSymbolFields) + event.refs.size() <= no_reset_limit_) {
        return define_each(event);  // neither a reset nor the limit's error can happen
    }
    std::size_t missing = 0;
    for (const auto field : kSymbolFields) {
        const Sym s = event.*field;
        missing += s != kNoSym && !defined(s);
    }
    for (const Sym s : event.refs) missing += !defined(s);
    if (missing == 0) return;
    if (dictionary_ + missing > options_.dictionary_limit && dictionary_ > 0) {
        *room(1) = static_cast<char>(htb::kOpReset);
        ++size_;
        ++epoch_;
        dictionary_ = 0;
    }
    if (dictionary_ + event.refs.size() + std::size(kSymbolFields) > htb::kMaxDictionary) {
        throw std::length_error("htb: an event names more strings than a dictionary holds");
    }
    define_each(event);
}

// In kSymbolFields' order, then the REFs: the order the strings are defined in.
void HtbTraceWriter::define_each(const Event& event) {
    define_if_new(event.id);
    define_if_new(event.ref);
    define_if_new(event.name);
    // Most events name none of the other four (kNoSym is all ones): one test.
    if ((event.key & event.type & event.site & event.label) != kNoSym) {
        define_if_new(event.key);
        define_if_new(event.type);
        define_if_new(event.site);
        define_if_new(event.label);
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
            return htb::is_extended_gc_action(event.action)
                       ? htb::kGcExtended
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
    char* p = room(kMaxRecord + kMaxVarint * event.refs.size());
    *p++ = static_cast<char>(static_cast<std::uint8_t>(event.kind) | (timed ? htb::kOpTimed : 0) |
                             (fields_of(event) << htb::kFieldShift));
    if (timed) p = put_varint(p, event.time_ns - last_time_);
    last_time_ = event.time_ns;
    p = put_operands(p, event);
    size_ = static_cast<std::size_t>(p - buffer_.get());
    ++block_events_;
    ++total_events_;
    if (size_ >= options_.block_size) flush_block(htb::BlockKind::Events);
}

char* HtbTraceWriter::put_operands(char* p, const Event& event) {
    switch (event.kind) {
        case EventKind::Type:
            return put_type(p, event);
        case EventKind::Alloc:
            return put_alloc(p, event);
        case EventKind::Bind:  // the importer's most frequent records first
            p = put_sym(p, event.name);
            return put_sym(p, event.id);
        case EventKind::Unbind:
            return put_sym(p, event.name);
        case EventKind::Append:
        case EventKind::Remove:
            p = put_sym(p, event.id);
            return put_sym(p, event.ref);
        case EventKind::Weakref:
            p = put_sym(p, event.id);
            p = put_sym(p, event.ref);
            if (event.label != kNoSym) p = put_sym(p, event.label);
            return p;
        case EventKind::GcControl:
            if (event.action == GcAction::Counts) p = put_values(p, event, 3);
            if (htb::is_extended_gc_action(event.action)) {
                p = put_varint(p, htb::extended_gc_action_index(event.action));
                if (event.action == GcAction::LongLived) {
                    p = put_values(p, event, 2);
                } else {
                    p = put_sym(p, event.id);
                    p = put_sym(p, event.name);
                }
            }
            return p;  // the rest is in the opcode
        case EventKind::Collect:
            return p;  // all in the opcode
        case EventKind::Threshold:
            return put_values(p, event, event.nvalues);
        case EventKind::Expect:
            if (expect_signature_of(event.expect).count == 1) p = put_sym(p, event.id);
            return put_values(p, event, event.nvalues);
        default:
            break;
    }
    const Signature& signature = signature_of(event.kind);
    for (int i = 0; i < signature.count; ++i) p = put_sym(p, event.*(signature.operands[i].field));
    return p;
}

char* HtbTraceWriter::put_values(char* p, const Event& event, int count) {
    for (int i = 0; i < count; ++i) p = put_varint(p, static_cast<std::uint64_t>(event.values[i]));
    return p;
}

char* HtbTraceWriter::put_type(char* p, const Event& event) {
    const TypeDecl& d = event.decl;
    p = put_sym(p, event.name);
    *p++ = static_cast<char>(
        (d.gc ? htb::kTypeGc : 0) | (d.weakrefable ? htb::kTypeWeakrefable : 0) |
        (d.finalizer ? htb::kTypeFinalizer : 0) |
        (d.legacy_finalizer ? htb::kTypeLegacyFinalizer : 0) |
        (d.instance ? htb::kTypeInstance : 0) | (d.size >= 0 ? htb::kTypeSize : 0) |
        (d.slots >= 0 ? htb::kTypeSlots : 0));
    if (d.size >= 0) p = put_varint(p, static_cast<std::uint64_t>(d.size));
    if (d.slots >= 0) p = put_varint(p, static_cast<std::uint64_t>(d.slots));
    return p;
}

char* HtbTraceWriter::put_alloc(char* p, const Event& event) {
    p = put_sym(p, event.id);
    p = put_sym(p, event.type);
    if (!event.refs.empty()) {
        p = put_varint(p, event.refs.size());
        for (const Sym ref : event.refs) p = put_sym(p, ref);
    }
    if (event.size >= 0) p = put_varint(p, static_cast<std::uint64_t>(event.size));
    if (event.site != kNoSym) p = put_sym(p, event.site);
    return p;
}

void HtbTraceWriter::flush_block(htb::BlockKind kind) {
    char header[htb::kBlockHeaderSize];
    header[0] = static_cast<char>(kind);
    put_u32(header + 1, static_cast<std::uint32_t>(size_));
    put_u32(header + 5, block_events_);
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(header), 9);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer_.get()), static_cast<uInt>(size_));
    put_u32(header + 9, static_cast<std::uint32_t>(crc));
    out_.write(header, sizeof header);
    out_.write(buffer_.get(), static_cast<std::streamsize>(size_));
    size_ = 0;
    block_events_ = 0;
}

bool HtbTraceWriter::finish() {
    if (size_ > 0) flush_block(htb::BlockKind::Events);
    size_ = static_cast<std::size_t>(put_varint(room(kMaxVarint), total_events_) - buffer_.get());
    flush_block(htb::BlockKind::End);
    return static_cast<bool>(out_.flush());
}

}  // namespace heapsim

#include "trace_formats/htb_reader.h"

#include "trace_formats/block_crc32.h"
#include "trace_formats/htb_format.h"

namespace heapsim {
namespace {

std::uint32_t get_u32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

std::uint16_t get_u16(const char* p) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(p[0]) |
                                      (static_cast<unsigned char>(p[1]) << 8));
}

// The rules `text` satisfies, worked out once per definition.
std::uint8_t rules_of(std::string_view text) {
    const std::uint8_t chars = token_chars(text);
    std::uint8_t rules = 0;
    if (token_valid_given(TokenRule::Id, text, chars)) rules |= htb_rule_bit(TokenRule::Id);
    if (token_valid_given(TokenRule::Name, text, chars)) rules |= htb_rule_bit(TokenRule::Name);
    if (token_valid(TokenRule::Label, text)) rules |= htb_rule_bit(TokenRule::Label);
    return rules;
}

constexpr std::size_t kExpectValues[] = {0, 0, 1, 3, 1, 3};  // by ExpectKind

}  // namespace

HtbReader::HtbReader(ByteSource& source, SymbolTable& symbols, EventSink& sink)
    : source_(source), symbols_(symbols), sink_(sink) {}

ReadSummary HtbReader::read() {
    ReadSummary summary;
    summary.format = TraceFormat::Binary;
    if (read_header()) {
        while (read_block()) {
        }
    }
    summary.events = number_;
    summary.stopped = stopped_;
    return summary;
}

std::size_t HtbReader::read_fully(char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const std::size_t step = source_.read(out + got, n - got);
        if (step == 0) break;
        got += step;
    }
    offset_ += got;
    return got;
}

bool HtbReader::damaged(ErrorKind kind, const std::string& message) {
    if (stopped_) return false;  // the first fatal error is the one reported
    Diagnostic d;
    d.kind = kind;
    d.fatal = true;
    // A broken compressed stream explains a short read better than we can.
    if (source_.error() != nullptr) {
        d = *source_.error();
    } else if (block_ == 0) {
        d.message = message;
    } else {
        d.message = "block " + std::to_string(block_) + " at byte " + std::to_string(offset_) +
                    ": " + message;
        d.line = d.event = number_ + (event_ == nullptr ? 1 : 0);
    }
    sink_.on_error(d);
    stopped_ = true;
    return false;
}

bool HtbReader::read_header() {
    char header[htb::kHeaderSize];
    const std::size_t got = read_fully(header, sizeof header);
    if (got < htb::kMagic.size() || std::string_view(header, htb::kMagic.size()) != htb::kMagic) {
        return damaged(ErrorKind::Header, "not a binary heap trace (no htb magic bytes)");
    }
    if (got < sizeof header) return damaged(ErrorKind::Io, "truncated header");
    const std::uint16_t version = get_u16(header + 8);
    const std::uint16_t flags = get_u16(header + 10);
    if (version != htb::kVersion || flags != 0) {
        return damaged(ErrorKind::Header,
                       "unsupported htb version " + std::to_string(version) +
                           (flags != 0 ? " with flags " + std::to_string(flags) : "") +
                           " (this reader supports version 1)");
    }
    return true;
}

bool HtbReader::read_block() {
    const std::uint64_t start = offset_;
    ++block_;
    event_ = nullptr;
    char header[htb::kBlockHeaderSize];
    const std::size_t got = read_fully(header, sizeof header);
    offset_ = start;  // messages name the block's first byte
    if (got == 0) return damaged(ErrorKind::Io, "truncated trace: the end block is missing");
    if (got < sizeof header) return damaged(ErrorKind::Io, "truncated block header");
    const auto kind = static_cast<htb::BlockKind>(header[0]);
    const std::uint32_t length = get_u32(header + 1);
    const std::uint32_t events = get_u32(header + 5);
    if (kind != htb::BlockKind::Events && kind != htb::BlockKind::End) {
        return damaged(ErrorKind::Syntax, "unknown block kind " +
                                              std::to_string(static_cast<unsigned char>(header[0])));
    }
    if (length > htb::kMaxBlock) {
        return damaged(ErrorKind::Syntax, "block length " + std::to_string(length) +
                                              " exceeds the limit of " +
                                              std::to_string(htb::kMaxBlock) + " bytes");
    }
    payload_.resize(length);
    const std::size_t body = read_fully(payload_.data(), length);
    offset_ = start;
    if (body < length) {
        return damaged(ErrorKind::Io, "truncated block (" + std::to_string(body) + " of " +
                                          std::to_string(length) + " bytes)");
    }
    std::uint32_t crc = block_crc32(0, reinterpret_cast<const unsigned char*>(header), 9);
    crc = block_crc32(crc, reinterpret_cast<const unsigned char*>(payload_.data()), length);
    if (crc != get_u32(header + 9)) {
        return damaged(ErrorKind::Io, "checksum mismatch (the block is damaged)");
    }
    p_ = reinterpret_cast<const std::uint8_t*>(payload_.data());
    end_ = p_ + length;
    const bool more = kind == htb::BlockKind::End ? end_block() : decode_block(events);
    offset_ = start + sizeof header + length;
    return more;
}

// The end block carries the total event count, and nothing may follow it.
bool HtbReader::end_block() {
    std::uint64_t total = 0;
    if (!varint(total)) return false;  // already reported
    if (p_ != end_) return damaged(ErrorKind::Syntax, "malformed end block");
    if (total != number_) {
        return damaged(ErrorKind::Syntax, "the end block counts " + std::to_string(total) +
                                              " events, the trace holds " +
                                              std::to_string(number_));
    }
    char extra = 0;
    if (source_.read(&extra, 1) != 0) return damaged(ErrorKind::Syntax, "data after the end block");
    if (source_.error() != nullptr) return damaged(ErrorKind::Io, "");
    return false;
}

bool HtbReader::decode_block(std::uint32_t expected_events) {
    const std::uint64_t first = number_;
    Event event;
    rare_last_ = false;  // a fresh Event
    while (p_ < end_) {
        const std::uint8_t op = *p_++;
        if ((op & htb::kKindMask) == htb::kOpControl) {
            if (!decode_control(op)) return false;
            continue;
        }
        if (!decode_event(op, event)) return false;
        if (bad_) {
            const bool go_on = sink_.on_error(*bad_);
            bad_.reset();
            if (!go_on) {
                stopped_ = true;
                return false;
            }
        } else if (!sink_.on_event(event)) {
            stopped_ = true;
            return false;
        }
    }
    event_ = nullptr;
    if (number_ - first != expected_events) {
        return damaged(ErrorKind::Syntax, "holds " + std::to_string(number_ - first) +
                                              " events, its header says " +
                                              std::to_string(expected_events));
    }
    return true;
}

bool HtbReader::decode_control(std::uint8_t op) {
    event_ = nullptr;  // definitions belong to the next event
    if (op == htb::kOpReset) {
        dictionary_.clear();
        dictionary_size_ = 0;
        dictionary_last_ = nullptr;
        return true;
    }
    if (op != htb::kOpDefine) return damaged(ErrorKind::Syntax, "unknown record " + std::to_string(op));
    std::uint64_t length = 0;
    if (!varint(length)) return false;
    if (length == 0 || length > htb::kMaxString) {
        return damaged(ErrorKind::Syntax, "bad string length " + std::to_string(length));
    }
    if (static_cast<std::uint64_t>(end_ - p_) < length) {
        return damaged(ErrorKind::Syntax, "string cut short at the end of the block");
    }
    if (dictionary_.size() >= htb::kMaxDictionary) {
        return damaged(ErrorKind::Syntax, "more than " + std::to_string(htb::kMaxDictionary) +
                                              " strings without a dictionary reset");
    }
    const std::string_view text(reinterpret_cast<const char*>(p_), length);
    p_ += length;
    dictionary_.push_back(Entry{symbols_.intern(text), rules_of(text)});
    dictionary_size_ = dictionary_.size();
    dictionary_last_ = &dictionary_.back();
    return true;
}

bool HtbReader::varint_slow(std::uint64_t& out) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p_ == end_) return damaged(ErrorKind::Syntax, "record cut short at the end of the block");
        const std::uint8_t byte = *p_++;
        if (shift == 63 && byte > 1) break;
        value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (byte < 0x80) {
            out = value;
            return true;
        }
    }
    return damaged(ErrorKind::Syntax, "bad varint (more than 64 bits)");
}

void HtbReader::bad_operand(Diagnostic diagnostic) {
    if (bad_) return;  // the first one names the event's problem
    diagnostic.line = diagnostic.event = number_;
    bad_ = std::move(diagnostic);
}

bool HtbReader::number(const char* role, std::uint64_t max, std::uint64_t& out) {
    if (!varint(out)) return false;
    if (out > max) {
        bad_operand(bad_number(label(), role, std::to_string(out), NumberError::TooLarge, max));
    }
    return true;
}

bool HtbReader::unknown_string(std::uint64_t back) {
    return damaged(ErrorKind::Syntax, "unknown string index (" + std::to_string(back) + " back, " +
                                          std::to_string(dictionary_.size()) + " defined)");
}

void HtbReader::bad_symbol(TokenRule rule, const char* role, Sym sym) {
    bad_operand(bad_token(label(), role, rule, symbols_.str(sym)));
}

std::string_view HtbReader::label() const {
    if (event_ == nullptr) return {};
    return event_->kind == EventKind::Expect ? expect_label(event_->expect) : event_label(event_->kind);
}

bool HtbReader::decode_event(std::uint8_t op, Event& event) {
    const auto kind = static_cast<EventKind>(op & htb::kKindMask);
    if (kind > EventKind::Expect) return damaged(ErrorKind::Syntax, "unknown record " + std::to_string(op));
    // Only the rare kinds (type, collect, gc, threshold, expect) set the
    // fields past the operands: reset the whole Event after one of them,
    // else just what the frequent kinds set (cheaper than Event{} per event).
    const bool rare = kind == EventKind::Type || kind >= EventKind::Collect;
    if (rare || rare_last_) {
        event = Event{};
    } else {
        event.id = event.ref = event.name = event.key = event.type = event.site = event.label = kNoSym;
        event.size = -1;
        event.refs = {};
    }
    rare_last_ = rare;
    event.kind = kind;
    event.number = event.line = ++number_;
    event_ = &event;
    if ((op & htb::kOpTimed) != 0) {
        std::uint64_t delta = 0;
        if (!varint(delta)) return false;
        if (delta > kMaxTimestamp - time_) return damaged(ErrorKind::Syntax, "timestamp overflows");
        time_ += delta;
    }
    event.time_ns = time_;
    return decode_operands(static_cast<std::uint8_t>(op >> htb::kFieldShift), event);
}

bool HtbReader::decode_operands(std::uint8_t fields, Event& event) {
    switch (event.kind) {
        case EventKind::Alloc:
            return decode_alloc(fields, event);
        case EventKind::Weakref:
            if (!symbol(TokenRule::Id, "id", event.id) ||
                !symbol(TokenRule::Id, "target", event.ref)) {
                return false;
            }
            return (fields & htb::kWeakrefLabel) == 0 ||
                   symbol(TokenRule::Label, "callback", event.label);
        case EventKind::Type:
        case EventKind::Collect:
        case EventKind::GcControl:
        case EventKind::Threshold:
        case EventKind::Expect:
            return decode_rare(fields, event);
        default:
            break;
    }
    // The common events spelled out (their signatures, in text order):
    // a direct field store is cheaper than a loop over member pointers.
    constexpr TokenRule kId = TokenRule::Id;
    switch (event.kind) {
        case EventKind::Bind:
            return symbol(TokenRule::Name, "name", event.name) && symbol(kId, "id", event.id);
        case EventKind::Unbind:
            return symbol(TokenRule::Name, "name", event.name);
        case EventKind::Append:
        case EventKind::Remove:
            return symbol(kId, "id", event.id) && symbol(kId, "ref", event.ref);
        case EventKind::Set:
            return symbol(kId, "id", event.id) && symbol(TokenRule::Key, "key", event.key) &&
                   symbol(kId, "ref", event.ref);
        case EventKind::Unset:
            return symbol(kId, "id", event.id) && symbol(TokenRule::Key, "key", event.key);
        default:  // clear, drop
            return symbol(kId, "id", event.id);
    }
}

// The kinds that set fields past the operands (type, collect, gc,
// threshold, expect): a few per trace.
bool HtbReader::decode_rare(std::uint8_t fields, Event& event) {
    switch (event.kind) {
        case EventKind::Type:
            return decode_type(event);
        case EventKind::Collect:
            event.generation = fields;
            if (fields > 2) {
                Diagnostic error;
                check_generation(std::to_string(fields), event.generation, error);
                bad_operand(std::move(error));
            }
            return true;
        case EventKind::GcControl:
            if (fields == htb::kGcExtended) {
                std::uint64_t which = 0;
                if (!varint(which)) return false;
                if (which >= htb::kExtendedGcActions) {
                    bad_operand(unknown_gc_action(std::to_string(fields + which)));
                    return true;
                }
                event.action = htb::extended_gc_action(static_cast<int>(which));
                if (event.action == GcAction::LongLived)
                    return decode_values(2, "longlived", kMaxExpected, event);
                return symbol(TokenRule::Id, "id", event.id) &&
                       symbol(TokenRule::Name, "name", event.name);
            }
            if (fields > static_cast<int>(GcAction::Counts)) {
                bad_operand(unknown_gc_action(std::to_string(fields)));
            }
            event.action = static_cast<GcAction>(fields);
            if (event.action == GcAction::Counts)
                return decode_values(3, "counts", kMaxExpected, event);
            return true;
        case EventKind::Threshold:
            if (fields < 1 || fields > 3) {
                bad_operand(make_diagnostic(ErrorKind::Syntax,
                                            "threshold: expected 1 to 3 values, got " +
                                                std::to_string(fields)));
            }
            return decode_values(fields, "threshold", kMaxThreshold, event);
        case EventKind::Expect:
            return decode_expect(fields, event);
        default:
            return true;  // decode_operands sends only the kinds above
    }
}

bool HtbReader::decode_values(int count, const char* role, std::uint64_t max, Event& event) {
    for (int i = 0; i < count; ++i) {
        std::uint64_t value = 0;
        if (!number(role, max, value)) return false;
        // Only the first three fit; a fourth (a bad count, already reported) is dropped.
        if (i < 3) event.values[event.nvalues++] = static_cast<std::int64_t>(value & kMaxExpected);
    }
    return true;
}

bool HtbReader::decode_type(Event& event) {
    if (!symbol(TokenRule::TypeName, "name", event.name)) return false;
    if (p_ == end_) return damaged(ErrorKind::Syntax, "record cut short at the end of the block");
    const std::uint8_t flags = *p_++;
    TypeDecl& d = event.decl;
    d.gc = (flags & htb::kTypeGc) != 0;
    d.weakrefable = (flags & htb::kTypeWeakrefable) != 0;
    d.finalizer = (flags & htb::kTypeFinalizer) != 0;
    d.legacy_finalizer = (flags & htb::kTypeLegacyFinalizer) != 0;
    d.instance = (flags & htb::kTypeInstance) != 0;
    std::uint64_t n = 0;
    if ((flags & htb::kTypeSize) != 0) {
        if (!number("size", kMaxSize, n)) return false;
        d.size = static_cast<std::int64_t>(n & kMaxSize);
    }
    if ((flags & htb::kTypeSlots) != 0) {
        if (!number("slots", kMaxSlots, n)) return false;
        d.slots = static_cast<std::int64_t>(n & kMaxExpected);
    }
    if (flags >= 128) bad_operand(make_diagnostic(ErrorKind::Syntax, "type: unknown flag bits"));
    return true;
}

bool HtbReader::decode_alloc(std::uint8_t fields, Event& event) {
    if (!symbol(TokenRule::Id, "id", event.id) ||
        !symbol(TokenRule::TypeName, "type", event.type)) {
        return false;
    }
    if ((fields & htb::kAllocRefs) != 0) {
        std::uint64_t count = 0;
        if (!varint(count)) return false;
        // Each reference takes at least a byte: a larger count is damage,
        // and must not make us reserve memory for it.
        if (count > static_cast<std::uint64_t>(end_ - p_)) {
            return damaged(ErrorKind::Syntax, "alloc: reference count " + std::to_string(count) +
                                                  " exceeds the block");
        }
        // Sized once, then written in place (no capacity test per reference).
        if (refs_.size() < count) refs_.resize(count);
        for (std::uint64_t i = 0; i < count; ++i) {
            if (!symbol(TokenRule::Id, "ref", refs_[i])) return false;
        }
        event.refs = std::span<const Sym>(refs_.data(), count);
    } else {
        event.refs = {};
    }
    std::uint64_t size = 0;
    if ((fields & htb::kAllocSize) != 0) {
        if (!number("size", kMaxSize, size)) return false;
        event.size = static_cast<std::int64_t>(size & kMaxSize);
    }
    if ((fields & htb::kAllocSite) != 0 && !symbol(TokenRule::Label, "site", event.site)) return false;
    return true;
}

bool HtbReader::decode_expect(std::uint8_t fields, Event& event) {
    if (fields > static_cast<int>(ExpectKind::Collection)) {
        return damaged(ErrorKind::Syntax, "unknown expectation " + std::to_string(fields));
    }
    event.expect = static_cast<ExpectKind>(fields);
    if (expect_signature_of(event.expect).count == 1 && !symbol(TokenRule::Id, "id", event.id)) {
        return false;
    }
    const char* role = event.expect == ExpectKind::Refcount ? "refcount" : "count";
    return decode_values(static_cast<int>(kExpectValues[fields]), role, kMaxExpected, event);
}

ReadSummary read_htb_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink) {
    HtbReader reader(source, symbols, sink);
    return reader.read();
}

}  // namespace heapsim

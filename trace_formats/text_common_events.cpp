// The text reader's fast path: the events that make up nearly every trace
// (alloc, bind, unbind, append, set, unset, remove, clear, drop), written
// the usual way, parsed in one pass over the line. Each byte is looked up
// once in a table that gives its token classes and whether it ends the
// token; each event kind has its own operand check; nothing allocates.
//
// It accepts only lines that the general parser (text_reader.cpp) would
// accept, and fills the Event exactly as it would, interning the same
// strings in the same order. Anything else (another event, a comment after
// the event, an unusual option, a non-ASCII label, any error) returns false
// before anything is interned, and the general parser takes the line, so
// every diagnostic is the general parser's.

#include "trace_formats/operand_rules.h"
#include "trace_formats/text_reader.h"

namespace heapsim {
namespace {

// A byte's token classes (kIdChar, kNameChar), or one of the two stops.
constexpr std::uint8_t kBlank = 8;   // ' ' or '\t': ends the token
constexpr std::uint8_t kOther = 16;  // '=', '#', a label-only byte, garbage
constexpr std::array<std::uint8_t, 256> kScanBytes = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) table[c] = kTokenChars[c] != 0 ? kTokenChars[c] : kOther;
    table[' '] = table['\t'] = kBlank;
    return table;
}();

// Bytes a label may hold without a closer look: printable ASCII but for the
// comment sign (which the general tokenizer splits at). Anything else in a
// site goes to the general parser, which validates UTF-8.
constexpr std::array<bool, 256> kPlainLabelBytes = [] {
    std::array<bool, 256> table{};
    for (int c = 0x21; c < 0x7f; ++c) table[c] = c != '#';
    return table;
}();

bool id_token(const TextLineParser::FastToken& t) {
    return (t.chars & kIdChar) != 0 && t.length <= kMaxIdLength;
}
bool name_token(const TextLineParser::FastToken& t) {
    return (t.chars & kNameChar) != 0 && t.length <= kMaxNameLength;
}

}  // namespace

bool TextLineParser::scan_common(std::string_view text, Event& event) {
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end && (*p == ' ' || *p == '\t')) ++p;

    std::uint64_t time = last_time_;
    if (p < end && *p == '@') {
        // Up to 19 digits cannot overflow; longer ones go to the general path.
        const char* const digits = ++p;
        std::uint64_t value = 0;
        while (p < end && static_cast<unsigned char>(*p - '0') <= 9) {
            value = value * 10 + static_cast<unsigned>(*p++ - '0');
        }
        const std::size_t length = static_cast<std::size_t>(p - digits);
        if (p == end || (*p != ' ' && *p != '\t') || length == 0 || length > 19 ||
            value < last_time_) {
            return false;
        }
        time = value;
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
    }

    const char* const name = p;
    while (p < end && static_cast<unsigned char>(*p - 'a') < 26) ++p;
    if (p < end && *p != ' ' && *p != '\t') return false;
    const std::optional<EventKind> kind =
        event_kind_named(std::string_view(name, static_cast<std::size_t>(p - name)));
    if (!kind) return false;

    // Positional operands, then for alloc its size= and site= options.
    std::size_t count = 0;
    std::string_view size, site;
    while (true) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        if (p == end) break;
        const char* const start = p;
        std::uint8_t chars = kIdChar | kNameChar;
        std::uint8_t c = 0;
        for (; p < end; ++p) {
            c = kScanBytes[static_cast<unsigned char>(*p)];
            if (c & (kBlank | kOther)) break;
            chars &= c;
        }
        if (p < end && (c & kOther) != 0) {
            // Only `size=` and `site=`, once each, after the operands.
            if (*kind != EventKind::Alloc || *p != '=') return false;
            const std::string_view option(start, static_cast<std::size_t>(p - start));
            const char* const value = ++p;
            if (option == "site" && site.empty()) {
                while (p < end && kPlainLabelBytes[static_cast<unsigned char>(*p)]) ++p;
                site = std::string_view(value, static_cast<std::size_t>(p - value));
                if (site.empty() || site.size() > kMaxLabelLength) return false;
            } else if (option == "size" && size.empty()) {
                while (p < end && static_cast<unsigned char>(*p - '0') <= 9) ++p;
                size = std::string_view(value, static_cast<std::size_t>(p - value));
                if (size.empty()) return false;
            } else {
                return false;
            }
            if (p < end && *p != ' ' && *p != '\t') return false;
            continue;
        }
        // An operand: none may follow an option, and a line has few.
        if (!size.empty() || !site.empty() || count == kFastTokens) return false;
        fast_[count++] = FastToken{start, static_cast<std::uint32_t>(p - start), chars};
    }

    const FastToken* const t = fast_;
    switch (*kind) {
        case EventKind::Alloc:
            if (count < 2 || !id_token(t[0]) || !name_token(t[1])) return false;
            for (std::size_t i = 2; i < count; ++i) {
                if (!id_token(t[i])) return false;
            }
            break;
        case EventKind::Bind:
            if (count != 2 || !name_token(t[0]) || !id_token(t[1])) return false;
            break;
        case EventKind::Unbind:
            if (count != 1 || !name_token(t[0])) return false;
            break;
        case EventKind::Append:
        case EventKind::Remove:
            if (count != 2 || !id_token(t[0]) || !id_token(t[1])) return false;
            break;
        case EventKind::Set:
            if (count != 3 || !id_token(t[0]) || !name_token(t[1]) || !id_token(t[2])) return false;
            break;
        case EventKind::Unset:
            if (count != 2 || !id_token(t[0]) || !name_token(t[1])) return false;
            break;
        case EventKind::Clear:
        case EventKind::Drop:
            if (count != 1 || !id_token(t[0])) return false;
            break;
        default:
            return false;  // type, weakref, collect, gc, threshold, expect: rare
    }
    std::uint64_t bytes = 0;
    if (!size.empty() && parse_decimal(size, kMaxSize, bytes) != NumberError::None) return false;

    // The line is good: fill the event, interning in the general parser's order.
    event = Event{};
    event.kind = *kind;
    event.time_ns = time;
    switch (*kind) {
        case EventKind::Alloc:
            if (!size.empty()) event.size = static_cast<std::int64_t>(bytes);
            if (!site.empty()) event.site = symbols_.intern(site);
            event.id = id_of(t[0].view());
            event.type = symbols_.intern(t[1].view());
            refs_.clear();
            for (std::size_t i = 2; i < count; ++i) refs_.push_back(id_of(t[i].view()));
            event.refs = refs_;
            break;
        case EventKind::Bind:
            event.name = symbols_.intern(t[0].view());
            event.id = id_of(t[1].view());
            break;
        case EventKind::Unbind:
            event.name = symbols_.intern(t[0].view());
            break;
        case EventKind::Set:
            event.id = id_of(t[0].view());
            event.key = symbols_.intern(t[1].view());
            event.ref = id_of(t[2].view());
            break;
        case EventKind::Unset:
            event.id = id_of(t[0].view());
            event.key = symbols_.intern(t[1].view());
            break;
        case EventKind::Append:
        case EventKind::Remove:
            event.id = id_of(t[0].view());
            event.ref = id_of(t[1].view());
            break;
        default:  // clear, drop
            event.id = id_of(t[0].view());
            break;
    }
    return true;
}

}  // namespace heapsim

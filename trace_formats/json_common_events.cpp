// The JSON Lines reader's fast path: one line of the shape heapsim's own
// writer produces ({"ev":"alloc","t":5,"id":"o1","type":"list",...}: "ev"
// first, no spaces, plain ASCII strings, small integers), for the events
// that make up nearly every trace (alloc, bind, unbind, append, set, unset,
// remove, clear, drop), parsed in one pass without the builder's
// member-by-member collection. Each byte of a string is looked up once in
// a table that gives its token classes, whether it may be in a label, and
// whether it ends the plain string.
//
// Like json_flat_scanner.h, it accepts only what the general path accepts
// and fills the Event as it would, interning the same strings in the same
// order; anything else (another event, spaces, escapes, integer ids, a
// repeated or unknown member, any error) returns false before anything is
// interned, and the general path takes the line, with its diagnostics.

#include <cstring>

#include "trace_formats/json_event_builder.h"
#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

constexpr std::uint8_t kLabelByte = 4;  // printable ASCII but space: a label may hold it
constexpr std::uint8_t kEnd = 8;        // '"', '\\', control or non-ASCII: not plain
constexpr std::array<std::uint8_t, 256> kStringBytes = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) {
        table[c] = kTokenChars[c];
        if (c > 0x20 && c < 0x7f) table[c] |= kLabelByte;
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') table[c] = kEnd;
    }
    table[' '] = 0;
    return table;
}();

using Field = JsonEventBuilder::Field;

// Whether `key` is the literal `word`: a fixed-size compare, which the
// compiler turns into one or two loads, not a library call.
template <std::size_t N>
bool is(std::string_view key, const char (&word)[N]) {
    return key.size() == N - 1 && std::memcmp(key.data(), word, N - 1) == 0;
}

// The members the fast path knows; any other is left to the general path.
Field member(std::string_view key) {
    switch (key.size()) {
        case 1:
            return key[0] == 't' ? Field::T : Field::None;
        case 2:
            return is(key, "id") ? Field::Id : Field::None;
        case 3:
            return is(key, "ref") ? Field::Ref : is(key, "key") ? Field::Key : Field::None;
        case 4:
            if (is(key, "type")) return Field::Type;
            if (is(key, "refs")) return Field::Refs;
            if (is(key, "size")) return Field::Size;
            if (is(key, "site")) return Field::Site;
            if (is(key, "name")) return Field::Name;
            return Field::None;
        default:
            return Field::None;
    }
}

constexpr std::uint32_t bit(Field field) {
    return 1u << static_cast<int>(field);
}

// The members each event takes besides "t": required, then optional.
struct Members {
    std::uint32_t required, optional;
};
Members members_of(EventKind kind) {
    switch (kind) {
        case EventKind::Alloc:
            return {bit(Field::Id) | bit(Field::Type),
                    bit(Field::Refs) | bit(Field::Size) | bit(Field::Site)};
        case EventKind::Bind:
            return {bit(Field::Name) | bit(Field::Id), 0};
        case EventKind::Unbind:
            return {bit(Field::Name), 0};
        case EventKind::Append:
        case EventKind::Remove:
            return {bit(Field::Id) | bit(Field::Ref), 0};
        case EventKind::Set:
            return {bit(Field::Id) | bit(Field::Key) | bit(Field::Ref), 0};
        case EventKind::Unset:
            return {bit(Field::Id) | bit(Field::Key), 0};
        case EventKind::Clear:
        case EventKind::Drop:
            return {bit(Field::Id), 0};
        default:
            return {0, 0};  // not on the fast path
    }
}

class LineScanner {
  public:
    explicit LineScanner(std::string_view line)
        : p_(line.data()), end_(line.data() + line.size()) {}

    bool eat(char c) {
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }
    bool at_end() const { return p_ == end_; }

    // A plain string (no escapes, control or non-ASCII bytes) after its
    // opening quote; `classes` gets the kTokenChars and kLabelByte bits all
    // its bytes share.
    [[gnu::always_inline]] bool string(JsonEventBuilder::FastString& out) {
        const char* const start = p_;
        std::uint8_t classes = kIdChar | kNameChar | kLabelByte;
        std::uint8_t c = kEnd;
        for (; p_ < end_; ++p_) {
            c = kStringBytes[static_cast<unsigned char>(*p_)];
            if (c & kEnd) break;
            classes &= c;
        }
        if (p_ == end_ || *p_ != '"') return false;
        out = {start, static_cast<std::uint32_t>(p_ - start), classes};
        ++p_;
        return true;
    }

    // A non-negative integer as nlohmann reads one: no leading zero, at
    // most 19 digits here (longer ones go to the general path).
    bool number(std::uint64_t& out) {
        const char* const start = p_;
        std::uint64_t value = 0;
        while (p_ < end_ && static_cast<unsigned char>(*p_ - '0') <= 9)
            value = value * 10 + static_cast<unsigned>(*p_++ - '0');
        const std::size_t digits = static_cast<std::size_t>(p_ - start);
        if (digits == 0 || digits > 19 || (*start == '0' && digits > 1)) return false;
        out = value;
        return true;
    }

  private:
    const char* p_;
    const char* const end_;
};

bool id_string(const JsonEventBuilder::FastString& s) {
    return (s.classes & kIdChar) != 0 && s.length != 0 && s.length <= kMaxIdLength;
}
bool name_string(const JsonEventBuilder::FastString& s) {
    return (s.classes & kNameChar) != 0 && s.length != 0 && s.length <= kMaxNameLength;
}

}  // namespace

bool JsonEventBuilder::scan_common(std::string_view line, std::uint64_t number,
                                   std::uint64_t line_number, Event& event) {
    LineScanner in(line);
    FastString text;
    if (!in.eat('{') || !in.eat('"') || !in.string(text) || !is(text.view(), "ev") ||
        !in.eat(':') || !in.eat('"') || !in.string(text)) {
        return false;
    }
    const std::optional<EventKind> kind = event_kind_named(text.view());
    if (!kind) return false;
    const Members allowed = members_of(*kind);
    if (allowed.required == 0) return false;

    std::uint32_t seen = 0;
    std::uint64_t time = last_time_, size = 0;
    FastString id{}, type{}, name{}, key{}, ref{}, site{};
    std::size_t nrefs = 0;
    while (!in.eat('}')) {
        if (!in.eat(',') || !in.eat('"') || !in.string(text) || !in.eat(':')) return false;
        const Field field = member(text.view());
        if (field == Field::None || (seen & bit(field)) != 0) return false;
        seen |= bit(field);
        if (field == Field::T || field == Field::Size) {
            std::uint64_t value = 0;
            if (!in.number(value)) return false;
            (field == Field::T ? time : size) = value;
            continue;
        }
        if (field == Field::Refs) {
            if (!in.eat('[')) return false;
            if (!in.eat(']')) {
                do {
                    if (nrefs == kFastRefs || !in.eat('"') || !in.string(fast_refs_[nrefs]) ||
                        !id_string(fast_refs_[nrefs])) {
                        return false;
                    }
                    ++nrefs;
                } while (in.eat(','));
                if (!in.eat(']')) return false;
            }
            continue;
        }
        FastString* const out = field == Field::Id     ? &id
                                : field == Field::Type ? &type
                                : field == Field::Name ? &name
                                : field == Field::Key  ? &key
                                : field == Field::Ref  ? &ref
                                                       : &site;
        if (!in.eat('"') || !in.string(*out)) return false;
    }
    if (!in.at_end()) return false;
    const std::uint32_t operands = seen & ~bit(Field::T);
    if ((operands & allowed.required) != allowed.required ||
        (operands & ~(allowed.required | allowed.optional)) != 0) {
        return false;
    }
    if (time < last_time_ || size > kMaxSize) return false;
    if (((seen & bit(Field::Id)) && !id_string(id)) ||
        ((seen & bit(Field::Ref)) && !id_string(ref)) ||
        ((seen & bit(Field::Type)) && !name_string(type)) ||
        ((seen & bit(Field::Name)) && !name_string(name)) ||
        ((seen & bit(Field::Key)) && !name_string(key))) {
        return false;
    }
    if ((seen & bit(Field::Site)) &&
        ((site.classes & kLabelByte) == 0 || site.length == 0 || site.length > kMaxLabelLength)) {
        return false;
    }

    // The line is good: fill the event, interning in the general path's order.
    event = Event{};
    event.kind = *kind;
    event.number = number;
    event.line = line_number;
    event.time_ns = last_time_ = time;
    switch (*kind) {
        case EventKind::Alloc:
            if (seen & bit(Field::Size)) event.size = static_cast<std::int64_t>(size);
            if (seen & bit(Field::Site)) event.site = symbols_.intern(site.view());
            event.id = id_of(id.view());
            event.type = symbols_.intern(type.view());
            refs_.clear();
            for (std::size_t i = 0; i < nrefs; ++i) refs_.push_back(id_of(fast_refs_[i].view()));
            event.refs = refs_;
            break;
        case EventKind::Bind:
            event.name = symbols_.intern(name.view());
            event.id = id_of(id.view());
            break;
        case EventKind::Unbind:
            event.name = symbols_.intern(name.view());
            break;
        case EventKind::Set:
            event.id = id_of(id.view());
            event.key = symbols_.intern(key.view());
            event.ref = id_of(ref.view());
            break;
        case EventKind::Unset:
            event.id = id_of(id.view());
            event.key = symbols_.intern(key.view());
            break;
        case EventKind::Append:
        case EventKind::Remove:
            event.id = id_of(id.view());
            event.ref = id_of(ref.view());
            break;
        default:  // clear, drop
            event.id = id_of(id.view());
            break;
    }
    return true;
}

}  // namespace heapsim

// The JSON Lines reader's fastest path: a common event (alloc, bind,
// unbind, append, set, unset, remove, clear, drop) in exactly the shape
// heapsim's own writer gives it (jsonl_writer.cpp): "ev" first, then "t"
// when the time changed, then the operands in the writer's order, no
// spaces. The member names are compared as literals, a few bytes at a
// time, and each string value is classified 16 bytes at a time
// (byte_masks.h): one mask test checks it against its rule.
//
// It is a special case of scan_common (json_common_events.cpp), which takes
// the members in any order: on the lines this accepts, both give the same
// event, interning the same strings in the same order; any other line
// (another order, an escape, a long string, ...) returns false before
// anything is interned and goes to scan_common, then the general path.

#include "trace_formats/byte_masks.h"
#include "trace_formats/json_event_builder.h"
#include "trace_formats/operand_rules.h"

namespace heapsim {
namespace {

// A cursor over a padded line (kLinePadding readable bytes after its end).
class ShapeCursor {
  public:
    ShapeCursor(const char* p, std::size_t n) : p_(p), end_(p + n) {}

    // The literal `s` (at most 8 bytes) next, consumed.
    template <std::size_t N>
    bool eat(const char (&s)[N]) {
        constexpr unsigned kLength = N - 1;
        if (static_cast<std::size_t>(end_ - p_) < kLength || padded_word(p_, kLength) != word_of(s))
            return false;
        p_ += kLength;
        return true;
    }
    bool eat(char c) {
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }
    bool at_end() const { return p_ == end_; }

    // A string's bytes up to its closing quote (consumed), at most 63 of
    // them and none that would need an escape; `rule` is the mask its bytes
    // must all be in (ByteMasks::id, ::name, ...).
    template <class Rule>
    bool string(const char*& at, unsigned& length, Rule rule) {
        const std::size_t rest = static_cast<std::size_t>(end_ - p_);
        // Nearly every string (an id, a name, a site) closes within 16
        // bytes: one block first, the whole 64 only when it does not.
        ByteMasks m = classify_block16(p_, rest < 16 ? rest : 16);
        if (m.quote == 0 && rest > 16)
            m = classify_bytes(p_, rest < kMaskedLine ? rest : kMaskedLine);
        if (m.quote == 0) return false;
        const unsigned n = static_cast<unsigned>(std::countr_zero(m.quote));
        const std::uint64_t span = low_bits(n);
        if (n == 0 || (span & ~(m.plain & rule(m))) != 0) return false;
        at = p_;
        length = n;
        p_ += n + 1;
        return true;
    }

    // A non-negative integer as nlohmann reads one: no leading zero, at
    // most 19 digits here.
    bool number(std::uint64_t& out) {
        const std::size_t rest = static_cast<std::size_t>(end_ - p_);
        // 16 digits at most in one block; the longest (19) need a second.
        ByteMasks m = classify_block16(p_, rest < 16 ? rest : 16);
        if (m.digit == low_bits(16) && rest > 16) m = classify_bytes(p_, rest < 20 ? rest : 20);
        const unsigned digits = static_cast<unsigned>(std::countr_one(m.digit));
        if (digits == 0 || digits > 19 || (*p_ == '0' && digits > 1)) return false;
        out = digits_value(p_, digits);
        p_ += digits;
        return true;
    }

  private:
    const char* p_;
    const char* const end_;
};

const auto kId = [](const ByteMasks& m) { return m.id; };
const auto kName = [](const ByteMasks& m) { return m.name; };
// A label: printable ASCII but space (JSON strings may hold '#').
const auto kLabel = [](const ByteMasks& m) { return ~m.blank; };

}  // namespace

bool JsonEventBuilder::scan_writer_shape(const char* p, std::size_t n, std::uint64_t number,
                                         std::uint64_t line_number, Event& event) {
    ShapeCursor in(p, n);
    const char* kind_at;
    unsigned kind_length;
    if (!in.eat("{\"ev\":\"") || !in.string(kind_at, kind_length, kName) || kind_length > 6)
        return false;
    EventKind kind;
    switch (padded_word(kind_at, kind_length)) {
        case word_of("alloc"):
            kind = EventKind::Alloc;
            break;
        case word_of("set"):
            kind = EventKind::Set;
            break;
        case word_of("drop"):
            kind = EventKind::Drop;
            break;
        case word_of("bind"):
            kind = EventKind::Bind;
            break;
        case word_of("unbind"):
            kind = EventKind::Unbind;
            break;
        case word_of("append"):
            kind = EventKind::Append;
            break;
        case word_of("remove"):
            kind = EventKind::Remove;
            break;
        case word_of("unset"):
            kind = EventKind::Unset;
            break;
        case word_of("clear"):
            kind = EventKind::Clear;
            break;
        default:
            return false;
    }
    std::uint64_t time = last_time_;
    if (in.eat(",\"t\":") && (!in.number(time) || time < last_time_)) return false;

    // The operands in the writer's order (signature order; alloc's own).
    struct Str {
        const char* at = nullptr;
        unsigned length = 0;
    };
    Str id, second, third, site;
    std::uint64_t size = 0;
    bool has_size = false;
    std::size_t nrefs = 0;
    switch (kind) {
        case EventKind::Alloc:
            if (!in.eat(",\"id\":\"") || !in.string(id.at, id.length, kId) ||
                !in.eat(",\"type\"") || !in.eat(":\"") ||
                !in.string(second.at, second.length, kName)) {
                return false;
            }
            if (in.eat(",\"refs\":")) {
                if (!in.eat('[')) return false;
                if (!in.eat(']')) {
                    do {
                        const char* at;
                        unsigned length;
                        if (nrefs == kFastRefs || !in.eat('"') || !in.string(at, length, kId))
                            return false;
                        fast_refs_[nrefs++] = FastString{at, length, kIdChar};
                    } while (in.eat(','));
                    if (!in.eat(']')) return false;
                }
            }
            if (in.eat(",\"size\":")) {
                if (!in.number(size) || size > kMaxSize) return false;
                has_size = true;
            }
            if (in.eat(",\"site\":") && (!in.eat('"') || !in.string(site.at, site.length, kLabel)))
                return false;
            break;
        case EventKind::Bind:
            if (!in.eat(",\"name\":") || !in.eat('"') ||
                !in.string(second.at, second.length, kName) || !in.eat(",\"id\":\"") ||
                !in.string(id.at, id.length, kId)) {
                return false;
            }
            break;
        case EventKind::Unbind:
            if (!in.eat(",\"name\":") || !in.eat('"') ||
                !in.string(second.at, second.length, kName))
                return false;
            break;
        case EventKind::Set:
        case EventKind::Unset:
            if (!in.eat(",\"id\":\"") || !in.string(id.at, id.length, kId) ||
                !in.eat(",\"key\":\"") || !in.string(second.at, second.length, kName)) {
                return false;
            }
            if (kind == EventKind::Set &&
                (!in.eat(",\"ref\":\"") || !in.string(third.at, third.length, kId))) {
                return false;
            }
            break;
        case EventKind::Append:
        case EventKind::Remove:
            if (!in.eat(",\"id\":\"") || !in.string(id.at, id.length, kId) ||
                !in.eat(",\"ref\":\"") || !in.string(third.at, third.length, kId)) {
                return false;
            }
            break;
        default:  // clear, drop
            if (!in.eat(",\"id\":\"") || !in.string(id.at, id.length, kId)) return false;
            break;
    }
    if (!in.eat('}') || !in.at_end()) return false;

    // The line is good: fill the event, interning in the general path's order.
    const auto ident = [&](const Str& s) { return id_of(s.at, s.length); };
    const auto pinned = [&](const Str& s) { return pinned_.intern(symbols_, s.at, s.length); };
    event = Event{};
    event.kind = kind;
    event.number = number;
    event.line = line_number;
    event.time_ns = last_time_ = time;
    switch (kind) {
        case EventKind::Alloc:
            if (has_size) event.size = static_cast<std::int64_t>(size);
            if (site.at != nullptr) event.site = pinned(site);
            event.id = ident(id);
            event.type = pinned(second);
            refs_.clear();
            for (std::size_t i = 0; i < nrefs; ++i)
                refs_.push_back(id_of(fast_refs_[i].data, fast_refs_[i].length));
            event.refs = refs_;
            break;
        case EventKind::Bind:
            event.name = pinned(second);
            event.id = ident(id);
            break;
        case EventKind::Unbind:
            event.name = pinned(second);
            break;
        case EventKind::Set:
            event.id = ident(id);
            event.key = pinned(second);
            event.ref = ident(third);
            break;
        case EventKind::Unset:
            event.id = ident(id);
            event.key = pinned(second);
            break;
        case EventKind::Append:
        case EventKind::Remove:
            event.id = ident(id);
            event.ref = ident(third);
            break;
        default:  // clear, drop
            event.id = ident(id);
            break;
    }
    return true;
}

}  // namespace heapsim

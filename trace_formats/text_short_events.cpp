// The text reader's fastest path: a common event (alloc, bind, unbind,
// append, set, unset, remove, clear, drop) on a line of at most 64 bytes,
// which is nearly every line of a trace. The line is classified 16 bytes at
// a time into one bit per byte (byte_masks.h); its tokens are the runs of
// non-blank bits, each operand is checked against its rule with one mask
// test, the event name is one word compare, and the names, keys, types and
// sites are looked up in a small cache before the symbol table
// (pinned_symbol_cache.h).
//
// It accepts exactly the lines scan_common (text_common_events.cpp) accepts
// and fills the event as it does, interning the same strings in the same
// order; any other line returns false before anything is interned, and the
// general parser takes it, with its diagnostics.

#include <bit>
#include <cstring>

#include "trace_formats/byte_masks.h"
#include "trace_formats/operand_rules.h"
#include "trace_formats/text_reader.h"

namespace heapsim {

bool TextLineParser::scan_fast(const Line& line, std::string_view text, Event& event) {
    if (text.size() > kMaskedLine) return scan_common(text, event);
    if (line.padded) return scan_short(text.data(), text.size(), event);
    // A line from elsewhere than a LineReader (tests): a padded copy.
    char copy[kMaskedLine + kLinePadding] = {};
    std::memcpy(copy, text.data(), text.size());
    return scan_short(copy, text.size(), event);
}
// Its tokens are the runs of non-blank bits, and each operand is checked
// against its rule with one mask test. It accepts the same lines as
// scan_common and fills the event the same way. Only the masks blank,
// name, id and label are read: inlined, the others are not computed.
[[gnu::always_inline]] inline bool TextLineParser::scan_masked(const char* p, std::size_t n,
                                                               const ByteMasks& m, Event& event) {
    const std::uint64_t solid = ~m.blank & low_bits(static_cast<unsigned>(n));
    std::uint64_t starts = solid & ~(solid << 1), ends = solid & ~(solid >> 1);
    // The tokens are taken as they are needed, lowest first: the count is
    // the number of token starts, and each kind reads exactly its operands.
    const unsigned count = static_cast<unsigned>(std::popcount(starts));
    if (count == 0) return false;
    struct Token {
        unsigned at, length;
    };
    const auto next = [&] {
        const unsigned s = static_cast<unsigned>(std::countr_zero(starts));
        const unsigned e = static_cast<unsigned>(std::countr_zero(ends));
        starts &= starts - 1;
        ends &= ends - 1;
        return Token{s, e - s + 1};
    };
    const auto id_ok = [&](Token u) { return (token_span(u.at, u.length) & ~m.id) == 0; };
    const auto name_ok = [&](Token u) { return (token_span(u.at, u.length) & ~m.name) == 0; };

    std::uint64_t time = last_time_;
    Token verb = next();
    unsigned first = 1;  // the first operand's index
    if (p[verb.at] == '@') {
        // Up to 19 digits cannot overflow; longer ones go to the general path.
        const unsigned digits = verb.length - 1u;
        if (digits == 0 || digits > 19) return false;
        time = 0;
        for (const char* d = p + verb.at + 1; d != p + verb.at + 1 + digits; ++d) {
            const unsigned digit = static_cast<unsigned char>(*d) - unsigned{'0'};
            if (digit > 9) return false;
            time = time * 10 + digit;
        }
        if (time < last_time_) return false;
        if (count < 2) return false;
        verb = next();
        first = 2;
    }
    if (verb.length > 6) return false;
    const unsigned operands = count - first;
    Token a{}, b{}, c{}, site{};
    bool has_site = false, has_size = false;
    unsigned ref_count = 0;
    std::uint64_t ref_starts = 0, ref_ends = 0;
    std::uint64_t bytes = 0;
    EventKind kind;
    // Each kind's operands by position, as signature_of() lists them.
    switch (padded_word(p + verb.at, verb.length)) {
        case word_of("alloc"):
            kind = EventKind::Alloc;
            if (operands < 2) return false;
            a = next();
            b = next();
            if (!id_ok(a) || !name_ok(b)) return false;
            // References, then size= and site=, once each.
            ref_starts = starts;
            ref_ends = ends;
            while (starts != 0) {
                const unsigned s = static_cast<unsigned>(std::countr_zero(starts));
                const unsigned e = static_cast<unsigned>(std::countr_zero(ends));
                if (!id_ok(Token{s, e - s + 1})) break;
                starts &= starts - 1;
                ends &= ends - 1;
                ++ref_count;
            }
            while (starts != 0) {
                const Token u = next();
                if (u.length <= 5) return false;
                const std::uint64_t option = padded_word(p + u.at, 5);
                const char* const value = p + u.at + 5;
                const unsigned value_length = u.length - 5u;
                // The site's bytes are the line's: its label bits are there.
                if (option == word_of("site=") && !has_site &&
                    ((m.label >> (u.at + 5u)) | ~low_bits(value_length)) == ~std::uint64_t{0}) {
                    site = u;
                    has_site = true;
                } else if (option == word_of("size=") && !has_size &&
                           parse_decimal(std::string_view(value, value_length), kMaxSize, bytes) ==
                               NumberError::None) {
                    has_size = true;
                } else {
                    return false;
                }
            }
            break;
        case word_of("set"):
            kind = EventKind::Set;
            if (operands != 3) return false;
            a = next();
            b = next();
            c = next();
            if (!id_ok(a) || !name_ok(b) || !id_ok(c)) return false;
            break;
        case word_of("drop"):
            kind = EventKind::Drop;
            if (operands != 1) return false;
            a = next();
            if (!id_ok(a)) return false;
            break;
        case word_of("bind"):
            kind = EventKind::Bind;
            if (operands != 2) return false;
            a = next();
            b = next();
            if (!name_ok(a) || !id_ok(b)) return false;
            break;
        case word_of("unbind"):
            kind = EventKind::Unbind;
            if (operands != 1) return false;
            a = next();
            if (!name_ok(a)) return false;
            break;
        case word_of("append"):
        case word_of("remove"):
            kind = verb.length == 6 && p[verb.at] == 'a' ? EventKind::Append : EventKind::Remove;
            if (operands != 2) return false;
            a = next();
            b = next();
            if (!id_ok(a) || !id_ok(b)) return false;
            break;
        case word_of("unset"):
            kind = EventKind::Unset;
            if (operands != 2) return false;
            a = next();
            b = next();
            if (!id_ok(a) || !name_ok(b)) return false;
            break;
        case word_of("clear"):
            kind = EventKind::Clear;
            if (operands != 1) return false;
            a = next();
            if (!id_ok(a)) return false;
            break;
        default:
            return false;  // type, weakref, collect, gc, threshold, expect: rare
    }

    // The line is good: intern in the general parser's order, then write
    // the fields a fast-path event has, each once. The others (decl,
    // action, label, values, ...) keep their defaults from the last full
    // reset while `event` is the one this parser last filled here.
    const auto id = [&](Token u) { return id_of(p + u.at, u.length); };
    const auto pinned = [&](Token u) { return pinned_.intern(symbols_, p + u.at, u.length); };
    Sym object = kNoSym, ref = kNoSym, name = kNoSym, key = kNoSym, type = kNoSym,
        site_sym = kNoSym;
    std::int64_t size_value = -1;
    std::span<const Sym> refs;
    switch (kind) {
        case EventKind::Alloc:
            if (has_size) size_value = static_cast<std::int64_t>(bytes);
            if (has_site) site_sym = pinned_.intern(symbols_, p + site.at + 5, site.length - 5u);
            object = id(a);
            type = pinned(b);
            refs_.clear();
            for (unsigned r = 0; r < ref_count; ++r) {
                const unsigned s = static_cast<unsigned>(std::countr_zero(ref_starts));
                const unsigned e = static_cast<unsigned>(std::countr_zero(ref_ends));
                ref_starts &= ref_starts - 1;
                ref_ends &= ref_ends - 1;
                refs_.push_back(id(Token{s, e - s + 1}));
            }
            refs = refs_;
            break;
        case EventKind::Bind:
            name = pinned(a);
            object = id(b);
            break;
        case EventKind::Unbind:
            name = pinned(a);
            break;
        case EventKind::Set:
            object = id(a);
            key = pinned(b);
            ref = id(c);
            break;
        case EventKind::Unset:
            object = id(a);
            key = pinned(b);
            break;
        case EventKind::Append:
        case EventKind::Remove:
            object = id(a);
            ref = id(b);
            break;
        default:  // clear, drop
            object = id(a);
            break;
    }
    if (clean_event_ != &event) {
        event = Event{};
        clean_event_ = &event;
    }
    event.kind = kind;
    event.time_ns = time;
    event.id = object;
    event.ref = ref;
    event.name = name;
    event.key = key;
    event.type = type;
    event.site = site_sym;
    event.size = size_value;
    event.refs = refs;
    return true;
}

// The fast path for a line of at most kMaskedLine bytes with kLinePadding
// readable bytes after it: the whole line is classified at once
// (byte_masks.h), 32 bytes at a time where the CPU has AVX2, else 16.
bool TextLineParser::scan_short(const char* p, std::size_t n, Event& event) {
#if defined(HEAPSIM_AVX2_PATH)
    if (avx2_) return scan_short_avx2(p, n, event);
#endif
    return scan_masked(p, n, classify_bytes(p, n), event);
}

#if defined(HEAPSIM_AVX2_PATH)
[[gnu::target("avx2")]] bool TextLineParser::scan_short_avx2(const char* p, std::size_t n,
                                                             Event& event) {
    return scan_masked(p, n, classify_bytes_avx2(p, n), event);
}

// parse()'s fast branch for a line still in the LineReader's buffer: the
// line's end is found in its masks, and every check parse() makes before
// scan_fast holds here by construction (not too long, terminated, not the
// first line, which may start with a byte-order mark) or is made (no
// end-of-trace record yet, in parse_buffered). A line ending in "\r" is
// left to parse(), which strips it.
[[gnu::target("avx2")]] std::size_t TextLineParser::parse_buffered_avx2(const char* p,
                                                                        std::size_t avail,
                                                                        std::uint64_t number,
                                                                        Event& event) {
    const ClassifiedLine line = classify_line_avx2(p);
    const std::size_t n = line.length;
    if (n >= avail || n == kMaskedLine || (n != 0 && p[n - 1] == '\r')) return 0;
    if (!scan_masked(p, n, line.masks, event)) return 0;
    last_line_ = number;
    seen_content_ = true;
    event.number = ++number_;
    event.line = number;
    last_time_ = event.time_ns;
    return n + 1;
}
#else
std::size_t TextLineParser::parse_buffered_avx2(const char*, std::size_t, std::uint64_t, Event&) {
    return 0;  // buffered_ is never set without the AVX2 path
}

bool TextLineParser::scan_short_avx2(const char* p, std::size_t n, Event& event) {
    return scan_masked(p, n, classify_bytes(p, n), event);
}
#endif

}  // namespace heapsim

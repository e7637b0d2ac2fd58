#pragma once
// The operand rules that the text and JSON encodings share: which bytes a
// token may hold, how large a number may be, the names of events, actions
// and flags, and the wording of every diagnostic about them. Both readers
// go through here, so the same mistake gets the same message in either
// encoding, e.g. "alloc: bad id '!x' (ids are 1-64 characters of ...)".
//
// The checks sit on the per-event path: the valid case is inline and
// allocation-free; only building a diagnostic allocates.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "events/diagnostic.h"
#include "events/event.h"

namespace heapsim {

enum class TokenRule : std::uint8_t {
    Id,        // 1-64 of A-Za-z0-9_.:-
    Name,      // 1-256 of A-Za-z0-9_.:/-  (root names)
    Key,       // same as Name (container slot keys)
    TypeName,  // same as Name
    Label,     // site= and callback=: 1-1024 bytes of UTF-8, no spaces or control bytes
};

inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxNameLength = 256;
inline constexpr std::size_t kMaxLabelLength = 1024;

// size=N, bytes: the simulator keeps an object's size in 32 bits, so a larger
// value would be silently clamped and every byte count after it wrong.
inline constexpr std::uint64_t kMaxSize = 4294967295;
inline constexpr std::uint64_t kMaxSlots = 2147483647;             // slots=K
inline constexpr std::uint64_t kMaxThreshold = 2147483647;  // CPython parses thresholds as C int
inline constexpr std::uint64_t kMaxExpected = std::numeric_limits<std::int64_t>::max();
inline constexpr std::uint64_t kMaxTimestamp = std::numeric_limits<std::uint64_t>::max();
inline constexpr int kFormatVersion = 1;

/// Character classes of token bytes: kIdChar for A-Za-z0-9_.:-, kNameChar
/// for those and '/'. A tokenizer that ANDs them over a token's bytes can
/// check it against a rule without a second pass (token_valid_given).
inline constexpr std::uint8_t kIdChar = 1;
inline constexpr std::uint8_t kNameChar = 2;

namespace detail {
constexpr std::array<std::uint8_t, 256> make_token_chars() {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        const bool id = alnum || c == '_' || c == '.' || c == ':' || c == '-';
        table[c] = static_cast<std::uint8_t>((id ? kIdChar : 0) | (id || c == '/' ? kNameChar : 0));
    }
    return table;
}
bool valid_label(std::string_view token);
}  // namespace detail

inline constexpr std::array<std::uint8_t, 256> kTokenChars = detail::make_token_chars();

/// Whether `token`, whose bytes all have the class bits `chars`, obeys `rule`.
inline bool token_valid_given(TokenRule rule, std::string_view token, std::uint8_t chars) {
    switch (rule) {
        case TokenRule::Id:
            return (chars & kIdChar) != 0 && !token.empty() && token.size() <= kMaxIdLength;
        case TokenRule::Name:
        case TokenRule::Key:
        case TokenRule::TypeName:
            return (chars & kNameChar) != 0 && !token.empty() && token.size() <= kMaxNameLength;
        case TokenRule::Label:
            return detail::valid_label(token);
    }
    return false;
}

/// The class bits that all bytes of `token` share.
inline std::uint8_t token_chars(std::string_view token) {
    std::uint8_t chars = kIdChar | kNameChar;
    for (const char c : token) chars &= kTokenChars[static_cast<unsigned char>(c)];
    return chars;
}

inline bool token_valid(TokenRule rule, std::string_view token) {
    return token_valid_given(rule, token, rule == TokenRule::Label ? 0 : token_chars(token));
}

enum class NumberError : std::uint8_t { None, NotNumber, TooLarge };

/// Parses a plain decimal (digits only: no sign, no spaces) of at most `max`.
inline NumberError parse_decimal(std::string_view token, std::uint64_t max, std::uint64_t& out) {
    if (token.empty()) return NumberError::NotNumber;
    std::uint64_t value = 0;
    bool too_large = false;
    for (const char c : token) {
        const unsigned digit = static_cast<unsigned char>(c) - unsigned{'0'};
        if (digit > 9) return NumberError::NotNumber;
        if (value > (max - digit) / 10) too_large = true;  // value * 10 + digit > max
        if (!too_large) value = value * 10 + digit;
    }
    if (too_large) return NumberError::TooLarge;
    out = value;
    return NumberError::None;
}

/// `text` with every byte outside printable ASCII written as \xNN, so that
/// a message stays valid UTF-8 whatever the input held.
std::string printable(std::string_view text);
/// `token` quoted for a message: bytes outside printable ASCII as \xNN, cut
/// after 64 bytes.
std::string quote_token(std::string_view token);

/// "<event>: bad <role> '<token>' (<rule in words>)", kind BadToken.
Diagnostic bad_token(std::string_view event, std::string_view role, TokenRule rule,
                     std::string_view token);
/// "<event>: bad <role> '<token>' (expected a non-negative integer | at most N)".
Diagnostic bad_number(std::string_view event, std::string_view role, std::string_view token,
                      NumberError why, std::uint64_t max);
Diagnostic make_diagnostic(ErrorKind kind, std::string message, bool fatal = false);

/// Checks a token, filling `error` when it breaks `rule`. (`role` is a C
/// string so that the valid case does not even measure it.)
inline bool check_token(std::string_view event, const char* role, TokenRule rule,
                        std::string_view token, Diagnostic& error) {
    if (token_valid(rule, token)) return true;
    error = bad_token(event, role, rule, token);
    return false;
}

/// As check_token, for a token whose class bits the tokenizer already knows.
inline bool check_token_given(std::string_view event, const char* role, TokenRule rule,
                              std::string_view token, std::uint8_t chars, Diagnostic& error) {
    if (token_valid_given(rule, token, chars)) return true;
    error = bad_token(event, role, rule, token);
    return false;
}

/// Parses a number operand, filling `error` when it is not one or too large.
inline bool check_number(std::string_view event, const char* role, std::string_view token,
                         std::uint64_t max, std::uint64_t& out, Diagnostic& error) {
    const NumberError why = parse_decimal(token, max, out);
    if (why == NumberError::None) return true;
    error = bad_number(event, role, token, why, max);
    return false;
}

/// The generation of `collect GEN`: 0..2; anything else that looks like an
/// integer is CPython's ValueError (InvalidGeneration), the rest BadNumber.
bool check_generation(std::string_view token, int& out, Diagnostic& error);

/// "unknown event 'alocc'", kind UnknownEvent.
Diagnostic unknown_event(std::string_view name);
/// "<event>: timestamp <t> is earlier than the previous event's <prev>", kind Timestamp.
Diagnostic timestamp_decreasing(std::string_view event, std::string_view token,
                                std::string_view previous);
/// "unsupported heaptrace version '<v>' (this reader supports version 1)", fatal Header.
Diagnostic unsupported_version(std::string_view version);

std::optional<EventKind> event_kind_named(std::string_view name);
/// event_name() as a string_view, without measuring it on every event.
std::string_view event_label(EventKind kind);
std::optional<GcAction> gc_action_named(std::string_view name);
std::optional<ExpectKind> expect_kind_named(std::string_view name);
const char* expect_kind_name(ExpectKind kind);
/// "expect alive", "expect refcount", ...: how messages name an assertion.
const char* expect_label(ExpectKind kind);
/// The TypeDecl flag called `name` (gc, weakrefable, finalizer,
/// legacy_finalizer, instance), or null.
bool* type_flag_named(TypeDecl& decl, std::string_view name);

/// One symbol operand of an event: its rule, its name (the role in
/// messages, and the field name in JSON) and where it goes in the Event.
struct SymbolOperand {
    TokenRule rule;
    const char* role;
    Sym Event::*field;
};

/// The leading symbol operands of an event, in text order. Events with
/// other operands (numbers, words) list only their symbols here and handle
/// the rest themselves.
struct Signature {
    const char* usage;  // positional operands in words, for count errors: "NAME ID"
    int count;          // how many of `operands` are used
    SymbolOperand operands[3];
};

/// The signature of `kind`; for expect, of the assertion (alive, refcount, ...).
const Signature& signature_of(EventKind kind);
const Signature& expect_signature_of(ExpectKind kind);

/// `gc finalizer ID NAME` / `gc callback ID NAME` (collection hooks): the
/// symbols after the action.
const Signature& collection_hook_signature();
inline bool is_collection_hook(GcAction a) { return a == GcAction::Finalizer || a == GcAction::Callback; }

/// "gc: unknown action 'x' (expected enable, disable, freeze or unfreeze)", Syntax.
Diagnostic unknown_gc_action(std::string_view token);
/// "expect: unknown assertion 'x' (expected alive, freed, ...)", Syntax.
Diagnostic unknown_expectation(std::string_view token);

}  // namespace heapsim

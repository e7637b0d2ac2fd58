#include "trace_formats/operand_rules.h"

#include <array>
#include <cstring>
#include <iterator>

namespace heapsim {
namespace detail {

// Labels end up in reports (JSON among them), so they must be valid UTF-8;
// spaces and control bytes are excluded so that every label is one token.
bool valid_label(std::string_view token) {
    if (token.empty() || token.size() > kMaxLabelLength) return false;
    std::size_t i = 0;
    while (i < token.size()) {
        const auto c = static_cast<unsigned char>(token[i]);
        if (c < 0x80) {
            if (c <= 0x20 || c == 0x7f) return false;
            ++i;
            continue;
        }
        // Multi-byte sequence: lead byte, then 1-3 continuation bytes,
        // rejecting overlong forms, surrogates and values above U+10FFFF.
        std::size_t extra = 0;
        unsigned lo = 0x80, hi = 0xBF;  // range of the first continuation byte
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (i + extra >= token.size()) return false;  // sequence cut short
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(token[i + k]);
            const unsigned low = k == 1 ? lo : 0x80, high = k == 1 ? hi : 0xBF;
            if (b < low || b > high) return false;
        }
        i += extra + 1;
    }
    return true;
}

}  // namespace detail

namespace {

const char* rule_in_words(TokenRule rule) {
    switch (rule) {
        case TokenRule::Id:
            return "ids are 1-64 characters of A-Za-z0-9_.:-";
        case TokenRule::Name:
            return "names are 1-256 characters of A-Za-z0-9_.:/-";
        case TokenRule::Key:
            return "keys are 1-256 characters of A-Za-z0-9_.:/-";
        case TokenRule::TypeName:
            return "type names are 1-256 characters of A-Za-z0-9_.:/-";
        case TokenRule::Label:
            return "labels are 1-1024 bytes of UTF-8 without spaces or control characters";
    }
    return "";
}

std::string prefixed(std::string_view event, std::string_view rest) {
    std::string message(event);
    message += ": ";
    message += rest;
    return message;
}

}  // namespace

std::string printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7f) {
            out += ch;
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string quote_token(std::string_view token) {
    constexpr std::size_t kShown = 64;
    std::string out = "'" + printable(token.substr(0, kShown));
    if (token.size() > kShown) out += "...";
    return out + "'";
}

Diagnostic make_diagnostic(ErrorKind kind, std::string message, bool fatal) {
    Diagnostic d;
    d.kind = kind;
    d.message = std::move(message);
    d.fatal = fatal;
    return d;
}

Diagnostic bad_token(std::string_view event, std::string_view role, TokenRule rule,
                     std::string_view token) {
    std::string rest =
        "bad " + std::string(role) + " " + quote_token(token) + " (" + rule_in_words(rule) + ")";
    return make_diagnostic(ErrorKind::BadToken, prefixed(event, rest));
}

Diagnostic bad_number(std::string_view event, std::string_view role, std::string_view token,
                      NumberError why, std::uint64_t max) {
    std::string rest = "bad " + std::string(role) + " " + quote_token(token);
    rest += why == NumberError::TooLarge ? " (at most " + std::to_string(max) + ")"
                                         : std::string(" (expected a non-negative integer)");
    return make_diagnostic(ErrorKind::BadNumber, prefixed(event, rest));
}

bool check_generation(std::string_view token, int& out, Diagnostic& error) {
    std::uint64_t value = 0;
    const std::string_view digits = token.starts_with('-') ? token.substr(1) : token;
    const NumberError why = parse_decimal(digits, kMaxTimestamp, value);
    if (why == NumberError::NotNumber) {
        error =
            make_diagnostic(ErrorKind::BadNumber, "collect: bad generation " + quote_token(token) +
                                                      " (expected 0, 1 or 2)");
        return false;
    }
    if (why == NumberError::TooLarge || digits.size() != token.size() || value > 2) {
        error = make_diagnostic(
            ErrorKind::InvalidGeneration,
            "collect: invalid generation " + quote_token(token) + " (expected 0, 1 or 2)");
        return false;
    }
    out = static_cast<int>(value);
    return true;
}

Diagnostic unknown_event(std::string_view name) {
    return make_diagnostic(ErrorKind::UnknownEvent, "unknown event " + quote_token(name));
}

Diagnostic timestamp_decreasing(std::string_view event, std::string_view token,
                                std::string_view previous) {
    return make_diagnostic(
        ErrorKind::Timestamp,
        prefixed(event, "timestamp " + std::string(token) +
                            " is earlier than the previous event's " + std::string(previous)));
}

Diagnostic unsupported_version(std::string_view version) {
    return make_diagnostic(ErrorKind::Header,
                           "unsupported heaptrace version " + quote_token(version) +
                               " (this reader supports version 1)",
                           true);
}

// Runs once per event line: a switch on the length leaves one or two
// candidates to compare.
std::optional<EventKind> event_kind_named(std::string_view name) {
    // The size is known here, so the compare is a fixed-size one that the
    // compiler inlines, not a call to memcmp.
    const auto is = [&](std::string_view text, EventKind kind) -> std::optional<EventKind> {
        if (name.size() == text.size() && std::memcmp(name.data(), text.data(), text.size()) == 0)
            return kind;
        return std::nullopt;
    };
    if (name.empty()) return std::nullopt;
    switch (name.size()) {
        case 2:
            return is("gc", EventKind::GcControl);
        case 3:
            return is("set", EventKind::Set);
        case 4:
            if (name[0] == 'b') return is("bind", EventKind::Bind);
            if (name[0] == 'd') return is("drop", EventKind::Drop);
            return is("type", EventKind::Type);
        case 5:
            if (name[0] == 'a') return is("alloc", EventKind::Alloc);
            if (name[0] == 'u') return is("unset", EventKind::Unset);
            return is("clear", EventKind::Clear);
        case 6:
            if (name[0] == 'a') return is("append", EventKind::Append);
            if (name[0] == 'u') return is("unbind", EventKind::Unbind);
            if (name[0] == 'r') return is("remove", EventKind::Remove);
            return is("expect", EventKind::Expect);
        case 7:
            if (name[0] == 'w') return is("weakref", EventKind::Weakref);
            return is("collect", EventKind::Collect);
        case 9:
            return is("threshold", EventKind::Threshold);
        default:
            return std::nullopt;
    }
}

namespace {
// By EventKind; the same words as event_name() (a test checks), but known at
// compile time, so no static initialisation order can catch it empty.
constexpr std::string_view kEventLabels[] = {
    "type",  "alloc", "bind",    "unbind",  "append", "set",       "unset",  "remove",
    "clear", "drop",  "weakref", "collect", "gc",     "threshold", "expect",
};
static_assert(std::size(kEventLabels) == static_cast<std::size_t>(EventKind::Expect) + 1);
}  // namespace

std::string_view event_label(EventKind kind) {
    return kEventLabels[static_cast<int>(kind)];
}

std::optional<GcAction> gc_action_named(std::string_view name) {
    if (name == "enable") return GcAction::Enable;
    if (name == "disable") return GcAction::Disable;
    if (name == "freeze") return GcAction::Freeze;
    if (name == "unfreeze") return GcAction::Unfreeze;
    if (name == "safepoint") return GcAction::Safepoint;
    if (name == "uncounted") return GcAction::Uncounted;
    if (name == "counts") return GcAction::Counts;
    if (name == "longlived") return GcAction::LongLived;
    if (name == "finalizer") return GcAction::Finalizer;
    if (name == "callback") return GcAction::Callback;
    return std::nullopt;
}

std::optional<ExpectKind> expect_kind_named(std::string_view name) {
    if (name == "alive") return ExpectKind::Alive;
    if (name == "freed") return ExpectKind::Freed;
    if (name == "refcount") return ExpectKind::Refcount;
    if (name == "count") return ExpectKind::Count;
    if (name == "collected") return ExpectKind::Collected;
    if (name == "collection") return ExpectKind::Collection;
    return std::nullopt;
}

const char* expect_kind_name(ExpectKind kind) {
    switch (kind) {
        case ExpectKind::Alive:
            return "alive";
        case ExpectKind::Freed:
            return "freed";
        case ExpectKind::Refcount:
            return "refcount";
        case ExpectKind::Count:
            return "count";
        case ExpectKind::Collected:
            return "collected";
        case ExpectKind::Collection:
            return "collection";
    }
    return "?";
}

const char* expect_label(ExpectKind kind) {
    switch (kind) {
        case ExpectKind::Alive:
            return "expect alive";
        case ExpectKind::Freed:
            return "expect freed";
        case ExpectKind::Refcount:
            return "expect refcount";
        case ExpectKind::Count:
            return "expect count";
        case ExpectKind::Collected:
            return "expect collected";
        case ExpectKind::Collection:
            return "expect collection";
    }
    return "expect";
}

bool* type_flag_named(TypeDecl& decl, std::string_view name) {
    if (name == "gc") return &decl.gc;
    if (name == "weakrefable") return &decl.weakrefable;
    if (name == "finalizer") return &decl.finalizer;
    if (name == "legacy_finalizer") return &decl.legacy_finalizer;
    if (name == "instance") return &decl.instance;
    return nullptr;
}

namespace {
constexpr SymbolOperand kId{TokenRule::Id, "id", &Event::id};
constexpr SymbolOperand kRef{TokenRule::Id, "ref", &Event::ref};
constexpr SymbolOperand kName{TokenRule::Name, "name", &Event::name};
constexpr SymbolOperand kKey{TokenRule::Key, "key", &Event::key};

// By EventKind. Constant-initialised: looking one up costs an index.
constexpr Signature kSignatures[] = {
    {"TYPE [FLAG...]", 1, {{TokenRule::TypeName, "name", &Event::name}}},         // type
    {"ID TYPE [REF...]", 2, {kId, {TokenRule::TypeName, "type", &Event::type}}},  // alloc
    {"NAME ID", 2, {kName, kId}},                                                 // bind
    {"NAME", 1, {kName}},                                                         // unbind
    {"ID REF", 2, {kId, kRef}},                                                   // append
    {"ID KEY REF", 3, {kId, kKey, kRef}},                                         // set
    {"ID KEY", 2, {kId, kKey}},                                                   // unset
    {"ID REF", 2, {kId, kRef}},                                                   // remove
    {"ID", 1, {kId}},                                                             // clear
    {"ID", 1, {kId}},                                                             // drop
    {"ID TARGET", 2, {kId, {TokenRule::Id, "target", &Event::ref}}},              // weakref
    {"[GEN]", 0, {}},                                                             // collect
    {"enable|disable|freeze|unfreeze", 0, {}},                                    // gc
    {"T0 [T1 [T2]]", 0, {}},                                                      // threshold
    {"alive|freed|refcount|count|collected ...", 0, {}},                          // expect
};
static_assert(std::size(kSignatures) == static_cast<std::size_t>(EventKind::Expect) + 1);

// By ExpectKind.
constexpr Signature kExpectSignatures[] = {
    {"ID", 1, {kId}},     // alive
    {"ID", 1, {kId}},     // freed
    {"ID N", 1, {kId}},   // refcount
    {"C0 C1 C2", 0, {}},  // count
    {"N", 0, {}},         // collected
    {"GEN COLLECTED UNCOLLECTABLE", 0, {}},  // collection
};
static_assert(std::size(kExpectSignatures) == static_cast<std::size_t>(ExpectKind::Collection) + 1);
}  // namespace

const Signature& signature_of(EventKind kind) {
    return kSignatures[static_cast<int>(kind)];
}

const Signature& collection_hook_signature() {
    static constexpr Signature kHook{"finalizer|callback ID NAME", 2, {kId, kName}};
    return kHook;
}

const Signature& expect_signature_of(ExpectKind kind) {
    return kExpectSignatures[static_cast<int>(kind)];
}

Diagnostic unknown_gc_action(std::string_view token) {
    return make_diagnostic(ErrorKind::Syntax, "gc: unknown action " + quote_token(token) +
                                                  " (expected enable, disable, freeze, unfreeze, "
                                                  "safepoint, uncounted, counts, longlived, finalizer or callback)");
}

Diagnostic unknown_expectation(std::string_view token) {
    return make_diagnostic(ErrorKind::Syntax,
                           "expect: unknown assertion " + quote_token(token) +
                               " (expected alive, freed, refcount, count, collected or collection)");
}

}  // namespace heapsim

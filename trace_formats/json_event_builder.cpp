#include "trace_formats/json_event_builder.h"

#include <charconv>

namespace heapsim {
namespace {

using Field = JsonEventBuilder::Field;

constexpr std::string_view kMemberNames[] = {
    "ev",       "t",        "id",          "type",      "refs",
    "size",     "site",     "name",        "ref",       "key",
    "target",   "callback", "gen",         "action",    "what",
    "values",   "gc",       "weakrefable", "finalizer", "legacy_finalizer",
    "instance", "slots",
};
static_assert(std::size(kMemberNames) == static_cast<std::size_t>(Field::None));

constexpr std::uint32_t bit(Field field) {
    return 1u << static_cast<int>(field);
}

// Runs for every member of every event: the length and first byte leave at
// most two candidates to compare.
Field field_named(std::string_view name) {
    const auto is = [&](Field field) {
        return kMemberNames[static_cast<int>(field)] == name ? field : Field::None;
    };
    if (name.empty()) return Field::None;
    switch (name.size()) {
        case 1:
            return is(Field::T);
        case 2:
            if (name[0] == 'e') return is(Field::Ev);
            if (name[0] == 'i') return is(Field::Id);
            return is(Field::Gc);
        case 3:
            if (name[0] == 'r') return is(Field::Ref);
            if (name[0] == 'k') return is(Field::Key);
            return is(Field::Gen);
        case 4:
            switch (name[0]) {
                case 't':
                    return is(Field::Type);
                case 'r':
                    return is(Field::Refs);
                case 'n':
                    return is(Field::Name);
                case 'w':
                    return is(Field::What);
                case 's':
                    return name[1] == 'i' && name[2] == 'z' ? is(Field::Size) : is(Field::Site);
                default:
                    return Field::None;
            }
        case 5:
            return is(Field::Slots);
        case 6:
            if (name[0] == 't') return is(Field::Target);
            if (name[0] == 'a') return is(Field::Action);
            return is(Field::Values);
        case 8:
            return name[0] == 'c' ? is(Field::Callback) : is(Field::Instance);
        case 9:
            return is(Field::Finalizer);
        case 11:
            return is(Field::Weakrefable);
        case 16:
            return is(Field::LegacyFinalizer);
        default:
            return Field::None;
    }
}

std::string_view member_name(Field field) {
    return kMemberNames[static_cast<int>(field)];
}

// The members each event may have besides "ev" and "t".
std::uint32_t allowed_members(EventKind kind) {
    switch (kind) {
        case EventKind::Type:
            return bit(Field::Name) | bit(Field::Gc) | bit(Field::Weakrefable) |
                   bit(Field::Finalizer) | bit(Field::LegacyFinalizer) | bit(Field::Instance) |
                   bit(Field::Size) | bit(Field::Slots);
        case EventKind::Alloc:
            return bit(Field::Id) | bit(Field::Type) | bit(Field::Refs) | bit(Field::Size) |
                   bit(Field::Site);
        case EventKind::Bind:
            return bit(Field::Name) | bit(Field::Id);
        case EventKind::Unbind:
            return bit(Field::Name);
        case EventKind::Append:
        case EventKind::Remove:
            return bit(Field::Id) | bit(Field::Ref);
        case EventKind::Set:
            return bit(Field::Id) | bit(Field::Key) | bit(Field::Ref);
        case EventKind::Unset:
            return bit(Field::Id) | bit(Field::Key);
        case EventKind::Clear:
        case EventKind::Drop:
            return bit(Field::Id);
        case EventKind::Weakref:
            return bit(Field::Id) | bit(Field::Target) | bit(Field::Callback);
        case EventKind::Collect:
            return bit(Field::Gen);
        case EventKind::GcControl:  // id, name: collection hooks
            return bit(Field::Action) | bit(Field::Values) | bit(Field::Id) | bit(Field::Name);
        case EventKind::Threshold:
            return bit(Field::Values);
        case EventKind::Expect:
            return bit(Field::What) | bit(Field::Id) | bit(Field::Values);
    }
    return 0;
}

std::uint32_t allowed_expect_members(ExpectKind kind) {
    switch (kind) {
        case ExpectKind::Alive:
        case ExpectKind::Freed:
            return bit(Field::What) | bit(Field::Id);
        case ExpectKind::Refcount:
            return bit(Field::What) | bit(Field::Id) | bit(Field::Values);
        case ExpectKind::Count:
        case ExpectKind::Collected:
        case ExpectKind::Collection:
            return bit(Field::What) | bit(Field::Values);
    }
    return 0;
}

Diagnostic member_error(std::string_view label, std::string_view what, std::string_view name) {
    std::string message;
    if (!label.empty()) message.append(label).append(": ");
    message.append(what).append(" ").append(quote_token(name));
    return make_diagnostic(ErrorKind::Syntax, std::move(message));
}

Diagnostic wrong_type(std::string_view label, Field field, std::string_view expected) {
    return make_diagnostic(ErrorKind::Syntax, std::string(label) + ": field '" +
                                                  std::string(member_name(field)) + "' must be " +
                                                  std::string(expected));
}

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

JsonEventBuilder::JsonEventBuilder(SymbolTable& symbols) : symbols_(symbols) {}

// ---- collecting members, as the SAX parser reports them ----

void JsonEventBuilder::begin() {
    present_ = 0;
    current_ = Field::None;
    depth_ = 1;
    in_member_array_ = false;
    has_unknown_ = false;
    has_duplicate_ = false;
    items_.clear();
    item_text_.clear();
}

void JsonEventBuilder::key(std::string_view name) {
    if (depth_ != 1) return;  // a key inside a nested object: the member is wrong anyway
    current_ = field_named(name);
    if (current_ == Field::None) {
        if (!has_unknown_) unknown_member_.assign(name);
        has_unknown_ = true;
        return;
    }
    if (has(current_) && !has_duplicate_) {
        duplicate_member_.assign(name);
        has_duplicate_ = true;
    }
    present_ |= bit(current_);
    current().nested = false;
}

void JsonEventBuilder::scalar(JsonType type, std::string_view text, std::uint64_t number,
                              bool flag) {
    if (current_ == Field::None) return;
    if (depth_ == 1) {
        Value& v = current();
        v.type = type;
        v.text.assign(text);
        v.number = number;
        v.flag = flag;
    } else if (depth_ == 2 && in_member_array_) {
        items_.push_back(Item{current_, type, number, static_cast<std::uint32_t>(item_text_.size()),
                              static_cast<std::uint32_t>(text.size())});
        item_text_.append(text);
    }
}

void JsonEventBuilder::string(std::string_view value) {
    scalar(JsonType::String, value, 0, false);
}

void JsonEventBuilder::unsigned_number(std::uint64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    // An integer id is the same object as the text id of its digits.
    scalar(JsonType::Unsigned, std::string_view(digits, end - digits), value, false);
}

void JsonEventBuilder::negative_number(std::int64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    scalar(JsonType::Negative, std::string_view(digits, end - digits), 0, false);
}

void JsonEventBuilder::float_number(std::string_view raw) {
    scalar(JsonType::Float, raw, 0, false);
}
void JsonEventBuilder::boolean(bool value) {
    scalar(JsonType::Bool, value ? "true" : "false", 0, value);
}
void JsonEventBuilder::null() {
    scalar(JsonType::Null, "null", 0, false);
}

void JsonEventBuilder::start_array() {
    if (depth_ == 1) {
        if (current_ != Field::None) current().type = JsonType::Array;
        in_member_array_ = true;
    } else if (current_ != Field::None) {
        current().nested = true;
    }
    ++depth_;
}

void JsonEventBuilder::start_object() {
    if (depth_ == 1) {
        if (current_ != Field::None) current().type = JsonType::Object;
        in_member_array_ = false;
    } else if (current_ != Field::None) {
        current().nested = true;
    }
    ++depth_;
}

void JsonEventBuilder::end_array() {
    --depth_;
}

bool JsonEventBuilder::end_object() {
    return --depth_ == 0;
}

// ---- checking them into an Event ----

bool JsonEventBuilder::finish(std::uint64_t number, std::uint64_t line, Event& event,
                              Diagnostic& error) {
    event = Event{};
    event.number = number;
    event.line = line;
    if (take_event(event, error)) {
        last_time_ = event.time_ns;
        return true;
    }
    error.line = line;
    error.event = number;
    return false;
}

bool JsonEventBuilder::take_event(Event& event, Diagnostic& error) {
    if (!has(Field::Ev) || value(Field::Ev).type != JsonType::String) {
        error = make_diagnostic(ErrorKind::Syntax, has(Field::Ev) ? "field 'ev' must be a string"
                                                                  : "missing field 'ev'");
        return false;
    }
    const std::optional<EventKind> kind = event_kind_named(value(Field::Ev).text);
    if (!kind) {
        error = unknown_event(value(Field::Ev).text);
        return false;
    }
    event.kind = *kind;
    const std::string_view label = event_name(*kind);
    if (has_unknown_) {
        error = member_error(label, "unknown field", unknown_member_);
        return false;
    }
    if (has_duplicate_) {
        error = member_error(label, "duplicate field", duplicate_member_);
        return false;
    }
    // expect's members depend on the assertion: take_expect checks them.
    if (*kind != EventKind::Expect && !check_members(label, allowed_members(*kind), error)) {
        return false;
    }
    return check_timestamp(label, event, error) && take_operands(label, event, error);
}

bool JsonEventBuilder::check_members(std::string_view label, std::uint32_t allowed,
                                     Diagnostic& error) const {
    const std::uint32_t extra = present_ & ~(allowed | bit(Field::Ev) | bit(Field::T));
    if (extra == 0) return true;
    for (int f = 0; f < static_cast<int>(Field::None); ++f) {
        if ((extra >> f) & 1u) {
            error = member_error(label, "unexpected field", member_name(static_cast<Field>(f)));
            break;
        }
    }
    return false;
}

bool JsonEventBuilder::check_timestamp(std::string_view label, Event& event,
                                       Diagnostic& error) const {
    event.time_ns = last_time_;
    if (!has(Field::T)) return true;
    std::uint64_t time = 0;
    if (!number(label, Field::T, "timestamp", kMaxTimestamp, time, error)) return false;
    if (time < last_time_) {
        error = timestamp_decreasing(label, value(Field::T).text, std::to_string(last_time_));
        return false;
    }
    event.time_ns = time;
    return true;
}

bool JsonEventBuilder::take_operands(std::string_view label, Event& event, Diagnostic& error) {
    switch (event.kind) {
        case EventKind::Type:
            return take_type(event, error);
        case EventKind::Alloc:
            return take_alloc(event, error);
        case EventKind::Collect:
            return take_collect(event, error);
        case EventKind::GcControl:
            if (!take_gc(event, error)) return false;
            if (event.action == GcAction::Counts)
                return take_values(label, "counts", 3, 3, kMaxExpected, event, error);
            if (event.action == GcAction::LongLived)
                return take_values(label, "longlived", 2, 2, kMaxExpected, event, error);
            if (is_collection_hook(event.action))
                return take_symbols(label, collection_hook_signature(), event, error);
            return true;
        case EventKind::Threshold:
            return take_values(label, "threshold", 1, 3, kMaxThreshold, event, error);
        case EventKind::Expect:
            return take_expect(event, error);
        case EventKind::Weakref:
            return label_member(label, Field::Callback, event.label, error) &&
                   take_symbols(label, signature_of(event.kind), event, error);
        default:
            return take_symbols(label, signature_of(event.kind), event, error);
    }
}

// All of a signature's operands are checked before any is interned, so a
// bad event leaves nothing behind in the symbol table.
bool JsonEventBuilder::take_symbols(std::string_view label, const Signature& signature,
                                    Event& event, Diagnostic& error) {
    std::string_view tokens[3];
    for (int i = 0; i < signature.count; ++i) {
        const SymbolOperand& operand = signature.operands[i];
        if (!symbol_token(label, field_named(operand.role), operand.role, operand.rule, tokens[i],
                          error)) {
            return false;
        }
    }
    for (int i = 0; i < signature.count; ++i) {
        const SymbolOperand& operand = signature.operands[i];
        event.*(operand.field) =
            operand.rule == TokenRule::Id ? id_of(tokens[i]) : symbols_.intern(tokens[i]);
    }
    return true;
}

// A symbol member: a string, or for ids also a non-negative integer.
bool JsonEventBuilder::symbol_token(std::string_view label, Field field, const char* role,
                                    TokenRule rule, std::string_view& token,
                                    Diagnostic& error) const {
    if (!has(field)) {
        error = member_error(label, "missing field", member_name(field));
        return false;
    }
    const Value& v = value(field);
    const bool id = rule == TokenRule::Id;
    if (v.type == JsonType::String || (id && v.type == JsonType::Unsigned)) {
        token = v.text;
        return check_token(label, role, rule, token, error);
    }
    if (id && (v.type == JsonType::Negative || v.type == JsonType::Float)) {
        error = bad_token(label, role, rule, v.text);  // "-3" would pass the character rule
        return false;
    }
    error = wrong_type(label, field, id ? "a string or a non-negative integer" : "a string");
    return false;
}

bool JsonEventBuilder::number(std::string_view label, Field field, const char* role,
                              std::uint64_t max, std::uint64_t& out, Diagnostic& error) const {
    const Value& v = value(field);
    switch (v.type) {
        case JsonType::Unsigned:
            if (v.number <= max) {
                out = v.number;
                return true;
            }
            error = bad_number(label, role, v.text, NumberError::TooLarge, max);
            return false;
        case JsonType::Float:  // nlohmann's float for integers beyond 64 bits too
            error = bad_number(label, role, v.text,
                               all_digits(v.text) ? NumberError::TooLarge : NumberError::NotNumber,
                               max);
            return false;
        case JsonType::Negative:
            error = bad_number(label, role, v.text, NumberError::NotNumber, max);
            return false;
        default:
            error = wrong_type(label, field, "a non-negative integer");
            return false;
    }
}

bool JsonEventBuilder::text_member(std::string_view label, Field field, std::string_view& out,
                                   Diagnostic& error) const {
    if (!has(field)) {
        error = member_error(label, "missing field", member_name(field));
        return false;
    }
    if (value(field).type != JsonType::String) {
        error = wrong_type(label, field, "a string");
        return false;
    }
    out = value(field).text;
    return true;
}

// An optional site= or callback= label.
bool JsonEventBuilder::label_member(std::string_view label, Field field, Sym& out,
                                    Diagnostic& error) {
    if (!has(field)) return true;
    std::string_view text;
    if (!text_member(label, field, text, error)) return false;
    const char* role = member_name(field).data();  // the names are literals: NUL-terminated
    if (!check_token(label, role, TokenRule::Label, text, error)) return false;
    out = symbols_.intern(text);
    return true;
}

bool JsonEventBuilder::take_type(Event& event, Diagnostic& error) {
    const Signature& signature = signature_of(EventKind::Type);
    std::string_view name;
    const SymbolOperand& operand = signature.operands[0];
    if (!symbol_token("type", Field::Name, operand.role, operand.rule, name, error)) return false;
    for (const Field flag : {Field::Gc, Field::Weakrefable, Field::Finalizer,
                             Field::LegacyFinalizer, Field::Instance}) {
        if (!has(flag)) continue;
        if (value(flag).type != JsonType::Bool) {
            error = wrong_type("type", flag, "true or false");
            return false;
        }
        *type_flag_named(event.decl, member_name(flag)) = value(flag).flag;
    }
    std::uint64_t n = 0;
    if (has(Field::Size)) {
        if (!number("type", Field::Size, "size", kMaxSize, n, error)) return false;
        event.decl.size = static_cast<std::int64_t>(n);
    }
    if (has(Field::Slots)) {
        if (!number("type", Field::Slots, "slots", kMaxSlots, n, error)) return false;
        event.decl.slots = static_cast<std::int64_t>(n);
    }
    event.name = symbols_.intern(name);
    return true;
}

bool JsonEventBuilder::take_alloc(Event& event, Diagnostic& error) {
    std::string_view id, type;
    if (!symbol_token("alloc", Field::Id, "id", TokenRule::Id, id, error) ||
        !symbol_token("alloc", Field::Type, "type", TokenRule::TypeName, type, error)) {
        return false;
    }
    if (has(Field::Refs)) {
        const Value& refs = value(Field::Refs);
        if (refs.type != JsonType::Array || refs.nested) {
            error = wrong_type("alloc", Field::Refs, "an array of ids");
            return false;
        }
        for (const Item& item : items_) {
            if (item.field != Field::Refs) continue;
            const std::string_view text = item_text(item);
            if (item.type == JsonType::Negative || item.type == JsonType::Float) {
                error = bad_token("alloc", "ref", TokenRule::Id, text);
                return false;
            }
            if (item.type != JsonType::String && item.type != JsonType::Unsigned) {
                error = wrong_type("alloc", Field::Refs, "an array of ids");
                return false;
            }
            if (!check_token("alloc", "ref", TokenRule::Id, text, error)) return false;
        }
    }
    std::uint64_t size = 0;
    if (has(Field::Size)) {
        if (!number("alloc", Field::Size, "size", kMaxSize, size, error)) return false;
        event.size = static_cast<std::int64_t>(size);
    }
    if (!label_member("alloc", Field::Site, event.site, error)) return false;
    event.id = id_of(id);
    event.type = symbols_.intern(type);
    refs_.clear();
    for (const Item& item : items_) {
        if (item.field == Field::Refs) refs_.push_back(id_of(item_text(item)));
    }
    event.refs = refs_;
    return true;
}

bool JsonEventBuilder::take_collect(Event& event, Diagnostic& error) const {
    if (!has(Field::Gen)) return true;  // default generation 2
    const Value& gen = value(Field::Gen);
    if (gen.type != JsonType::Unsigned && gen.type != JsonType::Negative &&
        gen.type != JsonType::Float) {
        error = wrong_type("collect", Field::Gen, "an integer");
        return false;
    }
    return check_generation(gen.text, event.generation, error);
}

bool JsonEventBuilder::take_gc(Event& event, Diagnostic& error) const {
    std::string_view action;
    if (!text_member("gc", Field::Action, action, error)) return false;
    const std::optional<GcAction> parsed = gc_action_named(action);
    if (!parsed) {
        error = unknown_gc_action(action);
        return false;
    }
    event.action = *parsed;
    return true;
}

bool JsonEventBuilder::take_values(std::string_view label, const char* role, std::size_t min_count,
                                   std::size_t max_count, std::uint64_t max, Event& event,
                                   Diagnostic& error) const {
    if (!has(Field::Values)) {
        error = member_error(label, "missing field", "values");
        return false;
    }
    const Value& values = value(Field::Values);
    if (values.type != JsonType::Array || values.nested) {
        error = wrong_type(label, Field::Values, "an array of non-negative integers");
        return false;
    }
    std::size_t count = 0;
    for (const Item& item : items_) count += item.field == Field::Values ? 1 : 0;
    if (count < min_count || count > max_count) {
        std::string expected = std::to_string(min_count);
        if (max_count != min_count) expected += " to " + std::to_string(max_count);
        error = make_diagnostic(ErrorKind::Syntax, std::string(label) + ": expected " + expected +
                                                       (max_count == 1 ? " value" : " values") +
                                                       ", got " + std::to_string(count));
        return false;
    }
    for (const Item& item : items_) {
        if (item.field != Field::Values) continue;
        if (item.type == JsonType::Unsigned && item.number <= max) {
            event.values[event.nvalues++] = static_cast<std::int64_t>(item.number);
            continue;
        }
        const std::string_view text = item_text(item);
        if (item.type == JsonType::String || item.type == JsonType::Bool ||
            item.type == JsonType::Null) {
            error = wrong_type(label, Field::Values, "an array of non-negative integers");
        } else {
            const bool too_large = item.type == JsonType::Unsigned ||
                                   (item.type == JsonType::Float && all_digits(text));
            error = bad_number(label, role, text,
                               too_large ? NumberError::TooLarge : NumberError::NotNumber, max);
        }
        return false;
    }
    return true;
}

bool JsonEventBuilder::take_expect(Event& event, Diagnostic& error) {
    std::string_view what;
    if (!text_member("expect", Field::What, what, error)) return false;
    const std::optional<ExpectKind> kind = expect_kind_named(what);
    if (!kind) {
        error = unknown_expectation(what);
        return false;
    }
    event.expect = *kind;
    const char* label = expect_label(*kind);
    if (!check_members(label, allowed_expect_members(*kind), error)) return false;
    std::string_view id;
    const bool has_id =
        *kind == ExpectKind::Alive || *kind == ExpectKind::Freed || *kind == ExpectKind::Refcount;
    if (has_id && !symbol_token(label, Field::Id, "id", TokenRule::Id, id, error)) return false;
    switch (*kind) {
        case ExpectKind::Refcount:
            if (!take_values(label, "refcount", 1, 1, kMaxExpected, event, error)) return false;
            break;
        case ExpectKind::Count:
            if (!take_values(label, "count", 3, 3, kMaxExpected, event, error)) return false;
            break;
        case ExpectKind::Collected:
            if (!take_values(label, "count", 1, 1, kMaxExpected, event, error)) return false;
            break;
        case ExpectKind::Collection:
            if (!take_values(label, "count", 3, 3, kMaxExpected, event, error)) return false;
            break;
        default:
            break;
    }
    if (has_id) event.id = id_of(id);
    return true;
}

}  // namespace heapsim

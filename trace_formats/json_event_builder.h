#pragma once
// Turns the members of one JSON event object, as nlohmann's SAX parser
// reports them, into an Event. Shared by JSON Lines and the JSON document.
//
// Members may come in any order ("ev" last is legal), so they are first
// collected as JSON-typed values, then checked in finish() with the same
// rules and messages as the text form (operand_rules.h). Every buffer is
// reused from event to event: a warm builder does not allocate for events
// whose strings fit in what earlier events needed.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/operand_rules.h"
#include "trace_formats/pinned_symbol_cache.h"

namespace heapsim {

class JsonEventBuilder {
  public:
    explicit JsonEventBuilder(SymbolTable& symbols);

    /// The '{' of a new event object was read.
    void begin();
    // What the SAX parser reports inside that object.
    void key(std::string_view name);
    void string(std::string_view value);
    void unsigned_number(std::uint64_t value);
    void negative_number(std::int64_t value);
    void float_number(std::string_view raw);
    void boolean(bool value);
    void null();
    void start_array();
    void end_array();
    void start_object();
    /// True when this '}' closes the event object itself.
    bool end_object();

    /// Checks the collected members. true: `event` is filled, numbered
    /// `number` at `line` (its refs stay valid until the next finish());
    /// false: `error` says why, with the same number and line.
    bool finish(std::uint64_t number, std::uint64_t line, Event& event, Diagnostic& error);

    /// The JSON Lines fast path, instead of begin() ... finish(): true when
    /// `line` is a common event in the writer's shape, with `event` filled
    /// as finish() would; false, having interned nothing, for any other line
    /// (json_common_events.cpp).
    bool scan_common(std::string_view line, std::uint64_t number, std::uint64_t line_number,
                     Event& event);
    /// A narrower, faster case of scan_common: the event exactly in the
    /// writer's member order, at p (n bytes, kLinePadding readable after
    /// them: byte_masks.h); false, having interned nothing, for any other
    /// line (json_writer_shape_events.cpp).
    bool scan_writer_shape(const char* p, std::size_t n, std::uint64_t number,
                           std::uint64_t line_number, Event& event);
    /// A string of the fast path and the token classes all its bytes share.
    struct FastString {
        const char* data;
        std::uint32_t length;
        std::uint8_t classes;
        std::string_view view() const { return {data, length}; }
    };

    enum class Field : std::uint8_t {
        Ev,
        T,
        Id,
        Type,
        Refs,
        Size,
        Site,
        Name,
        Ref,
        Key,
        Target,
        Callback,
        Gen,
        Action,
        What,
        Values,
        Gc,
        Weakrefable,
        Finalizer,
        LegacyFinalizer,
        Instance,
        Slots,
        None,  // an unknown member, ignored after being reported
    };

  private:
    /// The symbol of an object id (every id, ref, refs item and target): the
    /// one place where ids are interned, so their namespace can change here.
    Sym id_of(std::string_view id) { return symbols_.intern_id(id); }
    Sym id_of(const char* p, std::size_t n) { return id_of(std::string_view(p, n)); }

    enum class JsonType : std::uint8_t {
        String,
        Unsigned,
        Negative,
        Float,
        Bool,
        Null,
        Array,
        Object
    };

    struct Value {
        JsonType type = JsonType::Null;
        bool nested = false;       // an array holding arrays or objects
        bool flag = false;         // Bool
        std::uint64_t number = 0;  // Unsigned
        std::string text;          // String; the token as written for numbers
    };
    struct Item {  // one element of `refs` or `values`
        Field field;
        JsonType type;
        std::uint64_t number;
        std::uint32_t offset;  // its text in item_text_
        std::uint32_t length;
    };

    Value& current() { return values_[static_cast<int>(current_)]; }
    const Value& value(Field field) const { return values_[static_cast<int>(field)]; }
    bool has(Field field) const { return (present_ >> static_cast<int>(field)) & 1u; }
    void scalar(JsonType type, std::string_view text, std::uint64_t number, bool flag);
    std::string_view item_text(const Item& item) const {
        return std::string_view(item_text_).substr(item.offset, item.length);
    }

    bool take_event(Event& event, Diagnostic& error);
    bool check_members(std::string_view label, std::uint32_t allowed, Diagnostic& error) const;
    bool check_timestamp(std::string_view label, Event& event, Diagnostic& error) const;
    bool take_operands(std::string_view label, Event& event, Diagnostic& error);
    bool take_symbols(std::string_view label, const Signature& signature, Event& event,
                      Diagnostic& error);
    bool symbol_token(std::string_view label, Field field, const char* role, TokenRule rule,
                      std::string_view& token, Diagnostic& error) const;
    bool number(std::string_view label, Field field, const char* role, std::uint64_t max,
                std::uint64_t& out, Diagnostic& error) const;
    bool label_member(std::string_view label, Field field, Sym& out, Diagnostic& error);
    bool text_member(std::string_view label, Field field, std::string_view& out,
                     Diagnostic& error) const;

    bool take_type(Event& event, Diagnostic& error);
    bool take_alloc(Event& event, Diagnostic& error);
    bool take_collect(Event& event, Diagnostic& error) const;
    bool take_gc(Event& event, Diagnostic& error) const;
    bool take_values(std::string_view label, const char* role, std::size_t min_count,
                     std::size_t max_count, std::uint64_t max, Event& event,
                     Diagnostic& error) const;
    bool take_expect(Event& event, Diagnostic& error);

    SymbolTable& symbols_;
    std::array<Value, static_cast<int>(Field::None)> values_;
    std::uint32_t present_ = 0;  // bit per Field
    Field current_ = Field::None;
    int depth_ = 0;  // 1 = directly inside the event object
    bool in_member_array_ = false;
    bool has_unknown_ = false;
    bool has_duplicate_ = false;
    std::string unknown_member_;    // the first unknown member
    std::string duplicate_member_;  // the first repeated member
    std::vector<Item> items_;
    std::string item_text_;
    std::vector<Sym> refs_;
    std::uint64_t last_time_ = 0;  // timestamp of the last good event

    static constexpr std::size_t kFastRefs = 16;  // more: the general path
    FastString fast_refs_[kFastRefs];             // the fast path's refs
    PinnedSymbolCache pinned_;                    // the fast path's names, keys, types, sites
};

}  // namespace heapsim

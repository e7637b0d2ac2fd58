#pragma once
// Reads a binary trace (*.htb, layout in htb_format.h) into a sink.
//
// The fast path: a block is read and checksummed as a whole, then decoded
// with a pointer walk. A string is interned once, when it is defined, so an
// event's operands are array lookups by index; whether a string may serve
// as an id, a name or a label is also worked out once, at its definition,
// and checked per operand with one AND. Nothing allocates per event.
//
// Damage (bad magic or version, checksum mismatch, truncation, a bad
// varint, an unknown string index) is one fatal diagnostic naming the block
// and its byte offset; its line is the number of the event being decoded.
// An operand of the wrong kind (an id with a space, a generation of 3) is an
// ordinary bad event, which a lenient run skips.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/operand_rules.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

/// The bit of a dictionary string's `rules` that says it may serve under
/// `rule` (names, keys and type names share one rule).
constexpr std::uint8_t htb_rule_bit(TokenRule rule) {
    return rule == TokenRule::Id ? 1 : rule == TokenRule::Label ? 4 : 2;
}

class HtbReader {
  public:
    HtbReader(ByteSource& source, SymbolTable& symbols, EventSink& sink);
    ReadSummary read();

  private:
    struct Entry {          // one dictionary string
        Sym sym;
        std::uint8_t rules;  // htb_rule_bit of each rule it satisfies
    };

    bool read_header();
    bool read_block();  // false once the trace ended or stopped
    bool end_block();
    bool decode_block(std::uint32_t expected_events);
    bool decode_control(std::uint8_t op);
    // The per-event path is one function: decode_block with the frequent
    // kinds inlined (a call per level cost ~40 instructions per event);
    // the rare kinds are out of line.
    [[gnu::always_inline]] inline bool decode_event(std::uint8_t op, Event& event);
    [[gnu::always_inline]] inline bool decode_operands(std::uint8_t fields, Event& event);
    [[gnu::noinline]] bool decode_rare(std::uint8_t fields, Event& event);
    bool decode_type(Event& event);
    [[gnu::always_inline]] inline bool decode_alloc(std::uint8_t fields, Event& event);
    bool decode_expect(std::uint8_t fields, Event& event);
    bool decode_values(int count, const char* role, std::uint64_t max, Event& event);

    std::size_t read_fully(char* out, std::size_t n);
    // The hot path: one- and two-byte varints (small numbers, recent strings)
    // inline; longer ones, and every error, out of line.
    bool varint(std::uint64_t& out) {
        if (end_ - p_ >= 2) {
            const std::uint8_t b0 = p_[0];
            if (b0 < 0x80) {
                out = b0;
                p_ += 1;
                return true;
            }
            const std::uint8_t b1 = p_[1];
            if (b1 < 0x80) {
                out = (b0 & 0x7Fu) | (std::uint64_t{b1} << 7);
                p_ += 2;
                return true;
            }
        }
        // Through a local: `out` (often a caller's local) then stays in a
        // register, its address never taken on the fast path.
        std::uint64_t value = 0;
        if (!varint_slow(value)) return false;
        out = value;
        return true;
    }
    bool varint_slow(std::uint64_t& out);
    bool number(const char* role, std::uint64_t max, std::uint64_t& out);
    bool symbol(TokenRule rule, const char* role, Sym& out) {
        std::uint64_t back = 0;
        if (!varint(back)) return false;
        if (back >= dictionary_size_) [[unlikely]] return unknown_string(back);
        const Entry& entry = *(dictionary_last_ - back);
        out = rule == TokenRule::Id ? id_of(entry) : entry.sym;
        if ((entry.rules & htb_rule_bit(rule)) == 0) [[unlikely]] bad_symbol(rule, role, entry.sym);
        return true;
    }
    /// The symbol of a dictionary string used as an object id (every id,
    /// ref and target operand): the one place where ids are resolved, so
    /// their namespace can change here. Strings are interned when defined,
    /// before their use is known.
    Sym id_of(const Entry& entry) const { return entry.sym; }
    bool unknown_string(std::uint64_t back);
    void bad_symbol(TokenRule rule, const char* role, Sym sym);
    /// The current event's name for messages ("alloc", "expect count").
    std::string_view label() const;
    void bad_operand(Diagnostic diagnostic);
    /// A fatal diagnostic about the current block; returns false.
    bool damaged(ErrorKind kind, const std::string& message);

    ByteSource& source_;
    SymbolTable& symbols_;
    EventSink& sink_;
    std::vector<char> payload_;  // the current block, reused
    const std::uint8_t* p_ = nullptr;
    const std::uint8_t* end_ = nullptr;
    std::vector<Entry> dictionary_;
    // dictionary_'s size and its last entry, kept by decode_control: an
    // operand's lookup is then one subtraction (no size computed per operand).
    std::size_t dictionary_size_ = 0;
    const Entry* dictionary_last_ = nullptr;
    std::vector<Sym> refs_;          // reused: alloc's references
    const Event* event_ = nullptr;   // the event being decoded, for messages; null between events
    std::optional<Diagnostic> bad_;  // the first bad operand of the current event
    std::uint64_t number_ = 0;       // events numbered so far
    std::uint64_t time_ = 0;
    std::uint64_t block_ = 0;        // 1-based number of the current block
    std::uint64_t offset_ = 0;       // byte offset of the current block in the trace
    bool stopped_ = false;
    bool rare_last_ = false;  // decode_block's Event holds a rare kind's fields
};

/// Reads a whole binary trace from `source` into `sink`.
ReadSummary read_htb_trace(ByteSource& source, SymbolTable& symbols, EventSink& sink);

}  // namespace heapsim

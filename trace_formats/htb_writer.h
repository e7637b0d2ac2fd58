#pragma once
// Writes Events as a binary trace (*.htb, layout in htb_format.h). Records
// accumulate in one block buffer, which goes to the stream with its header
// and checksum once it reaches the block size; every string an event names
// is defined just before its first use since the last dictionary reset.
// Memory: one block, plus 8 bytes per symbol of the SymbolTable (which
// string index each symbol has, if any) and per numbered id (numbered_ids.h)
// the events name.

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "events/chunked_vector.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/htb_format.h"
#include "trace_formats/numbered_ids.h"
#include "trace_formats/trace_writer.h"

namespace heapsim {

struct HtbWriterOptions {
    std::uint32_t dictionary_limit = htb::kDictionaryLimit;  // small in tests, to force resets
    std::size_t block_size = htb::kTargetBlock;              // small in tests, to make many blocks
};

class HtbTraceWriter final : public TraceWriter {
  public:
    HtbTraceWriter(std::ostream& out, const SymbolTable& symbols, HtbWriterOptions options = {});
    void write(const Event& event) override;
    bool accept_numbered_ids() override { return true; }
    bool finish() override;

  private:
    struct Slot {  // the string index of one symbol in dictionary epoch `epoch`
        std::uint32_t epoch = 0;
        std::uint32_t index = 0;
    };
    // The most bytes a record takes besides its string definitions and its
    // alloc REFs (kMaxVarint each): opcode, time, and up to five varints.
    static constexpr std::size_t kMaxVarint = 10;
    static constexpr std::size_t kMaxRecord = 1 + 8 * kMaxVarint;

    Slot* slot_of(Sym s) {
        if (is_numbered_id(s)) {
            const std::uint32_t n = id_number(s);
            return n < numbered_slots_.size() ? &numbered_slots_[n] : nullptr;
        }
        return s < slots_.size() ? &slots_[s] : nullptr;
    }
    bool defined(Sym s) {
        const Slot* slot = slot_of(s);
        return slot != nullptr && slot->epoch == epoch_;
    }
    void define_if_new(Sym s) {
        if (s != kNoSym && !defined(s)) define(s);
    }
    void define_strings(const Event& event);
    void define_each(const Event& event);
    void define(Sym s);
    /// `n` writable bytes at the end of the block (which grows past its
    /// target size if need be).
    char* room(std::size_t n) {
        if (size_ + n > capacity_) grow(n);
        return buffer_.get() + size_;
    }
    void grow(std::size_t n);
    static char* put_varint(char* p, std::uint64_t value) {
        while (value >= 0x80) {
            *p++ = static_cast<char>(value | 0x80);
            value >>= 7;
        }
        *p++ = static_cast<char>(value);
        return p;
    }
    char* put_sym(char* p, Sym s) {
        const std::uint32_t index =
            is_numbered_id(s) ? numbered_slots_[id_number(s)].index : slots_[s].index;
        return put_varint(p, dictionary_ - 1 - index);
    }
    char* put_values(char* p, const Event& event, int count);
    char* put_operands(char* p, const Event& event);
    char* put_type(char* p, const Event& event);
    char* put_alloc(char* p, const Event& event);
    std::uint8_t fields_of(const Event& event) const;
    void flush_block(htb::BlockKind kind);

    std::ostream& out_;
    const SymbolTable& symbols_;
    HtbWriterOptions options_;
    /// Up to this many strings in the dictionary, no event can reset it:
    /// its new strings are defined in one pass.
    std::uint32_t no_reset_limit_;
    std::unique_ptr<char[]> buffer_;  // the block being filled
    std::size_t size_ = 0, capacity_ = 0;
    std::uint32_t block_events_ = 0;
    std::uint64_t total_events_ = 0;
    std::vector<Slot> slots_;             // by Sym
    ChunkedVector<Slot> numbered_slots_;  // by the number of a numbered id: never copied
    std::uint32_t epoch_ = 1;             // bumped by each reset; 0 marks "never defined"
    std::uint32_t dictionary_ = 0;        // strings defined in this epoch
    std::uint64_t last_time_ = 0;
};

}  // namespace heapsim

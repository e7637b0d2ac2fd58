#pragma once
// Writes Events as a binary trace (*.htb, layout in htb_format.h). Records
// accumulate in one block buffer, which goes to the stream with its header
// and checksum once it reaches the block size; every string an event names
// is defined just before its first use since the last dictionary reset.
// Memory: one block, plus 8 bytes per symbol of the SymbolTable (which
// string index each symbol has, if any).

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/htb_format.h"
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
    bool finish() override;

  private:
    struct Slot {  // the string index of one symbol in dictionary epoch `epoch`
        std::uint32_t epoch = 0;
        std::uint32_t index = 0;
    };

    bool defined(Sym s) const { return s < slots_.size() && slots_[s].epoch == epoch_; }
    void define_strings(const Event& event);
    void define(Sym s);
    void put_byte(std::uint8_t b) { payload_.push_back(static_cast<char>(b)); }
    void put_varint(std::uint64_t value);
    void put_sym(Sym s);
    void put_values(const Event& event, int count);
    void put_operands(const Event& event);
    void put_type(const Event& event);
    void put_alloc(const Event& event);
    std::uint8_t fields_of(const Event& event) const;
    void flush_block(htb::BlockKind kind);

    std::ostream& out_;
    const SymbolTable& symbols_;
    HtbWriterOptions options_;
    std::string payload_;
    std::uint32_t block_events_ = 0;
    std::uint64_t total_events_ = 0;
    std::vector<Slot> slots_;     // by Sym
    std::uint32_t epoch_ = 1;     // bumped by each reset; 0 marks "never defined"
    std::uint32_t dictionary_ = 0;  // strings defined in this epoch
    std::uint64_t last_time_ = 0;
};

}  // namespace heapsim

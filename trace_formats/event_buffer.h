#pragma once
// A whole trace held in memory, for commands that replay it more than once
// (verify translates and simulates it twice; sweeps replay it under many
// configurations, on several threads at once).
//
// Memory is what limits how long a trace a sweep can hold, so events are
// packed: the frequent kinds (alloc, bind, unbind, append, set, unset,
// remove, clear, drop, weakref) take one 16-byte record, plus side entries
// only for what differs from the obvious (a new timestamp, a line that does
// not follow the previous one, alloc sizes and references). The rare kinds
// (type, collect, gc, threshold, expect) keep a whole Event in a side table.
// A buffer is read front to back with a Cursor; any number of cursors may read
// one buffer concurrently.

#include <cstdint>
#include <vector>

#include "events/event.h"

namespace heapsim {

class EventBuffer {
public:
    void push(const Event& event);
    std::size_t size() const { return records_.size(); }
    /// Heap bytes held (records and side tables), for benchmarks and limits.
    std::size_t memory_bytes() const;

    class Cursor {
    public:
        explicit Cursor(const EventBuffer& buffer) : buffer_(buffer) {}
        /// The next event into `out`, its refs pointing into the buffer;
        /// false at the end. Pass the same Event every time and leave it as
        /// the cursor filled it: a frequent kind then rewrites only its
        /// operands (the fields of the rare kinds keep their defaults).
        bool next(Event& out);

    private:
        const EventBuffer& buffer_;
        std::size_t record_ = 0, wide_ = 0, syms_ = 0;
        std::uint64_t number_ = 0, line_ = 0, time_ = 0;
        const Event* last_out_ = nullptr;  // filled with a frequent kind last time
    };
    Cursor cursor() const { return Cursor(*this); }

private:
    struct Record {
        EventKind kind;
        std::uint8_t flags;
        std::uint16_t unused = 0;
        Sym a, b, c;  // by kind; rare kinds: a = index into rare_
    };
    static_assert(sizeof(Record) == 16);

    std::vector<Record> records_;
    std::vector<std::uint64_t> wide_;  // numbers, lines, times and sizes, in record order
    std::vector<Sym> syms_;            // alloc reference lists, in record order
    std::vector<Event> rare_;          // rare kinds, whole (refs empty)
    std::uint64_t last_number_ = 0, last_line_ = 0, last_time_ = 0;
};

}  // namespace heapsim

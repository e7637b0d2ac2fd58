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
        /// Inline: the replay loops call it once per event.
        inline bool next(Event& out);

    private:
        const EventBuffer& buffer_;
        std::size_t record_ = 0, wide_ = 0, syms_ = 0;
        std::uint64_t number_ = 0, line_ = 0, time_ = 0;
        const Event* last_out_ = nullptr;  // filled with a frequent kind last time
    };
    Cursor cursor() const { return Cursor(*this); }

private:
    // Record::flags: which side entries follow, in this order.
    static constexpr std::uint8_t kNumberJump = 1 << 0;  // number != previous + 1   (wide)
    static constexpr std::uint8_t kLineJump = 1 << 1;    // line != previous + 1     (wide)
    static constexpr std::uint8_t kNewTime = 1 << 2;     // time differs             (wide)
    static constexpr std::uint8_t kHasSize = 1 << 3;     // alloc size=N             (wide)
    static constexpr std::uint8_t kHasRefs = 1 << 4;     // reference list           (syms: count, refs)
    /// Type, collect, gc, threshold, expect: kept whole in rare_.
    static bool is_rare(EventKind kind) {
        constexpr unsigned kRare = 1u << static_cast<unsigned>(EventKind::Type) |
                                   1u << static_cast<unsigned>(EventKind::Collect) |
                                   1u << static_cast<unsigned>(EventKind::GcControl) |
                                   1u << static_cast<unsigned>(EventKind::Threshold) |
                                   1u << static_cast<unsigned>(EventKind::Expect);
        return ((kRare >> static_cast<unsigned>(kind)) & 1u) != 0;
    }

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

inline bool EventBuffer::Cursor::next(Event& out) {
    if (record_ == buffer_.records_.size()) return false;
    const Record& r = buffer_.records_[record_++];
    number_ = (r.flags & kNumberJump) ? buffer_.wide_[wide_++] : number_ + 1;
    line_ = (r.flags & kLineJump) ? buffer_.wide_[wide_++] : line_ + 1;
    if (r.flags & kNewTime) time_ = buffer_.wide_[wide_++];
    std::span<const Sym> refs;
    if (r.flags & kHasRefs) {
        const std::size_t count = buffer_.syms_[syms_];
        refs = std::span<const Sym>(buffer_.syms_.data() + syms_ + 1, count);
        syms_ += 1 + count;
    }
    if (is_rare(r.kind)) {
        out = buffer_.rare_[r.a];
        last_out_ = nullptr;  // the rare kinds' own fields are set: reset them next time
    } else {
        // A frequent kind sets only the operands below; the rest of `out` is
        // as Event{} left it, unless this is a new Event or the previous one
        // was rare (a whole Event reset costs more than the step's dispatch).
        if (&out != last_out_) {
            out = Event{};
            last_out_ = &out;
        }
        out.kind = r.kind;
        out.size = (r.flags & kHasSize) ? static_cast<std::int64_t>(buffer_.wide_[wide_++]) : -1;
        out.id = out.ref = out.name = out.key = out.type = out.site = out.label = kNoSym;
        switch (r.kind) {
            case EventKind::Alloc: out.id = r.a, out.type = r.b, out.site = r.c; break;
            case EventKind::Bind: out.name = r.a, out.id = r.b; break;
            case EventKind::Unbind: out.name = r.a; break;
            case EventKind::Set: out.id = r.a, out.key = r.b, out.ref = r.c; break;
            case EventKind::Unset: out.id = r.a, out.key = r.b; break;
            case EventKind::Weakref: out.id = r.a, out.ref = r.b, out.label = r.c; break;
            default: out.id = r.a, out.ref = r.b; break;
        }
    }
    out.number = number_;
    out.line = line_;
    out.time_ns = time_;
    out.refs = refs;
    return true;
}

}  // namespace heapsim

#include "trace_formats/event_buffer.h"

namespace heapsim {

namespace {

// Record::flags: which side entries follow, in this order.
constexpr std::uint8_t kNumberJump = 1 << 0;  // number != previous + 1   (wide)
constexpr std::uint8_t kLineJump = 1 << 1;    // line != previous + 1     (wide)
constexpr std::uint8_t kNewTime = 1 << 2;     // time differs             (wide)
constexpr std::uint8_t kHasSize = 1 << 3;     // alloc size=N             (wide)
constexpr std::uint8_t kHasRefs = 1 << 4;     // reference list           (syms: count, refs)

bool is_rare(EventKind kind) {
    switch (kind) {
        case EventKind::Type:
        case EventKind::Collect:
        case EventKind::GcControl:
        case EventKind::Threshold:
        case EventKind::Expect:
            return true;
        default:
            return false;
    }
}

}  // namespace

void EventBuffer::push(const Event& event) {
    Record r{event.kind, 0, 0, kNoSym, kNoSym, kNoSym};
    if (event.number != last_number_ + 1) {
        r.flags |= kNumberJump;
        wide_.push_back(event.number);
    }
    if (event.line != last_line_ + 1) {
        r.flags |= kLineJump;
        wide_.push_back(event.line);
    }
    if (event.time_ns != last_time_) {
        r.flags |= kNewTime;
        wide_.push_back(event.time_ns);
    }
    last_number_ = event.number;
    last_line_ = event.line;
    last_time_ = event.time_ns;
    if (!event.refs.empty()) {
        r.flags |= kHasRefs;
        syms_.push_back(static_cast<Sym>(event.refs.size()));
        syms_.insert(syms_.end(), event.refs.begin(), event.refs.end());
    }
    if (is_rare(event.kind)) {
        r.a = static_cast<Sym>(rare_.size());
        rare_.push_back(event);
        rare_.back().refs = {};
        records_.push_back(r);
        return;
    }
    if (event.size != -1) {
        r.flags |= kHasSize;
        wide_.push_back(static_cast<std::uint64_t>(event.size));
    }
    switch (event.kind) {
        case EventKind::Alloc: r.a = event.id, r.b = event.type, r.c = event.site; break;
        case EventKind::Bind: r.a = event.name, r.b = event.id; break;
        case EventKind::Unbind: r.a = event.name; break;
        case EventKind::Set: r.a = event.id, r.b = event.key, r.c = event.ref; break;
        case EventKind::Unset: r.a = event.id, r.b = event.key; break;
        case EventKind::Weakref: r.a = event.id, r.b = event.ref, r.c = event.label; break;
        default: r.a = event.id, r.b = event.ref; break;  // append, remove, clear, drop
    }
    records_.push_back(r);
}

bool EventBuffer::Cursor::next(Event& out) {
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

std::size_t EventBuffer::memory_bytes() const {
    return records_.capacity() * sizeof(Record) + wide_.capacity() * sizeof(std::uint64_t) +
           syms_.capacity() * sizeof(Sym) + rare_.capacity() * sizeof(Event);
}

}  // namespace heapsim

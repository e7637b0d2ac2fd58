#include "trace_formats/event_buffer.h"

namespace heapsim {

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

std::size_t EventBuffer::memory_bytes() const {
    return records_.capacity() * sizeof(Record) + wide_.capacity() * sizeof(std::uint64_t) +
           syms_.capacity() * sizeof(Sym) + rare_.capacity() * sizeof(Event);
}

}  // namespace heapsim

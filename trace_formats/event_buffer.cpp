#include "trace_formats/event_buffer.h"

namespace heapsim {

void EventBuffer::push(const Event& event) {
    Stored s{event, refs_.size(), event.refs.size()};
    s.event.refs = {};
    refs_.insert(refs_.end(), event.refs.begin(), event.refs.end());
    events_.push_back(s);
}

Event EventBuffer::at(std::size_t i) const {
    const Stored& s = events_[i];
    Event e = s.event;
    e.refs = std::span<const Sym>(refs_.data() + s.refs_begin, s.refs_count);
    return e;
}

}  // namespace heapsim

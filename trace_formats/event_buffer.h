#pragma once
// A whole trace held in memory, for commands that replay it more than once
// (verify translates and simulates it twice; sweeps will replay it under
// many configurations). Events are stored flat; alloc references live in
// one shared pool, so storing an event allocates only amortized vector growth.

#include <cstdint>
#include <vector>

#include "sim/event.h"

namespace heapsim {

class EventBuffer {
public:
    void push(const Event& event);
    std::size_t size() const { return events_.size(); }
    /// Event `i`, its `refs` pointing into the buffer (valid until the next push).
    Event at(std::size_t i) const;

private:
    struct Stored {
        Event event;  // with empty refs: they are refs_[refs_begin, refs_begin + refs_count)
        std::uint64_t refs_begin = 0;
        std::uint64_t refs_count = 0;
    };
    std::vector<Stored> events_;
    std::vector<Sym> refs_;
};

}  // namespace heapsim

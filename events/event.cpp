#include "events/event.h"

namespace heapsim {

const char* event_name(EventKind kind) {
    switch (kind) {
        case EventKind::Type: return "type";
        case EventKind::Alloc: return "alloc";
        case EventKind::Bind: return "bind";
        case EventKind::Unbind: return "unbind";
        case EventKind::Append: return "append";
        case EventKind::Set: return "set";
        case EventKind::Unset: return "unset";
        case EventKind::Remove: return "remove";
        case EventKind::Clear: return "clear";
        case EventKind::Drop: return "drop";
        case EventKind::Weakref: return "weakref";
        case EventKind::Collect: return "collect";
        case EventKind::GcControl: return "gc";
        case EventKind::Threshold: return "threshold";
        case EventKind::Expect: return "expect";
    }
    return "?";
}

}  // namespace heapsim

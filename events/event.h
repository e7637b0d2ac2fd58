#pragma once
// The one event model shared by every trace reader and the simulator.
// Readers turn text or JSON into Events; the simulator never sees text.
// Strings are interned symbols (see symbol_table.h); an Event is a plain
// value with no heap storage of its own, so it can be filled per event
// without allocating.

#include <cstdint>
#include <span>

#include "events/symbol_table.h"

namespace heapsim {

enum class EventKind : std::uint8_t {
    Type,       // type TYPE [flags] [size=N] [slots=K]
    Alloc,      // alloc ID TYPE [REF...] [size=N] [site=LABEL]
    Bind,       // bind NAME ID
    Unbind,     // unbind NAME
    Append,     // append ID REF
    Set,        // set ID KEY REF
    Unset,      // unset ID KEY
    Remove,     // remove ID REF
    Clear,      // clear ID
    Drop,       // drop ID
    Weakref,    // weakref ID TARGET [callback=LABEL]
    Collect,    // collect [GEN]
    GcControl,  // gc enable|disable|freeze|unfreeze|safepoint|uncounted|counts C0 C1 C2|longlived T P|finalizer|callback ID NAME
    Threshold,  // threshold T0 [T1 [T2]]
    Expect,     // expect alive|freed|refcount|count|collected ...
};

// Safepoint, Uncounted and Counts carry what a recording knows about the
// collector (heapsim import's events mode, docs/trace-format.md).
enum class GcAction : std::uint8_t {
    Enable,
    Disable,
    Freeze,
    Unfreeze,
    Safepoint,  // an eval-breaker check; from the first one on, the only safe points
    Uncounted,  // the next event's allocations and frees leave count0 alone
    Counts,     // set gc.get_count() (values: C0 C1 C2)
    LongLived,  // set long_lived_total and long_lived_pending (values: TOTAL PENDING)
    // Collection hooks (heapsim import, docs/trace-format.md): what a
    // recorded __del__ or weakref callback did, run by the next collection.
    Finalizer,  // gc finalizer ID NAME: ID's finalizer binds NAME to ID
    Callback,   // gc callback ID NAME: a callback runs for ID and unbinds NAME
};

// Collection: `expect collection GEN COLLECTED UNCOLLECTABLE`, the latest
// collection the replay ran (automatic or not) since the previous one.
enum class ExpectKind : std::uint8_t { Alive, Freed, Refcount, Count, Collected, Collection };

/// Flags of a `type` declaration.
struct TypeDecl {
    bool gc = false;
    bool weakrefable = false;
    bool finalizer = false;
    bool legacy_finalizer = false;
    bool instance = false;
    std::int64_t size = -1;   // bytes per object; -1 = policy default
    std::int64_t slots = -1;  // __slots__ count; -1 = instance with __dict__
};

struct Event {
    EventKind kind = EventKind::Type;
    std::uint64_t number = 0;   // 1-based position in the trace
    std::uint64_t line = 0;     // text/JSON Lines line; JSON document: event number
    std::uint64_t time_ns = 0;  // inherited from the previous event when absent

    Sym id = kNoSym;      // the object acted on (alloc, append, set, ..., weakref's own id)
    Sym ref = kNoSym;     // append/set/remove REF; weakref TARGET
    Sym name = kNoSym;    // bind/unbind NAME; type: the declared type's name
    Sym key = kNoSym;     // set/unset KEY
    Sym type = kNoSym;    // alloc TYPE
    Sym site = kNoSym;    // alloc site=LABEL
    Sym label = kNoSym;   // weakref callback=LABEL
    std::int64_t size = -1;      // alloc size=N
    std::span<const Sym> refs;   // alloc REF...; valid only during the sink call

    TypeDecl decl;                               // type
    GcAction action = GcAction::Enable;          // gc
    ExpectKind expect = ExpectKind::Alive;       // expect
    int generation = 2;                          // collect
    int nvalues = 0;                             // threshold / expect count,refcount,collected / gc counts
    std::int64_t values[3] = {0, 0, 0};
};

const char* event_name(EventKind kind);

}  // namespace heapsim

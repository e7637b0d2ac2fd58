#pragma once
// Replays events through the modelled memory manager and produces a
// RunResult. The simulator never prints, reads files or exits: inconsistent
// events come back as Diagnostics and the caller decides what to do.
//
//   Simulator sim(options, symbols);
//   for each event: if (auto d = sim.apply(ev)) { ... }
//   RunResult r = sim.finish("trace.txt", n_events);

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "sim/memory_use.h"
#include "sim/pause_model.h"
#include "sim/policy.h"
#include "sim/run_result.h"

namespace heapsim {

struct SimOptions {
    Policy policy;
    /// Tracked objects the interpreter itself keeps in the oldest generation
    /// (classes, functions, modules: about 5,000-11,000 in a real process).
    /// They count in the 25% rule that postpones full collections; 0 models
    /// an empty heap.
    std::uint64_t interpreter_objects = 0;
    std::uint64_t max_objects = 0;  // 0 = unlimited; else a Limit diagnostic
    std::uint64_t max_bytes = 0;    // 0 = unlimited
    /// Leaked objects listed one by one (the groups always count them all).
    std::uint64_t max_leak_records = 100000;
    /// Rows kept in the report's per-site lists (promotions, at the peak,
    /// temporaries); 0 keeps them all.
    std::size_t profile_top = 20;
    /// false: `expect` events are read but not checked (--ignore-expect: a
    /// what-if replay of an imported trace, whose expects describe the recording).
    bool check_expects = true;
    /// Keep the id of every trace object as it is freed (Simulator::freed_ids),
    /// for `heapsim verify`, whose program clears its handle to the object then.
    bool record_frees = false;
    /// Coefficients of the modelled pauses (run --pause-model).
    PauseModel pause_model;
    /// A gc.freeze() right after the event with this number (configuration
    /// option freeze-at, spec cli.md); 0 = none.
    std::uint64_t freeze_at = 0;
};

class Heap;
/// Heap::apply, callable where Heap is incomplete: Simulator::apply inlines
/// into the replay loops and calls it directly (one call level per event
/// fewer, docs/performance.md "Session 8").
std::optional<Diagnostic> apply_to_heap(Heap& heap, const Event& event);
enum class Layout : std::uint8_t;

/// One step from a container to what it holds, as Python would take it.
struct PathStep {
    enum Kind : std::uint8_t { Index, Attribute, Key } kind = Index;
    std::uint32_t index = 0;  // Index: position in a list or tuple
    Sym key = kNoSym;         // Attribute / Key
};

/// How to reach a live object from a root: a bound name, or an object that
/// still holds its creation reference (a temporary), then container steps.
struct AccessPath {
    Sym root_name = kNoSym;
    Sym root_temp = kNoSym;
    std::vector<PathStep> steps;
};

/// What a tool replaying the trace elsewhere needs to know about one object.
struct ObjectInfo {
    bool live = false;
    Sym type = kNoSym;
    Layout layout{};
    bool creation_ref = false;  // still holds its creation reference
    bool slotted = false;
    bool materialized = false;  // an instance whose attributes moved to a real __dict__
    std::uint32_t references = 0;
};

class Simulator {
public:
    /// `symbols` must be the table the reader interns into; the simulator adds
    /// the built-in type names and keys it invents.
    Simulator(const SimOptions& options, SymbolTable& symbols);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// Applies one event. An inconsistent event is not applied and comes back
    /// as a Diagnostic (kind, event, line and message filled in).
    std::optional<Diagnostic> apply(const Event& event) {
        // Every event but one goes straight to the heap (a tail call).
        if (event.number != freeze_at_ || freeze_at_ == 0) [[likely]]
            return apply_to_heap(*heap_, event);
        return apply_and_freeze(event);
    }

    /// Counts a skipped bad event (--lenient) so the report can show it.
    void note_skipped(const Diagnostic& diagnostic);

    /// Ends the run: leak analysis, statistics. Call once.
    RunResult finish(const std::string& trace_path, std::uint64_t events);

    // Read-only queries between events, for `heapsim verify`.
    ObjectInfo describe(Sym id) const;
    /// A path from a root to `id` through lists, tuples, dicts and instance
    /// attributes; nullopt when no root reaches it that way.
    std::optional<AccessPath> access_path(Sym id) const;
    /// Position of the first reference to `ref` held by `container` (for an
    /// instance with a materialized __dict__, in that dict).
    std::optional<std::uint32_t> position_of(Sym container, Sym ref) const;
    /// The key under which `container` holds reference number `position`.
    Sym key_at(Sym container, std::uint32_t position) const;
    /// The keys of `container` in the order `clear` releases them.
    std::vector<Sym> clear_order(Sym container) const;
    /// The key `append` would store the next reference of `container` under.
    Sym next_append_key(Sym container) const;
    /// Attribute names instance type `type` has used (its slots, or its
    /// shared keys), in order of first use.
    std::vector<Sym> type_keys(Sym type) const;
    /// With SimOptions::record_frees: the ids of the trace objects freed so
    /// far, in the order they were freed (hidden objects are not listed).
    const std::vector<Sym>& freed_ids() const;
    /// Objects alive now: what the heap's memory grows with (~120 bytes
    /// each, docs/performance.md), for callers that bound it.
    std::uint64_t live_objects() const;
    /// Bytes by structure (sim/memory_use.h); after finish, with its scratch.
    std::vector<MemoryUse> memory_use() const;

private:
    /// apply() of the event numbered freeze_at_ (out of line: one event per run).
    std::optional<Diagnostic> apply_and_freeze(const Event& event);

    std::unique_ptr<Heap> heap_;
    std::uint64_t freeze_at_ = 0;
};

}  // namespace heapsim

#pragma once
// Parse once, replay many times: the engine of threshold sweeps and of
// `verify`. A trace is read into an EventBuffer, then replayed under any
// number of configurations, on several threads at once. Each replay has its
// own Simulator and its own copy of the symbol table (the simulator interns
// the names it invents), so replays share nothing mutable and a result does
// not depend on which thread computed it or when.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/replay.h"
#include "engine/replay_loop.h"
#include "events/symbol_table.h"
#include "trace_formats/event_buffer.h"

namespace heapsim {

/// A trace read whole, or the reader's diagnostic that stopped it.
struct LoadedTrace {
    std::string path;
    SymbolTable symbols;
    EventBuffer events;
    std::uint64_t events_read = 0;  // bad events included
    std::optional<Diagnostic> error;
    std::vector<Diagnostic> skipped;  // lenient: bad events the reader skipped
};

/// Reads the trace at `path` ("-" = standard input) into memory. The first
/// bad event stops the read, unless `lenient`: then only fatal errors do, and
/// the others are kept to be counted by every replay.
LoadedTrace load_trace(const std::string& path, bool lenient = false);

/// Replays `trace` once under `options`.
ReplayOutcome replay_loaded(const LoadedTrace& trace, const ReplayOptions& options);

/// Replays `trace` into `sim` (built on the trace's symbols or a copy of
/// them). `observe(event)` sees each event before the simulator applies it
/// (verify translates it then); a Diagnostic it returns stops the run once
/// the simulator has applied the event, whose own diagnostic comes first.
/// A template, so that an observer that never objects costs nothing.
template <typename Observer>
ReplayOutcome replay_into(Simulator& sim, const LoadedTrace& trace, bool lenient,
                          Observer&& observe) {
    ReplayOutcome outcome;
    if (trace.error) {
        outcome.error = trace.error;
        return outcome;
    }
    for (const Diagnostic& d : trace.skipped) sim.note_skipped(d);
    ReplayLoop loop(sim, lenient);
    Event event;
    for (EventBuffer::Cursor cursor = trace.events.cursor(); cursor.next(event);) {
        std::optional<Diagnostic> objection = observe(event);
        if (!loop.apply(event)) break;
        if (objection) {
            loop.halt(*objection);
            break;
        }
    }
    if (loop.stop()) {
        outcome.error = loop.take_stop();
    } else {
        outcome.result = sim.finish(trace.path, trace.events_read);
    }
    return outcome;
}

/// Replays `trace` under every configuration, on up to `threads` threads
/// (0 = one per core). Outcomes come back in the order of `configs`. An
/// exception inside one replay never escapes its thread (that would call
/// std::terminate): it becomes that configuration's error, a Limit for
/// exhausted memory (bad_alloc, length_error), else Internal; the other
/// configurations are unaffected.
std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads);

/// One replay of replay_configurations; a seam for tests.
using ReplayFunction = ReplayOutcome (*)(const LoadedTrace&, const ReplayOptions&);
std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads, ReplayFunction replay);

/// The exception being handled as a run's error: a Limit for exhausted
/// memory (bad_alloc, length_error), else Internal. Call inside a catch.
ReplayOutcome outcome_of_current_exception();

/// `replay(trace, options)` with any exception turned into the outcome's error.
ReplayOutcome replay_guarded(const LoadedTrace& trace, const ReplayOptions& options,
                             ReplayFunction replay);

}  // namespace heapsim

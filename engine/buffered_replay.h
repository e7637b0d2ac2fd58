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

/// Replays `trace` under every configuration, on up to `threads` threads
/// (0 = one per core). Outcomes come back in the order of `configs`.
std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads);

}  // namespace heapsim

#pragma once
// Glue between a trace reader and the simulator: every event read is applied
// at once, so memory stays flat however long the trace is. Strict mode stops
// at the first bad event; lenient mode skips bad events and counts them.
// Fatal reader errors (I/O, corrupt compression) and resource limits stop
// the run in both modes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "events/diagnostic.h"
#include "sim/run_result.h"
#include "sim/simulator.h"

namespace heapsim {

struct ReplayOptions {
    SimOptions sim;
    bool lenient = false;
    /// Called with the events applied so far every kProgressEvents events
    /// (a progress display); empty = never.
    std::function<void(std::uint64_t)> progress;
};
inline constexpr std::uint64_t kProgressEvents = std::uint64_t{1} << 20;

/// Either a finished run or the diagnostic that stopped it (never both).
struct ReplayOutcome {
    std::optional<RunResult> result;
    std::optional<Diagnostic> error;
};

/// Replays the trace at `path` ("-" = standard input).
ReplayOutcome replay_trace(const std::string& path, const ReplayOptions& options);
/// Replays a trace held in memory; `name_hint` picks the encoding ("x.jsonl").
ReplayOutcome replay_buffer(const std::string& bytes, const std::string& name_hint, const ReplayOptions& options);

}  // namespace heapsim

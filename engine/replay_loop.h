#pragma once
// The replay loop every command shares: `run` (streaming), the sweeps
// (parse once, replay many) and `verify`. It applies events to a Simulator
// and decides, by one rule, what a bad event does to the run.
//
// The rule: with --lenient, a bad event is skipped and counted, unless the
// reader cannot go on (a fatal diagnostic: I/O, corrupt compression) or a
// resource limit was reached; those stop the run in both modes. Without
// --lenient the first bad event stops it.

#include <optional>
#include <utility>

#include "events/diagnostic.h"
#include "events/event.h"
#include "sim/simulator.h"

namespace heapsim {

/// True when `diagnostic` is skipped and counted rather than stopping the run.
inline bool skippable(const Diagnostic& diagnostic, bool lenient) {
    return lenient && !diagnostic.fatal && diagnostic.kind != ErrorKind::Limit;
}

/// Records `diagnostic` as the one that stopped the run: the first one,
/// unless an I/O error follows it. A fatal reader error (corrupt compressed
/// input) explains any error the reader reported before it noticed.
inline void record_stop(std::optional<Diagnostic>& stop, const Diagnostic& diagnostic) {
    if (!stop || (diagnostic.kind == ErrorKind::Io && stop->kind != ErrorKind::Io)) stop = diagnostic;
}

class ReplayLoop {
public:
    ReplayLoop(Simulator& sim, bool lenient) : sim_(sim), lenient_(lenient) {}

    /// Applies one event. False when the run must stop (see stop()).
    /// The bad event's path is out of line: the good one, every event, then
    /// needs no registers saved around the call (docs/performance.md,
    /// session 7).
    bool apply(const Event& event) {
        std::optional<Diagnostic> d = sim_.apply(event);
        if (!d) [[likely]]
            return true;
        return reject_cold(*d);
    }

    /// A bad event, found by the reader or by the simulator. False when the
    /// run must stop.
    bool reject(const Diagnostic& diagnostic) {
        if (skippable(diagnostic, lenient_)) {
            sim_.note_skipped(diagnostic);
            return true;
        }
        record_stop(stop_, diagnostic);
        return false;
    }

    /// Stops the run for a reason of the caller's (verify: an event Python
    /// cannot express), whatever the mode.
    void halt(const Diagnostic& diagnostic) { record_stop(stop_, diagnostic); }

    /// The diagnostic that ended the run, if one did.
    const std::optional<Diagnostic>& stop() const { return stop_; }
    std::optional<Diagnostic> take_stop() { return std::move(stop_); }

private:
    [[gnu::noinline, gnu::cold]] bool reject_cold(const Diagnostic& diagnostic) {
        return reject(diagnostic);
    }

    Simulator& sim_;
    bool lenient_;
    std::optional<Diagnostic> stop_;
};

}  // namespace heapsim

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

#include "sim/diagnostic.h"
#include "sim/event.h"
#include "sim/policy.h"
#include "sim/run_result.h"
#include "sim/symbol_table.h"

namespace heapsim {

struct SimOptions {
    Policy policy;
    std::uint64_t max_objects = 0;  // 0 = unlimited; else a Limit diagnostic
    std::uint64_t max_bytes = 0;    // 0 = unlimited
};

class Heap;

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
    std::optional<Diagnostic> apply(const Event& event);

    /// Counts a skipped bad event (--lenient) so the report can show it.
    void note_skipped(const Diagnostic& diagnostic);

    /// Ends the run: leak analysis, statistics. Call once.
    RunResult finish(const std::string& trace_path, std::uint64_t events);

private:
    std::unique_ptr<Heap> heap_;
};

}  // namespace heapsim

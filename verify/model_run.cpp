#include "verify/model_run.h"

namespace heapsim {

namespace {

/// Every attribute key usable in a Python identifier as it is.
bool plain_keys(const LoadedTrace& trace) {
    Event ev;
    for (EventBuffer::Cursor scan = trace.events.cursor(); scan.next(ev);) {
        if (ev.key != kNoSym && !identifier_safe(trace.symbols.str(ev.key))) return false;
    }
    return true;
}

}  // namespace

ModelRun model_run(const Policy& policy, LoadedTrace& trace, std::uint64_t interpreter_objects,
                   bool instrumented, PythonProgram::Naming naming) {
    SimOptions options;
    options.policy = policy;
    options.interpreter_objects = interpreter_objects;
    options.record_frees = true;  // the program clears an object's handle when it dies
    Simulator sim(options, trace.symbols);
    PythonProgram program(trace.symbols, sim, trace.path, plain_keys(trace), instrumented, naming);
    ReplayOutcome outcome = replay_into(sim, trace, /*lenient=*/false,
                                        [&](const Event& ev) { return program.add(ev); });
    ModelRun run;
    if (outcome.error) {
        run.error = std::move(outcome.error);
        return run;
    }
    run.result = std::move(outcome.result);
    run.program = program.finish();
    run.labels = program.callback_labels();
    return run;
}

}  // namespace heapsim

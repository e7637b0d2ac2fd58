#pragma once
// heapsim's side of `verify`: the trace replayed under the interpreter's
// policy by the engine's replay loop, translated into a Python program on the
// way (each event before the simulator applies it, as PythonProgram needs).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/buffered_replay.h"
#include "verify/python_program.h"

namespace heapsim {

/// The model's result and the program that performs the same operations.
struct ModelRun {
    std::optional<RunResult> result;
    std::string program;
    std::vector<Sym> labels;  // weakref callback labels, by the program's index
    std::optional<Diagnostic> error;
};

/// Replays `trace` (strictly) under `policy` with `interpreter_objects`
/// long-lived objects of the interpreter's own counted in; `instrumented` =
/// false writes the plain program (verify --plain); `naming` is how it names
/// objects no name holds (PythonProgram::Naming). Interns into
/// `trace.symbols`.
ModelRun model_run(const Policy& policy, LoadedTrace& trace, std::uint64_t interpreter_objects,
                   bool instrumented = true,
                   PythonProgram::Naming naming = PythonProgram::Naming::Handle);

}  // namespace heapsim

#pragma once
// The interpreter's side of `verify`: the program run by a real Python, its
// standard error read back as an InterpreterLog.

#include <optional>
#include <string>

#include "verify/interpreter_log.h"

namespace heapsim {

/// Runs `program` on `python`; the log, or (in `error`) why there is none:
/// the interpreter did not start, raised, or stopped before the end.
/// `diverged` is set when it stopped after the trace's operations began: the
/// model and the interpreter disagree (a handle read after its object died).
std::optional<InterpreterLog> interpret(const std::string& python, const std::string& program,
                                        std::string& error, bool* diverged = nullptr);

/// The version `python` reports ("3.12.1"), or nullopt with `error` set.
std::optional<std::string> python_version(const std::string& python, std::string& error);

}  // namespace heapsim

#pragma once
// What the Python program written by PythonProgram reports on its standard
// error: gcmodule's DEBUG_STATS lines for every collection, and the
// program's own markers (E event, A allocation address, F finalizer,
// W weakref callback, C final gc.get_count(), X uncaught exception).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace heapsim {

struct ObservedCollection {
    std::uint64_t event = 0;
    int generation = 0;
    std::array<std::uint64_t, 3> gen_sizes{};  // at the start, as gcmodule prints them
    std::uint64_t permanent = 0;
    std::uint64_t collected = 0;      // unreachable - uncollectable
    std::uint64_t uncollectable = 0;
};

struct ObservedCall {
    std::uint64_t seq = 0;      // line number in the log: orders calls and allocations
    std::uint64_t event = 0;
    std::uint64_t address = 0;  // of the finalized object or the weakref
    int label = -1;             // W lines: the callback's index
};

struct InterpreterLog {
    std::string version;
    /// Tracked objects the interpreter keeps after its own full collections
    /// (the survivors of the last one before the trace starts).
    std::uint64_t interpreter_objects = 0;
    bool started = false;   // the trace's operations began
    bool finished = false;  // the final count was printed
    std::vector<ObservedCollection> collections;
    std::vector<ObservedCall> finalizers;
    std::vector<ObservedCall> callbacks;
    struct Allocation {
        std::uint64_t seq = 0, event = 0, address = 0;
    };
    std::vector<Allocation> allocations;
    std::optional<std::array<std::uint64_t, 3>> final_count;
    std::string exception;  // traceback text after an X line
    std::vector<std::string> unexpected;  // lines it could not read
};

InterpreterLog parse_interpreter_log(const std::string& text);

}  // namespace heapsim

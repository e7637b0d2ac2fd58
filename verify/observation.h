#pragma once
// What one run of a trace showed, in trace terms and in the terms `verify`
// compares: every collection (event, generation, collected, uncollectable,
// generation 0 and 1 sizes at its start), every finalizer and weakref
// callback in order, the final gc.get_count(). Taken from an interpreter's
// log (`verify --observed FILE`) it is that interpreter's expected values
// for the trace; taken from a RunResult it is heapsim's. Checked-in
// observations of the real interpreters (tests/policies/expected/) let the
// per-version expectations run on machines without them.
//
// Text form, one record per line (docs/policies.md, "Expected values per
// version"):
//   trace PATH
//   python VERSION
//   interpreter_objects N
//   collection EVENT GEN COLLECTED UNCOLLECTABLE YOUNG0 YOUNG1
//   finalizer EVENT ID
//   callback EVENT WEAKREF LABEL
//   final_count C0 C1 C2
//   refused MESSAGE        (instead of the above: no program can perform it)
//   end

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run_result.h"
#include "verify/comparison.h"

namespace heapsim {

struct Observation {
    std::string trace;
    std::string python;  // the interpreter's version ("" for heapsim's own)
    std::uint64_t interpreter_objects = 0;
    struct Collection {
        std::uint64_t event = 0;
        int generation = 0;
        std::uint64_t collected = 0, uncollectable = 0;
        std::array<std::uint64_t, 2> young{};
        bool operator==(const Collection&) const = default;
    };
    std::vector<Collection> collections;
    std::vector<FinalizerRecord> finalizers;
    std::vector<WeakrefCallbackRecord> callbacks;
    std::optional<std::array<std::uint64_t, 3>> final_count;
    /// verify's reason when the trace cannot be performed in Python ("" if it can).
    std::string refused;
};

/// The interpreter's side of a verify run.
Observation observation_of(const ModelSide& model, const InterpreterLog& log, std::string trace);
/// heapsim's side.
Observation observation_of(const RunResult& result, std::string trace);

/// The text form (ends with "end\n").
std::string format_observation(const Observation& o);
/// Every observation of a file of them, in order; nullopt with `error` set
/// ("LINE: message") on a malformed line.
std::optional<std::vector<Observation>> parse_observations(const std::string& text,
                                                           std::string& error);

}  // namespace heapsim

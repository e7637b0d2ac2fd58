#pragma once
// The synthetic heaps `heapsim calibrate` has the real interpreter collect:
// shapes whose collection work (CollectionCost) is known exactly, so that
// their measured pauses can be fitted to the cost model (docs/pauses.md).

#include <cstdint>
#include <string>
#include <vector>

#include "sim/pause_model.h"

namespace heapsim {

/// One heap, built in generation 0 and collected by gc.collect(0).
struct HeapShape {
    std::uint32_t live = 0;        // reachable lists, held by one root list
    std::uint32_t degree = 1;      // references each list holds (to its ring neighbours)
    std::uint32_t garbage = 0;     // unreachable lists in a ring of the same degree
    std::uint32_t finalizers = 0;  // unreachable instances with __del__, in a ring
    std::uint32_t callbacks = 0;   // unreachable instances, each with a live weakref
                                   // that has a callback
};

/// The work collecting `shape` does, counted as the simulator counts it
/// (an instance's reference to its type is not a reference it holds).
CollectionCost cost_of(const HeapShape& shape);

/// The heaps the model is fitted on: each term varied alone and together.
std::vector<HeapShape> training_heaps();
/// Heaps of other shapes, never fitted on, for measuring the fit's error.
std::vector<HeapShape> held_out_heaps();

/// A Python program that builds and collects every heap, in `repeats` rounds,
/// and writes "heap I NS" (the fastest collection of heap I, as timed by a
/// gc.callbacks pair of perf_counter_ns calls) to standard error, then "done".
std::string calibration_program(const std::vector<HeapShape>& heaps, int repeats);

}  // namespace heapsim

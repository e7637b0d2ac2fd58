#pragma once
// The interpreter's side of `heapsim calibrate`: the calibration program
// run by a real Python, its timings read back.

#include <optional>
#include <string>
#include <vector>

#include "calibrate/calibration_heaps.h"

namespace heapsim {

/// The fastest collection of each heap, in nanoseconds, in `heaps` order;
/// nullopt with `error` set when the interpreter did not run to the end.
std::optional<std::vector<double>> time_collections(const std::string& python,
                                                    const std::vector<HeapShape>& heaps,
                                                    int repeats, std::string& error);

/// Reads "heap I NS" lines and the final "done" (the program's standard
/// error); nullopt with `error` set when a heap is missing or a line is not
/// one of those.
std::optional<std::vector<double>> parse_timings(const std::string& log, std::size_t heaps,
                                                 std::string& error);

}  // namespace heapsim

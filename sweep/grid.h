#pragma once
// Grids of configurations (shared spec cli.md, "Configurations"):
// `--grid AXIS=VALUES`, repeatable, over the axes policy, threshold0,
// threshold1 and threshold2. VALUES is a comma-separated list or a range
// LO..HI[:log|:lin]:N of N integers. The grid is the Cartesian product,
// the first axis varying slowest; what no axis sets comes from the base
// configuration (default cpython-3.11 with its own thresholds).

#include <string>
#include <string_view>
#include <vector>

#include "events/checked.h"
#include "sweep/configuration.h"

namespace heapsim::sweep {

enum class Axis { Policy, Threshold0, Threshold1, Threshold2 };

struct GridAxis {
    Axis axis = Axis::Policy;
    std::vector<std::string> policies;  // Axis::Policy
    std::vector<std::int64_t> values;   // the threshold axes
};

/// One `--grid AXIS=VALUES`.
Checked<GridAxis> parse_grid_axis(std::string_view text);

/// The N integers of LO..HI[:log|:lin]:N, distinct and ascending: evenly
/// spaced, or (log) evenly spaced in log scale, rounded to the nearest integer.
Checked<std::vector<std::int64_t>> parse_range(std::string_view text);

/// The configurations of the grid, first axis slowest. An axis given twice
/// is an error, and so is a grid over more than `max_runs` configurations.
Checked<std::vector<Configuration>> expand_grid(const ConfigurationSpec& base,
                                                const std::vector<GridAxis>& axes,
                                                std::size_t max_runs = 1000000);

}  // namespace heapsim::sweep

#include "sweep/grid.h"

#include <cmath>
#include <limits>

namespace heapsim::sweep {

namespace {

constexpr std::int64_t kMaxThreshold = std::numeric_limits<int>::max();

const char* axis_name(Axis axis) {
    switch (axis) {
        case Axis::Policy:
            return "policy";
        case Axis::Threshold0:
            return "threshold0";
        case Axis::Threshold1:
            return "threshold1";
        case Axis::Threshold2:
            return "threshold2";
    }
    return "?";
}

}  // namespace

Checked<std::vector<std::int64_t>> parse_range(std::string_view text) {
    using Result = Checked<std::vector<std::int64_t>>;
    const auto bad = [&](const std::string& why) {
        return Result::failure("malformed range '" + std::string(text) + "': " + why +
                               " (expected LO..HI[:log|:lin]:N, e.g. 100..100000:log:12)");
    };
    const std::size_t dots = text.find("..");
    const std::size_t colon = text.find(':');
    if (dots == std::string_view::npos || colon == std::string_view::npos || colon < dots)
        return bad("no '..' and ':N'");
    const auto lo = parse_integer(text.substr(0, dots), 0, kMaxThreshold);
    const auto hi = parse_integer(text.substr(dots + 2, colon - dots - 2), 0, kMaxThreshold);
    if (!lo || !hi)
        return bad("LO and HI must be integers from 0 to " + std::to_string(kMaxThreshold));
    if (*lo >= *hi) return bad("LO must be below HI");
    std::string_view rest = text.substr(colon + 1);
    bool log = false;
    if (rest.starts_with("log:") || rest.starts_with("lin:")) {
        log = rest.starts_with("log:");
        rest.remove_prefix(4);
    }
    const auto n = parse_integer(rest, 2, 100000);
    if (!n) return bad("N must be a whole number from 2 to 100000");
    if (log && *lo == 0) return bad("a log range must start at 1 or more");
    std::vector<std::int64_t> values;
    for (std::int64_t i = 0; i < *n; ++i) {
        const double f = static_cast<double>(i) / static_cast<double>(*n - 1);
        const double v = log ? std::exp(std::log(double(*lo)) +
                                        f * (std::log(double(*hi)) - std::log(double(*lo))))
                             : double(*lo) + f * double(*hi - *lo);
        std::int64_t rounded = i == 0 ? *lo : i == *n - 1 ? *hi : std::llround(v);
        if (!values.empty() && rounded <= values.back())
            return bad(std::to_string(*n) + " integers do not fit between " + std::to_string(*lo) +
                       " and " + std::to_string(*hi) + " without repeats; use a smaller N");
        values.push_back(rounded);
    }
    return values;
}

Checked<GridAxis> parse_grid_axis(std::string_view text) {
    using Result = Checked<GridAxis>;
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos)
        return Result::failure("invalid --grid '" + std::string(text) +
                               "': expected AXIS=VALUES, e.g. threshold0=700,2000,5000");
    const std::string_view name = text.substr(0, eq), values = text.substr(eq + 1);
    GridAxis axis;
    if (name == "policy")
        axis.axis = Axis::Policy;
    else if (name == "threshold0")
        axis.axis = Axis::Threshold0;
    else if (name == "threshold1")
        axis.axis = Axis::Threshold1;
    else if (name == "threshold2")
        axis.axis = Axis::Threshold2;
    else
        return Result::failure("unknown grid axis '" + std::string(name) +
                               "' (valid: policy, threshold0, threshold1, threshold2)");
    if (values.empty()) return Result::failure("--grid " + std::string(name) + "= has no values");
    if (axis.axis == Axis::Policy) {
        std::string_view rest = values;
        while (true) {
            const std::size_t comma = rest.find(',');
            const std::string item(rest.substr(0, comma));
            if (!policy_by_name(item)) {
                std::string names;
                for (const std::string& p : policy_names())
                    names += (names.empty() ? "" : ", ") + p;
                return Result::failure("--grid policy: unknown policy '" + item +
                                       "' (valid: " + names + ")");
            }
            axis.policies.push_back(item);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        return axis;
    }
    if (values.find("..") != std::string_view::npos) {
        Checked<std::vector<std::int64_t>> range = parse_range(values);
        if (!range) return Result::failure("--grid " + std::string(name) + ": " + range.error());
        axis.values = *range;
        return axis;
    }
    std::string_view rest = values;
    while (true) {
        const std::size_t comma = rest.find(',');
        const auto v = parse_integer(rest.substr(0, comma), 0, kMaxThreshold);
        if (!v)
            return Result::failure(
                "--grid " + std::string(name) + ": invalid value '" +
                std::string(rest.substr(0, comma)) + "' (expected integers from 0 to " +
                std::to_string(kMaxThreshold) + ", or a range LO..HI[:log|:lin]:N)");
        axis.values.push_back(*v);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return axis;
}

Checked<std::vector<Configuration>> expand_grid(const ConfigurationSpec& base,
                                                const std::vector<GridAxis>& axes,
                                                std::size_t max_runs) {
    using Result = Checked<std::vector<Configuration>>;
    std::size_t total = 1;
    bool seen[4] = {false, false, false, false};
    for (const GridAxis& a : axes) {
        const int i = static_cast<int>(a.axis);
        if (seen[i])
            return Result::failure(std::string("--grid ") + axis_name(a.axis) + " given twice");
        seen[i] = true;
        const std::size_t n = a.axis == Axis::Policy ? a.policies.size() : a.values.size();
        if (n == 0)
            return Result::failure(std::string("--grid ") + axis_name(a.axis) + " has no values");
        if (total > max_runs / n)
            return Result::failure("the grid has more than " + std::to_string(max_runs) +
                                   " configurations; split it or use fewer values");
        total *= n;
    }
    std::vector<Configuration> out;
    out.reserve(total);
    std::vector<std::size_t> index(axes.size(), 0);
    for (std::size_t k = 0; k < total; ++k) {
        // Mixed-radix digits of k, the last axis varying fastest.
        std::size_t rest = k;
        for (std::size_t a = axes.size(); a-- > 0;) {
            const std::size_t n =
                axes[a].axis == Axis::Policy ? axes[a].policies.size() : axes[a].values.size();
            index[a] = rest % n;
            rest /= n;
        }
        ConfigurationSpec spec = base;
        for (std::size_t a = 0; a < axes.size(); ++a)
            if (axes[a].axis == Axis::Policy) spec.policy = axes[a].policies[index[a]];
        Configuration config = resolve(spec);
        for (std::size_t a = 0; a < axes.size(); ++a) {
            if (axes[a].axis == Axis::Policy) continue;
            config.policy.thresholds[static_cast<int>(axes[a].axis) - 1] = axes[a].values[index[a]];
        }
        out.push_back(config);
    }
    return out;
}

}  // namespace heapsim::sweep

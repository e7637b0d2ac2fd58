#include "sweep/configuration.h"

#include <charconv>
#include <limits>
#include <vector>

namespace heapsim::sweep {

namespace {

std::string policy_list() {
    std::string out;
    for (const std::string& name : policy_names()) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t at = text.find(sep);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max) {
    if (text.empty() || text.front() == '+') return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

Checked<ConfigurationSpec> parse_configuration_spec(std::string_view text) {
    using Result = Checked<ConfigurationSpec>;
    const std::string quoted = "configuration '" + std::string(text) + "': ";
    const std::vector<std::string_view> parts = split(text, ':');
    ConfigurationSpec spec;
    spec.policy = std::string(parts.front());
    const std::optional<Policy> policy = policy_by_name(spec.policy);
    if (!policy)
        return Result::failure(quoted + "unknown policy '" + spec.policy +
                               "' (valid: " + policy_list() + ")");
    bool seen[3] = {false, false, false};
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string_view option = parts[i];
        const std::size_t eq = option.find('=');
        if (eq == std::string_view::npos)
            return Result::failure(quoted + "option '" + std::string(option) +
                                   "' is not KEY=VALUE");
        const std::string_view key = option.substr(0, eq), value = option.substr(eq + 1);
        const int index = key == "threshold"          ? 0
                          : key == "freeze-at"        ? 1
                          : key == "trace-thresholds" ? 2
                                                      : -1;
        if (index < 0)
            return Result::failure(quoted + "unknown option '" + std::string(key) +
                                   "' (valid: threshold, freeze-at, trace-thresholds)");
        if (!policy->collects())
            return Result::failure(quoted + "'" + std::string(key) + "' does not apply to " +
                                   spec.policy + ", which never collects");
        if (seen[index])
            return Result::failure(quoted + "option '" + std::string(key) + "' given twice");
        seen[index] = true;
        if (index == 0) {
            const std::vector<std::string_view> values = split(value, ',');
            for (std::string_view v : values) {
                const auto t = parse_integer(v, 0, std::numeric_limits<int>::max());
                if (!t || values.size() > 3)
                    return Result::failure(quoted + "invalid threshold '" + std::string(value) +
                                           "': expected 1 to 3 comma-separated non-negative "
                                           "integers, e.g. threshold=700,10,10");
                spec.thresholds[spec.threshold_count++] = *t;
            }
        } else if (index == 1) {
            const auto at = parse_integer(value, 1, std::numeric_limits<std::int64_t>::max());
            if (!at)
                return Result::failure(quoted + "invalid freeze-at '" + std::string(value) +
                                       "': expected an event number from 1");
            spec.freeze_at = static_cast<std::uint64_t>(*at);
        } else {
            if (value != "follow" && value != "ignore")
                return Result::failure(quoted + "invalid trace-thresholds '" + std::string(value) +
                                       "' (valid: follow, ignore)");
            spec.follow_trace_thresholds = value == "follow";
        }
    }
    return spec;
}

Configuration resolve(const ConfigurationSpec& spec) {
    Configuration config;
    config.policy = *policy_by_name(spec.policy);
    for (int i = 0; i < spec.threshold_count; ++i) config.policy.thresholds[i] = spec.thresholds[i];
    if (spec.follow_trace_thresholds)
        config.policy.follow_trace_thresholds = *spec.follow_trace_thresholds;
    config.freeze_at = spec.freeze_at;
    return config;
}

Checked<Configuration> parse_configuration(std::string_view text) {
    Checked<ConfigurationSpec> spec = parse_configuration_spec(text);
    if (!spec) return Checked<Configuration>::failure(spec.error());
    return resolve(*spec);
}

std::string canonical_spec(const Configuration& config) {
    std::string out = config.policy.name();
    if (!config.policy.collects()) return out;
    const auto& t = config.policy.thresholds;
    out += ":threshold=" + std::to_string(t[0]) + ',' + std::to_string(t[1]) + ',' +
           std::to_string(t[2]);
    if (config.freeze_at != 0) out += ":freeze-at=" + std::to_string(config.freeze_at);
    if (!config.policy.follow_trace_thresholds) out += ":trace-thresholds=ignore";
    return out;
}

Configuration default_of(const Configuration& config) {
    Configuration out = config;
    out.policy.thresholds = config.policy.traits().thresholds;
    return out;
}

ReplayOptions replay_options(const Configuration& config, bool lenient) {
    ReplayOptions options;
    options.sim.policy = config.policy;
    options.sim.freeze_at = config.freeze_at;
    options.lenient = lenient;
    return options;
}

}  // namespace heapsim::sweep

#pragma once
// A configuration: the policy a run replays under and its options, written
// as a SPEC (shared spec cli.md, "Configurations"):
//
//   SPEC := POLICY [":" KEY "=" VALUE]*
//   cpython-3.11:threshold=2000,10,10:trace-thresholds=ignore
//
// and printed back in one canonical form, the name every report, table and
// shard uses for the run.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/replay.h"
#include "sim/policy.h"
#include "events/checked.h"

namespace heapsim::sweep {

struct Configuration {
    Policy policy;                // thresholds and trace-thresholds included
    std::uint64_t freeze_at = 0;  // gc.freeze() after this event; 0 = never
};

/// What a SPEC said, before the policy's defaults fill the rest: a grid
/// varies a base given this way (sweep --base).
struct ConfigurationSpec {
    std::string policy;
    int threshold_count = 0;  // how many of `thresholds` were given
    std::array<std::int64_t, 3> thresholds{};
    std::optional<bool> follow_trace_thresholds;
    std::uint64_t freeze_at = 0;
};

/// Parses SPEC; an unknown policy or key, a malformed value or an option
/// the policy does not take is one line naming it.
Checked<ConfigurationSpec> parse_configuration_spec(std::string_view spec);

/// `spec` resolved against its policy's defaults (the policy must exist:
/// parse_configuration_spec checked it).
Configuration resolve(const ConfigurationSpec& spec);

/// parse_configuration_spec then resolve.
Checked<Configuration> parse_configuration(std::string_view spec);

/// The canonical SPEC: policy, then threshold= with three values (for a
/// generational policy), then the other options when not at their default.
std::string canonical_spec(const Configuration& config);

/// The configuration with everything but its thresholds kept and the
/// thresholds at the policy's defaults: what a recommendation is weighed
/// against.
Configuration default_of(const Configuration& config);

/// The replay options of one run of `config`.
ReplayOptions replay_options(const Configuration& config, bool lenient);

/// A whole number from `min` to `max`, all of `text`.
std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max);

}  // namespace heapsim::sweep

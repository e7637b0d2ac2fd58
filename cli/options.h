#pragma once
// Parsing and validation of option values shared by the commands. Each
// parser returns the value or a one-line message; the command turns that
// message into a usage error (exit status 2).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "events/checked.h"
#include "report/report_format.h"
#include "sim/policy.h"

namespace heapsim::cli {

/// Thresholds given on the command line: the first `count` entries replace
/// the policy's starting thresholds, the rest are kept.
struct ThresholdOverride {
    std::array<std::int64_t, 3> values{};
    int count = 0;
};

/// "700", "700,10" or "700,10,10": one to three non-negative integers that
/// fit in a C int (CPython's gc.set_threshold takes ints).
Checked<ThresholdOverride> parse_thresholds(std::string_view text);

/// The policy named `name` with `thresholds` applied; an unknown name is
/// rejected with the list of valid names.
Checked<Policy> resolve_policy(std::string_view name,
                               const std::optional<ThresholdOverride>& thresholds);

/// The policy `run` models when neither --policy nor the trace names one.
inline constexpr const char* kDefaultPolicy = "cpython-3.11";
/// "cpython-3.11, cpython-3.12, ...": every policy name, for help and errors.
std::string policy_names_text();

/// "unknown policy 'x' (valid: cpython-3.11, refcount)" when `name` is not a policy.
std::optional<std::string> check_policy_name(std::string_view name);

/// All of `text` as a decimal whole number from `min` to 2^64-1, for the
/// option `flag`: "invalid --events '0': expected a whole number from 1 to
/// 18446744073709551615". (CLI11's own conversion takes "-1" as 2^64-1.)
Checked<std::uint64_t> parse_count(std::string_view text, std::string_view flag, std::uint64_t min);

/// A byte count: digits with an optional binary suffix K, M, G, T (also KiB,
/// MiB, ... and KB, MB, ..., all meaning powers of 1024). "0" means no limit.
Checked<std::uint64_t> parse_byte_size(std::string_view text);

/// Output formats of `run` (--format).
Checked<ReportFormat> parse_report_format(std::string_view name);

}  // namespace heapsim::cli

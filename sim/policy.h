#pragma once
// A policy is the memory manager being modelled, chosen once per run.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heapsim {

enum class PolicyKind : std::uint8_t {
    Refcount,    // reference counting only: the cyclic collector never runs
    CPython311,  // CPython 3.11's generational collector (also 3.8-3.10)
};

struct Policy {
    PolicyKind kind = PolicyKind::CPython311;
    std::array<std::int64_t, 3> thresholds{700, 10, 10};
    /// Whether the trace's own `threshold` events change the thresholds
    /// (configuration option trace-thresholds=follow|ignore, spec cli.md).
    /// Ignored, they are still replayed as calls (their argument tuple is
    /// allocated) but leave the thresholds as configured: what a sweep over
    /// thresholds wants.
    bool follow_trace_thresholds = true;

    const char* name() const;
    bool collects() const { return kind != PolicyKind::Refcount; }
};

/// The policy named `name` ("cpython-3.11", "refcount"), or nullopt.
std::optional<Policy> policy_by_name(std::string_view name);
/// Every accepted policy name, for --help and error messages.
std::vector<std::string> policy_names();

}  // namespace heapsim

#include "sweep/shard.h"

#include <cstdlib>
#include <limits>

#include "sweep/configuration.h"

namespace heapsim::sweep {

namespace {

constexpr std::int64_t kMax = std::int64_t{1} << 62;  // room for the +1 of 0-based indexes

Checked<Shard> make_shard(std::int64_t k, std::int64_t n, const std::string& what) {
    if (n < 1 || k < 1 || k > n)
        return Checked<Shard>::failure("invalid shard " + what + ": shard " + std::to_string(k) +
                                       " of " + std::to_string(n) + " (K/N needs 1 <= K <= N)");
    return Shard{static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(n)};
}

}  // namespace

Checked<Shard> parse_shard(std::string_view text) {
    const std::size_t slash = text.find('/');
    const auto bad = [&] {
        return Checked<Shard>::failure("invalid --shard '" + std::string(text) +
                                       "': expected K/N with 1 <= K <= N, e.g. 2/4");
    };
    if (slash == std::string_view::npos) return bad();
    const auto k = parse_integer(text.substr(0, slash), 0, kMax);
    const auto n = parse_integer(text.substr(slash + 1), 0, kMax);
    if (!k || !n || *n < 1 || *k < 1 || *k > *n) return bad();
    return Shard{static_cast<std::uint64_t>(*k), static_cast<std::uint64_t>(*n)};
}

std::optional<std::string> process_environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

Checked<ShardFromEnvironment> shard_from_environment(const Environment& env) {
    using Result = Checked<ShardFromEnvironment>;
    // An integer variable, or the error naming it.
    std::string error;
    const auto number = [&](const char* name) -> std::int64_t {
        const std::optional<std::string> text = env(name);
        const auto v = text ? parse_integer(*text, 0, kMax) : std::nullopt;
        if (!v && error.empty())
            error = std::string(name) + "='" + text.value_or("") + "' is not a whole number";
        return v.value_or(0);
    };
    const auto found = [&](std::int64_t k, std::int64_t n, std::string source) -> Result {
        if (!error.empty()) return Result::failure("invalid shard from " + source + ": " + error);
        Checked<Shard> shard = make_shard(k, n, "from " + source);
        if (!shard) return Result::failure(shard.error());
        return ShardFromEnvironment{*shard, std::move(source)};
    };
    if (const auto text = env("HEAPSIM_SHARD")) {
        Checked<Shard> shard = parse_shard(*text);
        if (!shard) return Result::failure("HEAPSIM_SHARD: " + shard.error());
        return ShardFromEnvironment{*shard, "HEAPSIM_SHARD"};
    }
    // GitLab sets CI_NODE_TOTAL (= 1) in every job, CI_NODE_INDEX only in
    // `parallel:` ones: the index says a job is a shard.
    if (env("CI_NODE_INDEX")) {
        // GitLab numbers parallel jobs from 1 (CI_NODE_INDEX, 1..CI_NODE_TOTAL).
        const std::int64_t k = number("CI_NODE_INDEX"), n = number("CI_NODE_TOTAL");
        return found(k, n, "CI_NODE_INDEX/CI_NODE_TOTAL");
    }
    if (env("SLURM_ARRAY_TASK_ID")) {
        // Task ids run from SLURM_ARRAY_TASK_MIN (--array=0-7 or 1-8).
        const std::int64_t id = number("SLURM_ARRAY_TASK_ID"), n = number("SLURM_ARRAY_TASK_COUNT");
        const std::int64_t min = env("SLURM_ARRAY_TASK_MIN") ? number("SLURM_ARRAY_TASK_MIN") : 0;
        return found(id - min + 1, n, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
    }
    if (env("JOB_COMPLETION_INDEX")) {
        if (!env("HEAPSIM_SHARD_TOTAL"))
            return Result::failure(
                "JOB_COMPLETION_INDEX is set but HEAPSIM_SHARD_TOTAL is not: pass the Indexed "
                "Job's completions count in HEAPSIM_SHARD_TOTAL (docs/ci.md)");
        // Kubernetes completion indexes run from 0.
        const std::int64_t k = number("JOB_COMPLETION_INDEX") + 1,
                           n = number("HEAPSIM_SHARD_TOTAL");
        return found(k, n, "JOB_COMPLETION_INDEX/HEAPSIM_SHARD_TOTAL");
    }
    return ShardFromEnvironment{};
}

}  // namespace heapsim::sweep

#pragma once
// Shards of a sweep (shared spec cli.md): `--shard K/N` (1 <= K <= N) runs
// exactly the runs whose number modulo N is K-1. Without --shard, the CI
// engine's own variables say which shard a job is (docs/ci.md):
//
//   HEAPSIM_SHARD=K/N                      any engine; a GitHub Actions matrix
//                                          sets it from strategy.job-index/-total
//   CI_NODE_INDEX, CI_NODE_TOTAL           GitLab `parallel:` (index 1-based)
//   SLURM_ARRAY_TASK_ID, _COUNT, _MIN      a Slurm job array (K = ID - MIN + 1)
//   JOB_COMPLETION_INDEX, HEAPSIM_SHARD_TOTAL
//                                          a Kubernetes Indexed Job (index
//                                          0-based; the completions count is
//                                          passed in, Kubernetes does not set it)
//
// checked in that order. A 1/N with N = 1 is the whole sweep.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "events/checked.h"

namespace heapsim::sweep {

struct Shard {
    std::uint64_t index = 1;  // K, 1-based
    std::uint64_t count = 1;  // N
    bool whole() const { return count == 1; }
    /// Whether run number `run` (0-based) belongs to this shard.
    bool owns(std::uint64_t run) const { return run % count == index - 1; }
};

/// "K/N" with 1 <= K <= N.
Checked<Shard> parse_shard(std::string_view text);

/// Reads an environment variable; nullopt when unset or empty.
using Environment = std::function<std::optional<std::string>(const char*)>;
/// The process environment.
std::optional<std::string> process_environment(const char* name);

/// The shard the CI variables name, "" source when none is set; a variable
/// set to nonsense is an error naming it.
struct ShardFromEnvironment {
    std::optional<Shard> shard;
    std::string source;  // "CI_NODE_INDEX/CI_NODE_TOTAL", ...
};
Checked<ShardFromEnvironment> shard_from_environment(const Environment& env);

}  // namespace heapsim::sweep

// Shards: K/N parsing and the CI engines' variables, each with its own base.
#include "sweep/shard.h"

#include <doctest/doctest.h>

#include <map>

using namespace heapsim::sweep;

namespace {
Environment env_of(std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}
Shard shard_from(std::map<std::string, std::string> vars) {
    const auto s = shard_from_environment(env_of(std::move(vars)));
    REQUIRE_MESSAGE(s.ok(), s.error());
    REQUIRE(s->shard.has_value());
    return *s->shard;
}
std::string env_error(std::map<std::string, std::string> vars) {
    const auto s = shard_from_environment(env_of(std::move(vars)));
    REQUIRE_FALSE(s.ok());
    return s.error();
}
}  // namespace

TEST_CASE("--shard K/N") {
    const auto s = parse_shard("2/4");
    REQUIRE(s.ok());
    CHECK(s->index == 2);
    CHECK(s->count == 4);
    CHECK(s->owns(1));
    CHECK(s->owns(5));
    CHECK_FALSE(s->owns(0));
    CHECK_FALSE(s->owns(2));
    for (const char* bad : {"0/3", "4/3", "1/0", "3", "a/b", "/3", "1/", "-1/3", "1/3/4", ""}) {
        CAPTURE(bad);
        const auto r = parse_shard(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "invalid --shard '" + std::string(bad) +
                               "': expected K/N with 1 <= K <= N, e.g. 2/4");
    }
}

TEST_CASE("every run belongs to exactly one shard") {
    for (std::uint64_t run = 0; run < 20; ++run) {
        int owners = 0;
        for (std::uint64_t k = 1; k <= 3; ++k) owners += Shard{k, 3}.owns(run) ? 1 : 0;
        CHECK(owners == 1);
    }
}

TEST_CASE("the CI engines' variables, each with its own numbering") {
    const auto none = shard_from_environment(env_of({}));
    REQUIRE(none.ok());
    CHECK_FALSE(none->shard.has_value());
    // Every GitLab job has CI_NODE_TOTAL=1; only parallel ones have an index.
    const auto plain_gitlab = shard_from_environment(env_of({{"CI_NODE_TOTAL", "1"}}));
    REQUIRE(plain_gitlab.ok());
    CHECK_FALSE(plain_gitlab->shard.has_value());
    // GitLab: CI_NODE_INDEX runs from 1.
    Shard s = shard_from({{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}});
    CHECK((s.index == 1 && s.count == 3));
    // Slurm: from SLURM_ARRAY_TASK_MIN (0 when unset).
    s = shard_from({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
    CHECK((s.index == 1 && s.count == 4));
    s = shard_from({{"SLURM_ARRAY_TASK_ID", "4"},
                    {"SLURM_ARRAY_TASK_COUNT", "4"},
                    {"SLURM_ARRAY_TASK_MIN", "1"}});
    CHECK((s.index == 4 && s.count == 4));
    // Kubernetes: JOB_COMPLETION_INDEX runs from 0, the count is passed in.
    s = shard_from({{"JOB_COMPLETION_INDEX", "2"}, {"HEAPSIM_SHARD_TOTAL", "3"}});
    CHECK((s.index == 3 && s.count == 3));
    // HEAPSIM_SHARD comes first (a GitHub matrix sets it).
    s = shard_from({{"HEAPSIM_SHARD", "2/2"}, {"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}});
    CHECK((s.index == 2 && s.count == 2));
}

TEST_CASE("nonsense in a CI variable is an error naming it") {
    CHECK(env_error({{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}}).find("shard 0 of 3") !=
          std::string::npos);
    CHECK(env_error({{"CI_NODE_INDEX", "x"}, {"CI_NODE_TOTAL", "3"}}).find("CI_NODE_INDEX='x'") !=
          std::string::npos);
    CHECK(env_error({{"CI_NODE_INDEX", "2"}}).find("CI_NODE_TOTAL=''") != std::string::npos);
    CHECK(env_error({{"JOB_COMPLETION_INDEX", "0"}}).find("HEAPSIM_SHARD_TOTAL is not") !=
          std::string::npos);
    CHECK(env_error({{"JOB_COMPLETION_INDEX", "3"}, {"HEAPSIM_SHARD_TOTAL", "3"}})
              .find("shard 4 of 3") != std::string::npos);
    CHECK(
        env_error({{"HEAPSIM_SHARD", "4/3"}}).starts_with("HEAPSIM_SHARD: invalid --shard '4/3'"));
}

// Parse once, replay many: every configuration's result must be the one a
// streaming `heapsim run` gives, byte for byte, whatever the thread count.
#include "engine/buffered_replay.h"

#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/report.h"
#include "workloads/random_trace.h"

using namespace heapsim;

namespace {

/// A generated trace in a temporary file, removed at the end of the test.
struct TempTrace {
    std::string path;
    explicit TempTrace(std::uint64_t events, std::uint64_t seed) {
        char name[] = "/tmp/heapsim-buffered-XXXXXX";
        const int fd = mkstemp(name);
        REQUIRE(fd >= 0);
        close(fd);
        path = name;
        RandomTraceOptions options;
        options.events = events;
        options.seed = seed;
        std::ofstream out(path);
        write_random_trace(options, out);
    }
    ~TempTrace() { std::remove(path.c_str()); }
};

std::vector<ReplayOptions> threshold_grid() {
    std::vector<ReplayOptions> configs;
    for (std::int64_t t0 : {100, 300, 700, 2000}) {
        for (std::int64_t t1 : {5, 10, 20, 50}) {
            ReplayOptions o;
            o.sim.policy = *policy_by_name("cpython-3.11");
            o.sim.policy.thresholds = {t0, t1, 10};
            configs.push_back(o);
        }
    }
    return configs;
}

std::string json_of(const ReplayOutcome& outcome) {
    REQUIRE(outcome.result);
    std::ostringstream out;
    write_json_report(*outcome.result, out);
    return out.str();
}

}  // namespace

// Under the sanitizers (a replay costs ~10x) a shorter trace: the same code
// paths and thread counts; Release replays the full length.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kGridEvents = 12000;
constexpr std::uint64_t kEqualityEvents = 8000;
#else
constexpr std::uint64_t kGridEvents = 60000;
constexpr std::uint64_t kEqualityEvents = 30000;
#endif

TEST_CASE("16 configurations give identical reports on 1, 2 and 4 threads") {
    const TempTrace trace(kGridEvents, 4);
    const LoadedTrace loaded = load_trace(trace.path);
    REQUIRE_FALSE(loaded.error);
    const std::vector<ReplayOptions> configs = threshold_grid();
    std::vector<std::string> one;
    for (const ReplayOutcome& o : replay_configurations(loaded, configs, 1))
        one.push_back(json_of(o));
    REQUIRE(one.size() == 16);
    for (unsigned threads : {2u, 4u}) {
        CAPTURE(threads);
        const std::vector<ReplayOutcome> many = replay_configurations(loaded, configs, threads);
        REQUIRE(many.size() == configs.size());
        for (std::size_t i = 0; i < configs.size(); ++i) CHECK(json_of(many[i]) == one[i]);
    }
    // The grid really varies the outcome: thresholds change the collections.
    CHECK(one.front() != one.back());
}

TEST_CASE("a buffered replay equals the streaming replay of the same file") {
    const TempTrace trace(kEqualityEvents, 9);
    const LoadedTrace loaded = load_trace(trace.path);
    for (const ReplayOptions& config : threshold_grid()) {
        CHECK(json_of(replay_loaded(loaded, config)) == json_of(replay_trace(trace.path, config)));
    }
}

TEST_CASE("a bad trace stops every configuration with the reader's diagnostic") {
    char name[] = "/tmp/heapsim-buffered-bad-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    close(fd);
    std::ofstream(name) << "heaptrace 1\nalloc a list\nappend a nosuch\nbogus line\n";
    const std::vector<ReplayOptions> configs = threshold_grid();

    const LoadedTrace strict = load_trace(name);
    REQUIRE(strict.error);
    CHECK(strict.error->line == 4);
    for (const ReplayOutcome& o : replay_configurations(strict, configs, 2)) {
        REQUIRE(o.error);
        CHECK(o.error->line == 4);
    }

    // Lenient: the reader's and the simulator's bad events are both counted.
    const LoadedTrace lenient = load_trace(name, true);
    REQUIRE_FALSE(lenient.error);
    ReplayOptions options = configs.front();
    options.lenient = true;
    const ReplayOutcome o = replay_loaded(lenient, options);
    REQUIRE(o.result);
    std::uint64_t skipped = 0;
    for (const SkippedEvents& s : o.result->skipped) skipped += s.count;
    CHECK(skipped == 2);
    std::remove(name);
}

TEST_CASE("more threads than configurations, and no configurations at all") {
    const TempTrace trace(2000, 2);
    const LoadedTrace loaded = load_trace(trace.path);
    const std::vector<ReplayOptions> grid = threshold_grid();
    const std::vector<ReplayOptions> two(grid.begin(), grid.begin() + 2);
    CHECK(replay_configurations(loaded, two, 8).size() == 2);
    CHECK(replay_configurations(loaded, {}, 8).empty());
}

namespace {

/// A replay that runs out of memory (as a worker would) under thresholds 300.
ReplayOutcome exhausting_replay(const LoadedTrace& trace, const ReplayOptions& options) {
    if (options.sim.policy.thresholds[0] == 300) throw std::bad_alloc();
    if (options.sim.policy.thresholds[0] == 2000 && options.sim.policy.thresholds[1] == 50)
        throw std::length_error("vector::reserve");
    if (options.sim.policy.thresholds[0] == 100 && options.sim.policy.thresholds[1] == 20)
        throw std::logic_error("broken invariant");
    return replay_loaded(trace, options);
}

}  // namespace

TEST_CASE(
    "an exception inside a worker's replay becomes that configuration's error, not "
    "std::terminate") {
    TempTrace file(3000, 5);
    const LoadedTrace trace = load_trace(file.path);
    REQUIRE(!trace.error);
    const std::vector<ReplayOptions> configs = threshold_grid();
    const std::vector<ReplayOutcome> outcomes =
        replay_configurations(trace, configs, 4, exhausting_replay);
    REQUIRE(outcomes.size() == configs.size());
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& t = configs[i].sim.policy.thresholds;
        CAPTURE(t[0]);
        CAPTURE(t[1]);
        const ReplayOutcome& o = outcomes[i];
        if (t[0] == 300) {
            REQUIRE(o.error);
            CHECK(o.error->kind == ErrorKind::Limit);
            CHECK(o.error->message == "out of memory");
        } else if (t[0] == 2000 && t[1] == 50) {
            REQUIRE(o.error);
            CHECK(o.error->kind == ErrorKind::Limit);
            CHECK(o.error->message == "out of memory (vector::reserve)");
        } else if (t[0] == 100 && t[1] == 20) {
            REQUIRE(o.error);
            CHECK(o.error->kind == ErrorKind::Internal);
            CHECK(o.error->message == "internal error: broken invariant");
        } else {
            // The others are untouched: the same report as a replay on its own.
            CHECK(json_of(o) == json_of(replay_loaded(trace, configs[i])));
        }
    }
}

TEST_CASE("a resource limit reached inside a worker comes back as that configuration's Limit") {
    TempTrace file(3000, 6);
    const LoadedTrace trace = load_trace(file.path);
    REQUIRE(!trace.error);
    std::vector<ReplayOptions> configs = threshold_grid();
    configs[5].sim.max_objects = 3;
    configs[9].sim.max_bytes = 100;
    const std::vector<ReplayOutcome> outcomes = replay_configurations(trace, configs, 3);
    for (std::size_t i = 0; i < configs.size(); ++i) {
        CAPTURE(i);
        if (i == 5 || i == 9) {
            REQUIRE(outcomes[i].error);
            CHECK(outcomes[i].error->kind == ErrorKind::Limit);
        } else {
            CHECK(outcomes[i].result);
        }
    }
}

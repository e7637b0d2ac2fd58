// heapsim-sweep-bench TRACE [--configs N] [--threads T]
//
// Times a threshold sweep the way `heapsim` does one: the trace is parsed
// once into an EventBuffer, then replayed under N collector configurations
// on T threads. Prints one line of key=value pairs for bench/run.sh:
// the load and replay wall times, the replay rate, and a digest of every
// JSON report, which must not depend on T (results are per configuration,
// whichever thread computed them).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <vector>

#include "engine/buffered_replay.h"
#include "report/report.h"

namespace {

using heapsim::ReplayOptions;
using heapsim::ReplayOutcome;

/// Configuration `i` of a sweep: gen0 thresholds across a decade and more,
/// gen1 thresholds around the default, so that collections differ per
/// configuration and a mixed-up result would change the digest.
ReplayOptions configuration(unsigned i) {
    static constexpr std::int64_t kT0[] = {100, 300, 700, 2000};
    static constexpr std::int64_t kT1[] = {5, 10, 20, 40};
    ReplayOptions options;
    options.sim.policy.thresholds = {kT0[i % 4], kT1[(i / 4) % 4], 10 + static_cast<std::int64_t>(i / 16)};
    return options;
}

/// FNV-1a, 64 bits: stable across runs and machines, enough to tell
/// identical report sets from different ones.
void mix(std::uint64_t& hash, const std::string& bytes) {
    for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
}

std::uint64_t digest(const std::vector<ReplayOutcome>& outcomes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const ReplayOutcome& outcome : outcomes) {
        std::ostringstream report;
        if (outcome.result)
            heapsim::write_json_report(*outcome.result, report);
        else
            report << "error: " << outcome.error->message;
        mix(hash, report.str());
    }
    return hash;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string trace;
    unsigned configs = 16, threads = 1;
    CLI::App app{"Parse a trace once, replay it under N threshold configurations on T threads"};
    app.add_option("TRACE", trace, "Trace file (any encoding heapsim reads)")->required();
    app.add_option("--configs", configs, "Configurations to replay")->check(CLI::PositiveNumber);
    app.add_option("--threads", threads, "Worker threads (0: one per core)");
    CLI11_PARSE(app, argc, argv);

    const auto load_start = std::chrono::steady_clock::now();
    const heapsim::LoadedTrace loaded = heapsim::load_trace(trace);
    const double load_s = seconds_since(load_start);
    if (loaded.error) {
        std::cerr << heapsim::format_diagnostic(trace, loaded.error->line, loaded.error->message) << '\n';
        return 2;
    }
    std::vector<ReplayOptions> options;
    for (unsigned i = 0; i < configs; ++i) options.push_back(configuration(i));

    const auto replay_start = std::chrono::steady_clock::now();
    const std::vector<ReplayOutcome> outcomes = heapsim::replay_configurations(loaded, options, threads);
    const double replay_s = seconds_since(replay_start);

    for (const ReplayOutcome& outcome : outcomes) {
        if (outcome.error) {
            std::cerr << heapsim::format_diagnostic(trace, outcome.error->line, outcome.error->message)
                      << '\n';
            return 2;
        }
    }
    const double replayed = static_cast<double>(loaded.events.size()) * configs;
    std::printf("events=%zu configs=%u threads=%u load_s=%.3f replay_s=%.3f events_per_s=%.0f "
                "buffer_bytes=%zu digest=%016llx\n",
                loaded.events.size(), configs, threads, load_s, replay_s, replayed / replay_s,
                loaded.events.memory_bytes(), static_cast<unsigned long long>(digest(outcomes)));
    return 0;
}

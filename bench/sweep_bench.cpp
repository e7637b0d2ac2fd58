// heapsim-sweep-bench TRACE [--configs N] [--threads T] [--overlapped]
//
// Times a threshold sweep: the trace is parsed once into an EventBuffer,
// then replayed under N collector configurations on T threads. Prints one
// line of key=value pairs for bench/run.sh: the load and replay wall times,
// the replay rate, and a digest of every JSON report, which must not depend
// on T (results are per configuration, whichever thread computed them).
//
// With --overlapped, the way `heapsim sweep` does it: the runs start while
// the trace loads (replay_while_loading; T counts the loading thread), and
// the line adds the overlap's counters: runs started while loading, extras
// given back at the memory bound, runs that lost step with the symbols, the
// events those replayed for nothing, and the replays' CPU time per event
// while the trace loads (several runs per worker) and after (one at a time).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <vector>

#include "engine/buffered_replay.h"
#include "engine/growing_trace.h"
#include "engine/overlapped_replay.h"
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
    options.sim.policy.thresholds = {kT0[i % 4], kT1[(i / 4) % 4],
                                     10 + static_cast<std::int64_t>(i / 16)};
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

/// Nanoseconds of CPU per event, 0 without events.
double ns_per_event(std::uint64_t ns, std::uint64_t events) {
    return events == 0 ? 0.0 : static_cast<double>(ns) / static_cast<double>(events);
}

/// The sweep as `heapsim sweep` runs it: the runs overlap the load.
int overlapped(const std::string& path, const std::vector<ReplayOptions>& options,
               unsigned threads) {
    std::vector<ReplayOutcome> outcomes(options.size());
    heapsim::OverlappedRuns runs;
    runs.count = options.size();
    runs.options = [&](std::size_t i) { return options[i]; };
    runs.done = [&](std::size_t i, ReplayOutcome outcome) { outcomes[i] = std::move(outcome); };
    heapsim::OverlappedRuns::Counters counters;
    runs.counters = &counters;
    heapsim::GrowingTrace trace(path);
    const auto start = std::chrono::steady_clock::now();
    heapsim::replay_while_loading(trace, false, threads, runs);
    const double total_s = seconds_since(start);
    if (trace.error()) {
        std::cerr << heapsim::format_diagnostic(path, trace.error()->line, trace.error()->message)
                  << '\n';
        return 2;
    }
    for (const ReplayOutcome& outcome : outcomes) {
        if (outcome.error) {
            std::cerr << heapsim::format_diagnostic(path, outcome.error->line,
                                                    outcome.error->message)
                      << '\n';
            return 2;
        }
    }
    std::printf(
        "events=%llu configs=%zu threads=%u overlapped=1 total_s=%.3f "
        "started_while_loading=%llu given_back=%llu lost_step=%llu wasted_events=%llu "
        "loading_events=%llu loading_ns_per_event=%.2f after_events=%llu "
        "after_ns_per_event=%.2f digest=%016llx\n",
        static_cast<unsigned long long>(trace.events_read()), options.size(), threads, total_s,
        static_cast<unsigned long long>(counters.started_while_loading),
        static_cast<unsigned long long>(counters.given_back),
        static_cast<unsigned long long>(counters.lost_step),
        static_cast<unsigned long long>(counters.wasted_events),
        static_cast<unsigned long long>(counters.loading_events),
        ns_per_event(counters.loading_cpu_ns, counters.loading_events),
        static_cast<unsigned long long>(counters.after_events),
        ns_per_event(counters.after_cpu_ns, counters.after_events),
        static_cast<unsigned long long>(digest(outcomes)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string trace;
    unsigned configs = 16, threads = 1;
    CLI::App app{"Parse a trace once, replay it under N threshold configurations on T threads"};
    app.add_option("TRACE", trace, "Trace file (any encoding heapsim reads)")->required();
    app.add_option("--configs", configs, "Configurations to replay")->check(CLI::PositiveNumber);
    app.add_option("--threads", threads, "Worker threads (0: one per core)");
    bool overlap = false;
    app.add_flag("--overlapped", overlap,
                 "Start the runs while the trace loads, as `heapsim sweep` does, and count");
    CLI11_PARSE(app, argc, argv);

    std::vector<ReplayOptions> options;
    for (unsigned i = 0; i < configs; ++i) options.push_back(configuration(i));
    if (overlap) return overlapped(trace, options, threads);

    const auto load_start = std::chrono::steady_clock::now();
    const heapsim::LoadedTrace loaded = heapsim::load_trace(trace);
    const double load_s = seconds_since(load_start);
    if (loaded.error) {
        std::cerr << heapsim::format_diagnostic(trace, loaded.error->line, loaded.error->message)
                  << '\n';
        return 2;
    }
    const auto replay_start = std::chrono::steady_clock::now();
    const std::vector<ReplayOutcome> outcomes =
        heapsim::replay_configurations(loaded, options, threads);
    const double replay_s = seconds_since(replay_start);

    for (const ReplayOutcome& outcome : outcomes) {
        if (outcome.error) {
            std::cerr << heapsim::format_diagnostic(trace, outcome.error->line,
                                                    outcome.error->message)
                      << '\n';
            return 2;
        }
    }
    const double replayed = static_cast<double>(loaded.events.size()) * configs;
    std::printf(
        "events=%zu configs=%u threads=%u load_s=%.3f replay_s=%.3f events_per_s=%.0f "
        "buffer_bytes=%zu digest=%016llx\n",
        loaded.events.size(), configs, threads, load_s, replay_s, replayed / replay_s,
        loaded.events.memory_bytes(), static_cast<unsigned long long>(digest(outcomes)));
    return 0;
}

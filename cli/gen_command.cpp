// `heapsim gen --profile P --events N --seed S [-o FILE]`: a synthetic
// workload trace, deterministic per seed, valid by construction.

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/atomic_file.h"
#include "cli/command.h"
#include "cli/exit_status.h"
#include "trace_formats/random_trace.h"

namespace heapsim::cli {

namespace {

struct GenArgs {
    std::string profile = "mixed";
    std::uint64_t events = 10000;
    std::uint64_t seed = 1;
    std::string output;  // "" or "-" = standard output
    bool legacy = false;
};

int gen(const GenArgs& args, CommandIo& io) {
    // Only the mixed profile exists so far; web, cache and cycles come with
    // the benchmark workloads.
    if (args.profile != "mixed") {
        io.err << "heapsim gen: unknown profile '" << args.profile << "' (profiles: mixed)\n";
        return kExitUsage;
    }
    RandomTraceOptions options;
    options.events = args.events;
    options.seed = args.seed;
    options.legacy_finalizers = args.legacy;
    if (args.output.empty() || args.output == "-") {
        write_random_trace(options, io.out);
        return kExitOk;
    }
    if (auto error = write_file_atomically(args.output, [&](std::ostream& out) {
            write_random_trace(options, out);
        })) {
        io.err << "heapsim gen: " << *error << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace

Command setup_gen_command(CLI::App& app) {
    auto args = std::make_shared<GenArgs>();
    CLI::App* cmd = app.add_subcommand("gen", "Write a synthetic workload trace, deterministic per seed");
    cmd->add_option("--profile", args->profile,
                    "Workload: mixed (temporaries, caches, cycles, weakrefs, finalizers, gc controls)");
    cmd->add_option("--events", args->events, "Approximate number of events")->check(CLI::PositiveNumber);
    cmd->add_option("--seed", args->seed, "Seed: the same seed gives the same trace");
    cmd->add_option("-o,--output", args->output, "Write the trace here (default: standard output)");
    cmd->add_flag("--legacy-finalizers", args->legacy, "Also use a type with a legacy finalizer (tp_del)");
    return Command{cmd, [args](CommandIo& io) { return gen(*args, io); }};
}

}  // namespace heapsim::cli

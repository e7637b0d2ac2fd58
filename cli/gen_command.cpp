// `heapsim gen --profile P --events N --seed S [--live N] [-o FILE]`: a
// synthetic workload trace, deterministic per seed, valid by construction.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "cli/options.h"
#include "platform/atomic_file.h"
#include "workloads/workload.h"

namespace heapsim::cli {

namespace {

struct GenArgs {
    std::string profile = "mixed";
    std::uint64_t events = 10000;
    std::uint64_t seed = 1;
    std::uint64_t live = 0;
    bool live_given = false;
    bool legacy = false;
    bool walkable = false;
    std::string output;  // "" or "-" = standard output
    // As typed, checked by parse_count (CLI11 would take -1 as 2^64-1 and
    // print 0's range as 300 digits).
    std::string events_text = "10000", seed_text = "1", live_text;
};

void write_trace(const GenArgs& args, std::ostream& out) {
    WorkloadOptions options;
    options.events = args.events;
    options.seed = args.seed;
    options.live = args.live;
    options.legacy_finalizers = args.legacy;
    options.unreachable_shapes = !args.walkable;
    // --profile is checked against the names CLI11 lists below.
    write_workload_trace(*workload_profile_by_name(args.profile), options, out);
}

int usage(CommandIo& io, const std::string& message) {
    io.err << "heapsim gen: " << message << "\nRun 'heapsim gen --help' for usage.\n";
    return kExitUsage;
}

int gen(GenArgs& args, CommandIo& io) {
    const Checked<std::uint64_t> events = parse_count(args.events_text, "--events", 1);
    if (!events) return usage(io, events.error());
    const Checked<std::uint64_t> seed = parse_count(args.seed_text, "--seed", 0);
    if (!seed) return usage(io, seed.error());
    args.events = *events;
    args.seed = *seed;
    if (args.live_given) {
        if (args.profile != "cache")
            return usage(
                io, "--live applies to --profile cache only (the size of its caches), not to " +
                        args.profile);
        const Checked<std::uint64_t> live = parse_count(args.live_text, "--live", 1);
        if (!live) return usage(io, live.error());
        args.live = *live;
    }
    if (args.walkable && args.profile != "mixed")
        return usage(io, "--walkable applies to --profile mixed only, not to " + args.profile);
    if (args.legacy && args.profile != "mixed")
        return usage(io,
                     "--legacy-finalizers applies to --profile mixed only, not to " + args.profile);
    if (args.output.empty() || args.output == "-") {
        write_trace(args, io.out);
        io.out.flush();
        return kExitOk;
    }
    // A device or pipe (-o /dev/null, a fifo) is written in place: renaming a
    // temporary file over it would replace the device with a regular file.
    std::error_code ec;
    const auto status = std::filesystem::status(args.output, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        std::ofstream out(args.output, std::ios::binary);
        if (out) write_trace(args, out);
        if (!out) {
            io.err << "heapsim gen: cannot write " << args.output << '\n';
            return kExitUsage;
        }
        return kExitOk;
    }
    if (auto error = write_file_atomically(args.output,
                                           [&](std::ostream& out) { write_trace(args, out); })) {
        io.err << "heapsim gen: " << *error << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

constexpr const char* kProfileHelp =
    "Workload:\n"
    "  mixed   temporaries, caches, cycles, weakrefs, finalizers, gc controls, at random\n"
    "  web     request handlers: short-lived temporaries freed by refcount, a few\n"
    "          request<->handler and exception-traceback cycles, bounded live set\n"
    "  cache   LRU caches that grow to --live objects and evict, weakref index with\n"
    "          callbacks, memo dict\n"
    "  cycles  linked lists, trees with parent pointers, graphs, __del__ finalizers,\n"
    "          weakref callbacks, gc.collect and threshold changes";

}  // namespace

Command setup_gen_command(CLI::App& app) {
    auto args = std::make_shared<GenArgs>();
    CLI::App* cmd =
        app.add_subcommand("gen", "Write a synthetic workload trace, deterministic per seed");
    cmd->add_option("--profile", args->profile, kProfileHelp)
        ->check(CLI::IsMember({"mixed", "web", "cache", "cycles"}))
        ->capture_default_str();
    cmd->add_option("--events", args->events_text, "Approximate number of events, at least 1")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed_text,
                    "Seed, 0 to 2^64-1: the same seed gives the same trace")
        ->type_name("S")
        ->capture_default_str();
    CLI::Option* live =
        cmd->add_option("--live", args->live_text,
                        "cache only: objects the caches hold once warm (default min(events/8, "
                        "100000)); filling takes about 1.7 events per object")
            ->type_name("N");
    cmd->add_option("-o,--output", args->output,
                    "Write the trace here (default: - for standard output)")
        ->type_name("FILE");
    cmd->add_flag("--legacy-finalizers", args->legacy,
                  "mixed only: also use a type with a legacy finalizer (tp_del) (default: off)");
    cmd->add_flag("--walkable", args->walkable,
                  "mixed only: name only objects a walk from a name reaches, no set-only or "
                  "unreachable ones (what verify --naming walk can run)");
    return Command{cmd, [args, live](CommandIo& io) {
                       args->live_given = live->count() > 0;
                       return gen(*args, io);
                   }};
}

}  // namespace heapsim::cli

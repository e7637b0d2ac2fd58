// `heapsim merge PART...`: the shard parts of a sweep into the document the
// unsharded sweep writes, byte for byte (docs/ci.md).

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "cli/sweep_options.h"
#include "platform/atomic_file.h"
#include "sweep/merge.h"
#include "sweep/sweep_document.h"

namespace heapsim::cli {

namespace {

struct MergeArgs {
    std::vector<std::string> parts;
    std::string json = "-";
};

int merge(const MergeArgs& args, CommandIo& io) {
    if (args.json.empty())
        return command_usage_error(io, "merge",
                                   "--json needs a file name (or - for standard output)");
    std::vector<sweep::MergePart> parts;
    for (const std::string& path : args.parts) {
        std::ifstream in(path, std::ios::binary);
        if (!in.is_open()) {
            io.err << "heapsim merge: cannot open '" << path << "': " << std::strerror(errno)
                   << '\n';
            return kExitUsage;
        }
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) {
            io.err << "heapsim merge: cannot read '" << path << "': " << std::strerror(errno)
                   << '\n';
            return kExitUsage;
        }
        parts.push_back({path, std::move(text)});
    }
    Checked<nlohmann::ordered_json> merged = sweep::merge_parts(parts);
    if (!merged) {
        io.err << "heapsim merge: " << merged.error() << '\n';
        return kExitUsage;
    }
    if (args.json == "-") {
        sweep::write_sweep_json(*merged, io.out);
        return kExitOk;
    }
    if (auto error = write_file_atomically(
            args.json, [&](std::ostream& out) { sweep::write_sweep_json(*merged, out); })) {
        io.err << "heapsim: " << *error << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace

Command setup_merge_command(CLI::App& app) {
    auto args = std::make_shared<MergeArgs>();
    CLI::App* sub = app.add_subcommand(
        "merge", "Combine the shard parts of a sweep into the single-run document");
    sub->footer(
        "Every part of the sweep must be given once: parts of another sweep, a missing or a "
        "duplicated shard "
        "are refused.\nExit status: 0 success; 2 parts that do not make one sweep, or usage (one "
        "line on "
        "stderr; nothing written).\n");
    sub->add_option("PART", args->parts,
                    "heapsim-sweep/1 parts written by sweep --shard K/N --json FILE")
        ->type_name("")
        ->required();
    sub->add_option("--json", args->json,
                    "Write the merged document to FILE (default -: standard output)")
        ->type_name("FILE|-")
        ->capture_default_str();
    return Command{sub, [args](CommandIo& io) { return merge(*args, io); }};
}

}  // namespace heapsim::cli

// `heapsim import RECORDING -o TRACE`: converts a heapsim_record recording
// (docs/recording.md) into a trace (docs/trace-format.md) whose replay runs
// the recorded collections and checks each one against the recording.
// Streams the recording; the trace appears only when the whole recording
// converted (written to a temporary file, then renamed).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "platform/atomic_file.h"
#include "recording/recording_reader.h"
#include "recording/snapshot_import.h"
#include "sim/policy.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/interpreter_record.h"
#include "trace_formats/trace_writer.h"

namespace heapsim::cli {

namespace {

struct ImportArgs {
    std::string input;
    std::string output;
    bool quiet = false;
    std::string mode = "snapshot";
};

/// What `run` needs besides the trace: nothing when the trace names its
/// interpreter, else the --policy of the recorded version (when there is one).
std::string replay_policy(const ImportStats& s, bool names_policy) {
    if (names_policy) return "";
    const std::optional<TraceInterpreter> interpreter = interpreter_from_recording(s.interpreter);
    const std::optional<Policy> policy =
        interpreter ? policy_for_python(interpreter->version) : std::nullopt;
    return std::string(" --policy ") + (policy ? policy->name() : "NAME");
}

int run_import(const ImportArgs& args, CommandIo& io) {
    const std::optional<OutputEncoding> encoding = encoding_from_name(args.output);
    if (!encoding) {
        io.err << "heapsim import: cannot tell the format of '" << args.output
               << "' from its name (.trace, .txt, .jsonl, .htb, each optionally .gz or .zst)\n";
        return kExitUsage;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    ByteSource source = ByteSource::open(args.input);
    RecordingReader reader(source);
    AtomicFile file(args.output);
    if (!file.error().empty()) {
        io.err << "heapsim import: " << file.error() << '\n';
        return kExitUsage;
    }
    SymbolTable symbols;
    const std::unique_ptr<TraceWriter> writer =
        make_trace_writer(*encoding, file.stream(), symbols);
    bool named = false;         // the recording's header is read before the first event
    bool names_policy = false;  // the output names the interpreter, so `run` needs no --policy
    const ImportMode mode = args.mode == "events" ? ImportMode::Events : ImportMode::Snapshot;
    SnapshotImporter importer(
        symbols,
        [&](const Event& e) {
            if (!named) {
                named = true;
                if (auto interpreter = interpreter_from_recording(importer.stats().interpreter)) {
                    names_policy = writer->set_interpreter(*interpreter);
                    if (!names_policy)
                        io.err << "heapsim import: warning: " << args.output
                               << " cannot name its interpreter (only text traces can); replay it"
                                  " with --policy\n";
                }
            }
            writer->write(e);
        },
        mode);
    // .htb: object ids go to the writer as numbers, never into `symbols`.
    if (writer->accept_numbered_ids()) importer.use_numbered_ids();
    std::string error;
    if (!importer.run(reader, error)) {
        io.err << args.input << ": " << error << '\n';
        return kExitUsage;
    }
    if (!writer->finish() || !file.commit()) {
        io.err << "heapsim import: "
               << (file.error().empty() ? "cannot write '" + args.output + "'" : file.error())
               << '\n';
        return kExitUsage;
    }
    const ImportStats& s = importer.stats();
    if (s.callbacks_by_name > 0)
        io.err << "heapsim import: warning: " << args.input
               << " is a version 1 recording (no WEAKREF records): in " << s.callbacks_by_name
               << " collection(s) the weakrefs freed by their callbacks were chosen by type name;"
                  " record again with this heapsim_record for an exact import\n";
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    if (!args.quiet) {
        char rate[96];
        std::snprintf(rate, sizeof rate, "%.2f s, %.1f M records per CPU second", secs,
                      cpu > 0 ? static_cast<double>(s.records) / cpu / 1e6 : 0.0);
        io.out << args.input << ": " << s.interpreter << ": " << s.records << " records, "
               << s.collections << " collections (" << s.snapshot_objects
               << " snapshot objects) -> " << s.events << " events, " << s.objects << " objects in "
               << args.output << " (" << rate << ")\n"
               << "replay with: heapsim run " << args.output << replay_policy(s, names_policy)
               << '\n';
    }
    return kExitOk;
}

}  // namespace

Command setup_import_command(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "import",
        "Convert a heapsim_record recording of a Python program into a trace (docs/recording.md)");
    cmd->add_option("RECORDING", args->input,
                    "Recording written by heapsim_record ('-' = standard input)")
        ->required();
    cmd->add_option(
           "-o,--output", args->output,
           "Trace to write: the encoding follows the name (.trace/.txt, .jsonl, .htb, then "
           "optionally .gz or .zst)")
        ->required();
    cmd->add_flag("-q,--quiet", args->quiet, "No summary line");
    cmd->add_option("--mode", args->mode,
                    "snapshot: the trace runs the recorded collections; events: the model "
                    "decides when to collect (replay under other thresholds with --threshold "
                    "T0,T1,T2 --ignore-trace-thresholds --ignore-expect --lenient)")
        ->check(CLI::IsMember({"snapshot", "events"}))
        ->capture_default_str();
    cmd->footer(
        "Snapshot mode: the trace disables the collector and runs each recorded collection where "
        "it "
        "ran, after setting the references the recorder saw, then checks it with 'expect "
        "collected'; "
        "'heapsim run' exits 1 at the first collection that departs from the recording.");
    return Command{cmd, [args](CommandIo& io) { return run_import(*args, io); }};
}

}  // namespace heapsim::cli

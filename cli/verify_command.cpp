// `heapsim verify TRACE [--python PATH]`: run the trace's operations on the
// real interpreter and compare it with heapsim's model collection by
// collection. Exit 0 only on exact agreement. The work is verify/'s; this
// file reads the options and maps the outcome to an exit status.

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "engine/buffered_replay.h"
#include "verify/comparison.h"
#include "verify/interpreter_run.h"
#include "verify/model_run.h"

namespace heapsim::cli {

namespace {

struct VerifyArgs {
    std::string trace;
    std::string python = "python3";
    std::string program;  // also write the generated program here
    bool brief = false;
    bool plain = false;  // only write the uninstrumented program (benchmarks)
};

int model_error(const VerifyArgs& args, const Diagnostic& d, CommandIo& io) {
    io.err << format_diagnostic(args.trace, d.line, d.message) << '\n';
    return kExitUsage;
}

/// Nothing to compare: the program is for timing the interpreter.
int write_plain_program(const VerifyArgs& args, const ModelRun& model, CommandIo& io) {
    std::ofstream out(args.program);
    if (!(out << model.program)) {
        io.err << "heapsim verify: cannot write " << args.program << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

int verify(const VerifyArgs& args, CommandIo& io) {
    LoadedTrace loaded = load_trace(args.trace);
    if (loaded.error) {
        io.err << format_diagnostic(args.trace, loaded.error->line, loaded.error->message) << '\n';
        return exit_status_for(*loaded.error);
    }
    ModelRun model = model_run(loaded, 0, !args.plain);
    if (model.error) return model_error(args, *model.error, io);
    if (args.plain) return write_plain_program(args, model, io);
    std::string error;
    auto log = interpret(args.python, model.program, error);
    if (!log) {
        io.err << "heapsim verify: " << error << '\n';
        return kExitUsage;
    }
    // The interpreter's own long-lived objects count in the 25% rule: model
    // them, and run again if that changed the program.
    ModelRun second = model_run(loaded, log->interpreter_objects);
    if (second.error) return model_error(args, *second.error, io);
    if (second.program != model.program) {
        log = interpret(args.python, second.program, error);
        if (!log) {
            io.err << "heapsim verify: " << error << '\n';
            return kExitUsage;
        }
    }
    model = std::move(second);
    if (!args.program.empty()) std::ofstream(args.program) << model.program;

    io.out << "heapsim verify " << args.trace << ": model cpython-3.11 against Python " << log->version
           << " (" << args.python << ")\n";
    const ModelSide side{*model.result, model.labels, loaded.events, loaded.symbols};
    const bool ok = compare_with_interpreter(side, *log, args.brief, io.out);
    io.out << (ok ? "verify: exact agreement\n" : "verify: heapsim and the interpreter differ\n");
    return ok ? kExitOk : kExitCheckFailed;
}

}  // namespace

Command setup_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand(
        "verify", "Run the trace's operations on a real Python interpreter and compare it with heapsim's "
                  "model, collection by collection");
    cmd->add_option("TRACE", args->trace, "Trace file (- for standard input)")->required();
    cmd->add_option("--python", args->python, "Interpreter to run (default python3)");
    cmd->add_option("--program", args->program, "Also write the generated Python program to this file");
    cmd->add_flag("--brief", args->brief, "List only the collections that differ");
    cmd->add_flag("--plain", args->plain,
                  "Only write the --program, without instrumentation, timing its own main() (for "
                  "benchmarks); the interpreter is not run")
        ->needs(cmd->get_option("--program"));
    return Command{cmd, [args](CommandIo& io) { return verify(*args, io); }};
}

}  // namespace heapsim::cli

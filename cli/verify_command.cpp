// `heapsim verify TRACE [--python PATH] [--policy NAME]`: run the trace's operations on the
// real interpreter and compare it with heapsim's model collection by
// collection. Exit 0 only on exact agreement. The work is verify/'s; this
// file reads the options and maps the outcome to an exit status.

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "cli/options.h"
#include "engine/buffered_replay.h"
#include "platform/atomic_file.h"
#include "verify/comparison.h"
#include "verify/interpreter_run.h"
#include "verify/model_run.h"
#include "verify/observation.h"

namespace heapsim::cli {

namespace {

struct VerifyArgs {
    std::string trace;
    std::string python = "python3";
    std::string policy;   // "" = the interpreter's own (policy_for_python)
    std::string program;  // also write the generated program here
    bool brief = false;
    bool plain = false;  // only write the uninstrumented program (benchmarks)
    std::string naming = "handle";  // or "walk" (the invisibility check, docs/verify.md)
    std::string observed;           // write the interpreter's observation here
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

std::string policy_list() {
    return policy_names_text();
}

/// The policy verify models: --policy, else the interpreter's own; nullopt
/// (reported in one line) when there is none.
std::optional<Policy> verify_policy(const VerifyArgs& args, CommandIo& io) {
    if (!args.policy.empty() || args.plain) {
        auto p = policy_by_name(args.policy.empty() ? "cpython-3.11" : args.policy);
        if (!p) io.err << "heapsim verify: " << *check_policy_name(args.policy) << '\n';
        return p;
    }
    std::string error;
    const auto version = python_version(args.python, error);
    if (!version) {
        io.err << "heapsim verify: " << error << '\n';
        return std::nullopt;
    }
    auto p = policy_for_python(*version);
    if (!p)
        io.err << "heapsim verify: Python " << *version << " (" << args.python
               << ") has no heapsim policy (policies: " << policy_list()
               << "); name one with --policy to compare anyway\n";
    return p;
}

int verify(const VerifyArgs& args, CommandIo& io) {
    LoadedTrace loaded = load_trace(args.trace);
    if (loaded.error) {
        io.err << format_diagnostic(args.trace, loaded.error->line, loaded.error->message) << '\n';
        return exit_status_for(*loaded.error);
    }
    const std::optional<Policy> policy = verify_policy(args, io);
    if (!policy) return kExitUsage;
    const auto naming =
        args.naming == "walk" ? PythonProgram::Naming::Walk : PythonProgram::Naming::Handle;
    ModelRun model = model_run(*policy, loaded, 0, !args.plain, naming);
    if (model.error) return model_error(args, *model.error, io);
    if (args.plain) return write_plain_program(args, model, io);
    std::string error;
    bool diverged = false;
    auto log = interpret(args.python, model.program, error, &diverged);
    if (!log) {
        io.err << "heapsim verify: " << error << '\n';
        return diverged ? kExitCheckFailed : kExitUsage;
    }
    // The interpreter's own long-lived objects count in the 25% rule: model
    // them, and run again if that changed the program.
    ModelRun second = model_run(*policy, loaded, log->interpreter_objects, true, naming);
    if (second.error) return model_error(args, *second.error, io);
    if (second.program != model.program) {
        log = interpret(args.python, second.program, error, &diverged);
        if (!log) {
            io.err << "heapsim verify: " << error << '\n';
            return diverged ? kExitCheckFailed : kExitUsage;
        }
    }
    model = std::move(second);
    if (!args.program.empty()) std::ofstream(args.program) << model.program;

    io.out << "heapsim verify " << args.trace << ": model " << policy->name() << " against Python "
           << log->version << " (" << args.python << ")\n";
    const ModelSide side{*model.result, model.labels, loaded.events, loaded.symbols};
    const bool ok = compare_with_interpreter(side, *log, args.brief, io.out);
    if (!args.observed.empty()) {
        const std::string text = format_observation(observation_of(side, *log, args.trace));
        if (auto failed =
                write_file_atomically(args.observed, [&](std::ostream& o) { o << text; })) {
            io.err << "heapsim verify: " << *failed << '\n';
            return kExitUsage;
        }
    }
    io.out << (ok ? "verify: exact agreement\n" : "verify: heapsim and the interpreter differ\n");
    return ok ? kExitOk : kExitCheckFailed;
}

}  // namespace

Command setup_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand(
        "verify",
        "Run the trace's operations on a real Python interpreter and compare it with heapsim's "
        "model, collection by collection");
    cmd->add_option("TRACE", args->trace, "Trace file (- for standard input)")->required();
    cmd->add_option("--python", args->python, "Interpreter to run (default python3)");
    cmd->add_option(
        "--policy", args->policy,
        "Model to compare with (default: the interpreter's version's own: " + policy_list() + ")");
    cmd->add_option("--program", args->program,
                    "Also write the generated Python program to this file");
    cmd->add_flag("--brief", args->brief, "List only the collections that differ");
    cmd->add_flag("--plain", args->plain,
                  "Only write the --program, without instrumentation, timing its own main() (for "
                  "benchmarks); the interpreter is not run")
        ->needs(cmd->get_option("--program"));
    cmd->add_option("--naming", args->naming,
                    "How the program names objects no name holds: handle (default: any live "
                    "object) or walk (through lists, dicts and attributes from a name; for the "
                    "check that handles are invisible, docs/verify.md)")
        ->check(CLI::IsMember({"handle", "walk"}));
    cmd->add_option("--observed", args->observed,
                    "Also write what the interpreter did, in trace terms, to this file (the "
                    "expected values of tests/policies/, docs/policies.md)");
    return Command{cmd, [args](CommandIo& io) { return verify(*args, io); }};
}

}  // namespace heapsim::cli

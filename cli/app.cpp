// The `heapsim` command line: one CLI11 app, one subcommand per command file.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <new>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "cli/stdout_stream.h"

namespace heapsim::cli {

namespace {

#define HEAPSIM_COMMAND_SETUP(name) setup_##name##_command,
constexpr CommandSetup kCommands[] = {HEAPSIM_COMMANDS(HEAPSIM_COMMAND_SETUP)};
#undef HEAPSIM_COMMAND_SETUP

}  // namespace

int run_app(std::vector<std::string> args, CommandIo& io) {
    CLI::App app{"heapsim: replay heap traces through a model of CPython's memory management", "heapsim"};
    app.set_version_flag("--version", std::string("heapsim ") + HEAPSIM_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);
    app.footer("Run 'heapsim COMMAND --help' for a command's options. Exit status: 0 success, 1 a check "
               "failed, 2 invalid input or usage, 3 a resource limit was reached.\n");

    std::vector<Command> commands;
    std::string names;
    for (CommandSetup setup : kCommands) {
        commands.push_back(setup(app));
        names += (names.empty() ? "" : ", ") + commands.back().app->get_name();
    }

    // The command named first, for a precise message and help hint.
    std::string usage_hint = "heapsim --help";
    if (!args.empty() && !args.front().empty() && args.front()[0] != '-') {
        const auto known = std::find_if(commands.begin(), commands.end(),
                                        [&](const Command& c) { return c.app->get_name() == args.front(); });
        if (known == commands.end()) {
            io.err << "heapsim: unknown command '" << args.front() << "' (commands: " << names
                   << ")\nRun 'heapsim --help' for usage.\n";
            return kExitUsage;
        }
        usage_hint = "heapsim " + args.front() + " --help";
    }

    try {
        std::reverse(args.begin(), args.end());  // CLI11 consumes from the back
        app.parse(args);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e, io.out, io.err);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e, io.out, io.err);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e, io.out, io.err);
    } catch (const CLI::ExtrasError&) {
        // CLI11's own message lists the extras in the order it consumed
        // them, reversed here (run_app reverses args); remaining() keeps
        // them as typed.
        std::vector<std::string> extras;
        for (const Command& c : commands)
            if (c.app->parsed()) extras = c.app->remaining();
        if (extras.empty()) extras = app.remaining();
        std::string list;
        for (const std::string& a : extras) list += (list.empty() ? "" : " ") + a;
        io.err << "heapsim: unexpected argument" << (extras.size() == 1 ? " '" : "s '") << list
               << "'"
               << (!extras.empty() && extras.front().starts_with("-") ? " (no such option here)"
                                                                      : "")
               << "\nRun '" << usage_hint << "' for usage.\n";
        return kExitUsage;
    } catch (const CLI::ParseError& e) {
        io.err << "heapsim: " << e.what() << "\nRun '" << usage_hint << "' for usage.\n";
        return kExitUsage;
    }

    try {
        for (Command& command : commands) {
            if (command.app->parsed()) return command.action(io);
        }
        return kExitUsage;  // unreachable: require_subcommand(1)
    } catch (const std::bad_alloc&) {
        io.err << "heapsim: out of memory\n";
        return kExitLimit;
    } catch (const std::exception& e) {
        io.err << "heapsim: internal error: " << e.what() << '\n';
        return kExitInternal;
    }
}

int run_main(int argc, const char* const* argv) {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    FdStreamBuf stdout_buf(1);
    std::ostream out(&stdout_buf);
    CommandIo io{out, std::cerr};
    const int status = run_app(std::move(args), io);
    out.flush();
    if (!out) {
        std::cerr << "heapsim: error writing to standard output\n";
        return status == kExitOk ? kExitUsage : status;
    }
    return status;
}

}  // namespace heapsim::cli

#pragma once
// How commands plug into the `heapsim` executable. Each command lives in one
// file (`run_command.cpp`, `verify_command.cpp`, ...) that defines one
// setup function: it adds its subcommand and options to the CLI11 app and
// returns the action to run if that subcommand is the one chosen. Adding a
// command is that file plus one line in HEAPSIM_COMMANDS below.

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace heapsim::cli {

/// Where a command writes: standard output and error, or strings in tests.
struct CommandIo {
    std::ostream& out;
    std::ostream& err;
};

/// Runs a parsed command and returns its exit status (exit_status.h).
using CommandAction = std::function<int(CommandIo&)>;

/// A subcommand and what to do when it is chosen.
struct Command {
    CLI::App* app = nullptr;
    CommandAction action;
};

/// Adds one subcommand to `app`; the action reads the options it declared.
using CommandSetup = Command (*)(CLI::App& app);

/// The commands, in the order `heapsim --help` lists them. A command NAME is
/// a file cli/NAME_command.cpp defining `Command setup_NAME_command(CLI::App&)`
/// and its line here; that line declares it and registers it (app.cpp).
#define HEAPSIM_COMMANDS(X) \
    X(run)                  \
    X(verify)               \
    X(gen)                  \
    X(convert)              \
    X(import)               \
    X(calibrate)            \
    X(compare)              \
    X(sweep)                \
    X(merge)

#define HEAPSIM_DECLARE_COMMAND(name) Command setup_##name##_command(CLI::App& app);
HEAPSIM_COMMANDS(HEAPSIM_DECLARE_COMMAND)
#undef HEAPSIM_DECLARE_COMMAND

/// The whole command line without the program name, e.g. {"run", "x.trace"}.
/// Never throws; every failure becomes a message on `io.err` and a status.
int run_app(std::vector<std::string> args, CommandIo& io);

/// Entry point for main(): run_app on argv with std::cout and std::cerr.
int run_main(int argc, const char* const* argv);

}  // namespace heapsim::cli

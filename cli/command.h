#pragma once
// How commands plug into the `heapsim` executable. Each command lives in one
// file (`run_command.cpp`, later `verify_command.cpp`, ...) that defines one
// setup function: it adds its subcommand and options to the CLI11 app and
// returns the action to run if that subcommand is the one chosen. Adding a
// command is that file plus one line in kCommands (app.cpp).

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

Command setup_run_command(CLI::App& app);
Command setup_verify_command(CLI::App& app);
Command setup_gen_command(CLI::App& app);
Command setup_convert_command(CLI::App& app);

/// The whole command line without the program name, e.g. {"run", "x.trace"}.
/// Never throws; every failure becomes a message on `io.err` and a status.
int run_app(std::vector<std::string> args, CommandIo& io);

/// Entry point for main(): run_app on argv with std::cout and std::cerr.
int run_main(int argc, const char* const* argv);

}  // namespace heapsim::cli

#pragma once
// The options `compare` and `sweep` share, and the budget options `run`
// shares with them: budgets (--max-p99-pause, ...), --junit and --md, the
// output formats, and the writing of every output (staged, then renamed
// into place, so a failure leaves none behind).

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "sweep/budget.h"
#include "sweep/sweep_report.h"
#include "sweep/sweep_runner.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace heapsim::cli {

/// Budgets and their reports, as given.
struct BudgetArgs {
    std::string max_p99_pause, max_gc_time_share, max_peak_bytes, max_leaked_bytes;
    bool fail_on_leak = false;
    std::string junit;  // "" = none
    std::string md;     // "" = none
};

/// Adds the budget options, --junit and --md to `sub`.
void add_budget_options(CLI::App& sub, BudgetArgs& args);

/// The budgets given, or the message of the first bad value.
Checked<sweep::Budgets> parse_budgets(const BudgetArgs& args);

/// Where a sweep's or a comparison's documents go.
struct TableArgs {
    std::string json;  // "" = none, "-" = standard output
    std::string format = "text";
    std::string output;  // -o FILE
    bool json_given = false, format_given = false, output_given = false;
};

/// Adds --json, --format and -o to `sub`; call `mark_given` from the action.
struct TableOptions {
    CLI::Option* json = nullptr;
    CLI::Option* format = nullptr;
    CLI::Option* output = nullptr;
    void mark_given(TableArgs& args) const;
};
TableOptions add_table_options(CLI::App& sub, TableArgs& args, const std::string& what);

/// "text", "markdown" (or "md"), "csv", "json".
Checked<std::string> parse_table_format(const std::string& name);

/// A usage error of `command`: the message and the help hint, exit 2.
int command_usage_error(CommandIo& io, const std::string& command, const std::string& message);

/// `run`'s budgets over its one result: a report of that one run, for
/// --junit, --md and the broken-budget lines.
sweep::SweepReport single_run_report(const RunResult& result, const Policy& policy,
                                     const sweep::Budgets& budgets);

/// The Markdown `run --md` writes: the run's Markdown report, then its
/// broken budgets.
void write_run_summary_markdown(const RunResult& result, const sweep::SweepReport& report,
                                std::ostream& out);

/// Checks the outputs before any work: a message when two name the same
/// file, a FILE is empty, or two documents want standard output.
std::optional<std::string> check_table_outputs(const TableArgs& table, const BudgetArgs& budgets);

/// Writes every output of `report` (files first, all or none, then standard
/// output), then the broken budgets on standard error. Returns the exit
/// status: 0, 1 when a budget broke, 2 when a file could not be written.
int write_sweep_outputs(const sweep::SweepReport& report, bool compare, const std::string& command,
                        const TableArgs& table, const BudgetArgs& budgets, CommandIo& io);

/// Runs `plan` (progress on a terminal), reports a run that failed (its
/// diagnostic, exit 2 or 3), else writes the outputs (write_sweep_outputs).
int execute_sweep(const sweep::SweepPlan& plan, const std::optional<sweep::PartInfo>& part,
                  bool compare, const std::string& command, const TableArgs& table,
                  const BudgetArgs& budgets, CommandIo& io);

}  // namespace heapsim::cli

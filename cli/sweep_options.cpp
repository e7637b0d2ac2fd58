#include "cli/sweep_options.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/exit_status.h"
#include "cli/option_check.h"
#include "cli/output_paths.h"
#include "platform/atomic_file.h"
#include "report/report.h"
#include "sweep/junit.h"

namespace heapsim::cli {

// The values are checked by parse_budgets in the command's action, not by
// CLI11 validators, so that a bad one is the command's one-line error.
void add_budget_options(CLI::App& sub, BudgetArgs& args) {
    const char* group = "Budgets (exit status 1 when one breaks)";
    sub.add_option("--max-p99-pause", args.max_p99_pause,
                   "Longest p99 modelled pause, e.g. 500us, 2ms (units ns, us, ms, s)")
        ->type_name("DURATION")
        ->group(group);
    sub.add_option(
           "--max-gc-time-share", args.max_gc_time_share,
           "Largest share of the trace's duration spent in modelled pauses, e.g. 0.02 or 2%")
        ->type_name("FRACTION")
        ->group(group);
    sub.add_option("--max-peak-bytes", args.max_peak_bytes,
                   "Largest peak of live bytes, e.g. 512M (K, M, G: powers of 1024)")
        ->type_name("BYTES")
        ->group(group);
    sub.add_option("--max-leaked-bytes", args.max_leaked_bytes,
                   "Most bytes of garbage left at the end (cycles, uncollectable, never stored)")
        ->type_name("BYTES")
        ->group(group);
    sub.add_flag("--fail-on-leak", args.fail_on_leak, "Fail when any garbage is left at the end")
        ->group(group);
    sub.add_option("--junit", args.junit,
                   "Write a JUnit XML file: one test case per run and budget")
        ->type_name("FILE")
        ->group(group);
    sub.add_option("--md", args.md,
                   "Write a Markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY)")
        ->type_name("FILE")
        ->group(group);
}

Checked<sweep::Budgets> parse_budgets(const BudgetArgs& args) {
    sweep::Budgets budgets;
    const auto fail = [](const std::string& flag, const std::string& message) {
        return Checked<sweep::Budgets>::failure(flag + ": " + message);
    };
    if (!args.max_p99_pause.empty()) {
        auto v = sweep::parse_duration(args.max_p99_pause);
        if (!v) return fail("--max-p99-pause", v.error());
        budgets.add({sweep::BudgetKind::MaxP99Pause, *v, 0});
    }
    if (!args.max_gc_time_share.empty()) {
        auto v = sweep::parse_fraction(args.max_gc_time_share);
        if (!v) return fail("--max-gc-time-share", v.error());
        budgets.add({sweep::BudgetKind::MaxGcTimeShare, 0, *v});
    }
    if (!args.max_peak_bytes.empty()) {
        auto v = sweep::parse_size(args.max_peak_bytes);
        if (!v) return fail("--max-peak-bytes", v.error());
        budgets.add({sweep::BudgetKind::MaxPeakBytes, *v, 0});
    }
    if (!args.max_leaked_bytes.empty()) {
        auto v = sweep::parse_size(args.max_leaked_bytes);
        if (!v) return fail("--max-leaked-bytes", v.error());
        budgets.add({sweep::BudgetKind::MaxLeakedBytes, *v, 0});
    }
    if (args.fail_on_leak) budgets.add({sweep::BudgetKind::FailOnLeak, 0, 0});
    return budgets;
}

void TableOptions::mark_given(TableArgs& args) const {
    args.json_given = json->count() > 0;
    args.format_given = format->count() > 0;
    args.output_given = output->count() > 0;
}

Checked<std::string> parse_table_format(const std::string& name) {
    if (name == "text" || name == "markdown" || name == "csv" || name == "json") return name;
    if (name == "md") return std::string("markdown");
    return Checked<std::string>::failure("unknown format '" + name +
                                        "' (valid: text, markdown, csv, json)");
}

TableOptions add_table_options(CLI::App& sub, TableArgs& args, const std::string& what) {
    TableOptions o;
    o.json =
        sub.add_option(
               "--json", args.json,
               "Also write the heapsim-sweep/1 document to FILE; - writes it to standard output "
               "instead of the table")
            ->type_name("FILE|-");
    o.format =
        sub.add_option("--format", args.format,
                       "What goes to standard output (or -o FILE): text, markdown, csv, json (" +
                           what + ")")
            ->type_name("FORMAT")
            ->check(check(parse_table_format))
            ->capture_default_str();
    o.output = sub.add_option("-o,--output", args.output,
                              "Write the --format output to FILE instead of standard output")
                   ->type_name("FILE");
    return o;
}

int command_usage_error(CommandIo& io, const std::string& command, const std::string& message) {
    // One line: the message names the option and what it expects.
    io.err << "heapsim " << command << ": " << message << '\n';
    return kExitUsage;
}

std::optional<std::string> check_table_outputs(const TableArgs& table, const BudgetArgs& budgets) {
    const std::vector<OutputOption> files = {{"--json", table.json_given, table.json},
                                             {"-o", table.output_given, table.output},
                                             {"--junit", !budgets.junit.empty(), budgets.junit},
                                             {"--md", !budgets.md.empty(), budgets.md}};
    for (std::size_t i = 0; i < files.size(); ++i)
        for (std::size_t j = i + 1; j < files.size(); ++j)
            if (auto error = check_output_paths(files[i], files[j])) return error;
    if (budgets.junit == "-" || budgets.md == "-")
        return std::string(budgets.junit == "-" ? "--junit" : "--md") + " needs a file name, not -";
    const bool table_to_stdout = !table.output_given || table.output == "-";
    if (table.json == "-" && table_to_stdout && table.format_given && table.format != "json")
        return "--json - and --format " + table.format +
               " both want standard output; send one to a file with -o FILE";
    return std::nullopt;
}

int write_sweep_outputs(const sweep::SweepReport& report, bool compare, const std::string& command,
                        const TableArgs& table, const BudgetArgs& budgets, CommandIo& io) {
    const std::string format = *parse_table_format(table.format);
    const auto write_table = [&](std::ostream& out) {
        if (format == "json") return sweep::write_sweep_json(sweep::sweep_document(report), out);
        const sweep::TableFormat f = format == "csv"        ? sweep::TableFormat::Csv
                                     : format == "markdown" ? sweep::TableFormat::Markdown
                                                            : sweep::TableFormat::Text;
        if (compare)
            sweep::write_compare_table(report, f, out);
        else
            sweep::write_sweep_table(report, f, out);
    };
    const bool json_to_stdout = table.json == "-";
    const bool table_to_file = table.output_given && table.output != "-";
    const bool table_to_stdout = !table_to_file && !json_to_stdout;

    std::vector<std::unique_ptr<AtomicFile>> files;
    const auto stage = [&](const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
        files.push_back(std::make_unique<AtomicFile>(path));
        if (!files.back()->error().empty()) return false;
        write(files.back()->stream());
        return true;
    };
    const std::string title = "heapsim " + command;
    if ((!table.json.empty() && !json_to_stdout &&
         !stage(table.json,
                [&](std::ostream& out) {
                    sweep::write_sweep_json(sweep::sweep_document(report), out);
                })) ||
        (table_to_file && !stage(table.output, write_table)) ||
        (!budgets.junit.empty() &&
         !stage(budgets.junit,
                [&](std::ostream& out) { sweep::write_junit(report, title, out); })) ||
        (!budgets.md.empty() && !stage(budgets.md, [&](std::ostream& out) {
            sweep::write_summary_markdown(report, title, compare, out);
        }))) {
        io.err << "heapsim: " << files.back()->error() << '\n';
        return kExitUsage;
    }
    for (auto& file : files) {
        if (!file->commit()) {
            io.err << "heapsim: " << file->error() << '\n';
            return kExitUsage;
        }
    }
    if (json_to_stdout) sweep::write_sweep_json(sweep::sweep_document(report), io.out);
    if (table_to_stdout) write_table(io.out);
    const std::vector<std::string> broken = sweep::broken_budget_lines(report);
    for (const std::string& line : broken) io.err << "heapsim " << command << ": " << line << '\n';
    return broken.empty() ? kExitOk : kExitCheckFailed;
}

sweep::SweepReport single_run_report(const RunResult& result, const Policy& policy,
                                     const sweep::Budgets& budgets) {
    const sweep::Configuration config{policy, 0};
    std::vector<sweep::SweepRun> runs{sweep::make_sweep_run(0, 0, config, result, budgets)};
    return sweep::make_sweep_report({sweep::SweepTrace{result.trace_path, result.events}},
                                    std::move(runs), std::nullopt);
}

void write_run_summary_markdown(const RunResult& result, const sweep::SweepReport& report,
                                std::ostream& out) {
    write_markdown_report(result, out);
    const std::vector<std::string> broken = sweep::broken_budget_lines(report);
    if (report.runs.front().budgets.empty()) return;
    out << "\n**Budgets**: "
        << (broken.empty() ? "all kept" : std::to_string(broken.size()) + " broken") << "\n";
    for (const sweep::BudgetCheck& c : report.runs.front().budgets)
        out << "\n- " << (c.ok ? "ok " : "**broken** ") << sweep::budget_name(c.kind) << ": "
            << c.describe();
    out << '\n';
}

int execute_sweep(const sweep::SweepPlan& plan, const std::optional<sweep::PartInfo>& part,
                  bool compare, const std::string& command, const TableArgs& table,
                  const BudgetArgs& budgets, CommandIo& io) {
    sweep::SweepOutcome outcome;
    {
        ProgressLine progress(io.err, command, &io.err == &std::cerr && stderr_is_terminal());
        outcome = sweep::run_sweep(
            plan, [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
    }
    if (outcome.failure) {
        const sweep::SweepFailure& f = *outcome.failure;
        io.err << format_diagnostic(f.trace, f.diagnostic.line, f.diagnostic.message);
        if (!f.spec.empty()) io.err << " (replaying under " << f.spec << ")";
        io.err << '\n';
        return exit_status_for(f.diagnostic);
    }
    const sweep::SweepReport report =
        sweep::make_sweep_report(std::move(outcome.traces), std::move(outcome.runs), part);
    return write_sweep_outputs(report, compare, command, table, budgets, io);
}

}  // namespace heapsim::cli

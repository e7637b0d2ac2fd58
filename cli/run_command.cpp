// `heapsim run TRACE`: replay one trace and report on it.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>

#include "calibrate/pause_model_file.h"
#include "cli/command.h"
#include "cli/exit_status.h"
#include "cli/option_check.h"
#include "cli/options.h"
#include "cli/output_paths.h"
#include "cli/progress.h"
#include "cli/sweep_options.h"
#include "engine/replay.h"
#include "platform/atomic_file.h"
#include "report/report.h"
#include "report/units.h"
#include "sweep/junit.h"
#include "trace_formats/trace_reader.h"

namespace heapsim::cli {

namespace {

/// The options as given on the command line; validated by CLI11 checks.
struct RunArgs {
    std::string trace;
    std::string policy;      // "" = the trace's interpreter's, else cpython-3.11
    std::string thresholds;  // "" = the policy's own
    std::string json;        // "" = no JSON report, "-" = standard output
    std::string format = "text";
    bool format_given = false;
    bool json_given = false;
    std::string output;  // "-" = standard output
    bool output_given = false;
    bool lenient = false;
    bool ignore_expect = false;
    bool ignore_trace_thresholds = false;
    std::size_t top = kTopLeakGroups;
    std::string max_objects = "0";
    std::string max_memory = "0";
    std::string table = "collections";  // --format csv: which table
    bool quiet = false;                 // -q: no progress, no warnings
    bool verbose = false;               // -v: timings and measurement figures
    std::string pause_model = kBuiltinPauseModel;  // a shipped model's name or a file
    BudgetArgs budgets;
};

/// --max-objects N: decimal digits only. CLI11's own conversion would take
/// "-1" or "99999999999999999999" silently as a huge N, i.e. no limit at all.
Checked<std::uint64_t> parse_object_count(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || text.front() < '0' || text.front() > '9' || ec != std::errc() ||
        ptr != end) {
        return Checked<std::uint64_t>::failure(
            "invalid count '" + std::string(text) +
            "': expected a number of objects from 0 to 18446744073709551615");
    }
    return value;
}

int usage_error(CommandIo& io, const std::string& message) {
    io.err << "heapsim run: " << message << "\nRun 'heapsim run --help' for usage.\n";
    return kExitUsage;
}

/// "heapsim: skipped 3 bad events (unknown-id: 2 (lines 4, 9), unbound-name: 1
/// (line 7))": kinds in the one order of every report (skipped_kind_text).
std::string skipped_line(const std::vector<SkippedEvents>& skipped) {
    std::uint64_t total = 0;
    std::string list;
    for (const SkippedEvents& k : skipped) {
        total += k.count;
        list += (list.empty() ? "" : ", ") + skipped_kind_text(k);
    }
    return "heapsim: skipped " + with_commas(total) +
           (total == 1 ? " bad event (" : " bad events (") + list + ")";
}

int run(const RunArgs& args, CommandIo& io) {
    std::optional<ThresholdOverride> thresholds;
    if (!args.thresholds.empty()) {
        auto parsed = parse_thresholds(args.thresholds);
        if (!parsed) return usage_error(io, parsed.error());
        thresholds = *parsed;
    }
    // Without --policy, a trace that names its interpreter is replayed with
    // that interpreter's policy (spec recorder.md, "Importing and replaying").
    std::string policy_name = args.policy.empty() ? kDefaultPolicy : args.policy;
    std::string named_by;
    if (args.policy.empty()) {
        if (const std::optional<TraceInterpreter> named = peek_trace_interpreter(args.trace)) {
            const std::optional<Policy> own =
                policy_for_python(named->version, named->build == "free-threaded");
            if (!own) {
                io.err << "heapsim run: " << display_path(args.trace) << " was recorded on "
                       << describe(*named)
                       << ", which has no heapsim policy (policies: " << policy_names_text()
                       << "); name one with --policy to replay anyway\n";
                return kExitUsage;
            }
            policy_name = own->name();
            named_by = describe(*named);
        }
    }
    Checked<Policy> policy = resolve_policy(policy_name, thresholds);
    if (!policy) return usage_error(io, policy.error());
    Policy configured = *policy;
    configured.follow_trace_thresholds = !args.ignore_trace_thresholds;
    const Checked<ReportFormat> format = parse_report_format(args.format);
    if (!format) return usage_error(io, format.error());
    const Checked<std::uint64_t> max_memory = parse_byte_size(args.max_memory);
    if (!max_memory) return usage_error(io, max_memory.error());
    const Checked<std::uint64_t> max_objects = parse_object_count(args.max_objects);
    if (!max_objects) return usage_error(io, max_objects.error());

    if (auto error = check_output_paths({"--json", args.json_given, args.json},
                                        {"-o", args.output_given, args.output}))
        return usage_error(io, *error);
    const Checked<sweep::Budgets> budgets = parse_budgets(args.budgets);
    if (!budgets) return usage_error(io, budgets.error());
    TableArgs outputs;
    outputs.json = args.json, outputs.json_given = args.json_given;
    outputs.output = args.output, outputs.output_given = args.output_given;
    if (auto error = check_table_outputs(outputs, args.budgets)) return usage_error(io, *error);

    // Where each document goes. `--json -` owns standard output unless the
    // chosen format is sent elsewhere with -o.
    const bool json_to_stdout = args.json == "-";
    const bool report_to_file = !args.output.empty() && args.output != "-";
    bool report_to_stdout = !report_to_file;
    if (json_to_stdout && report_to_stdout) {
        if (args.format_given && (*format)->name != "json") {
            return usage_error(io, "--json - and --format " + args.format +
                                       " both want standard output; send one to a file with -o FILE");
        }
        report_to_stdout = false;
    }

    if (!is_csv_table(args.table))
        return usage_error(io, "unknown table '" + args.table + "' (tables: " + csv_table_names() + ")");
    std::string model_error;
    const std::optional<PauseModel> pause_model = load_pause_model(args.pause_model, model_error);
    if (!pause_model) return usage_error(io, model_error);

    ReplayOptions options;
    Progress progress(io.err, !args.quiet && stderr_is_terminal());
    if (progress.enabled()) options.progress = [&](std::uint64_t events) { progress.update(events); };
    const auto started = std::chrono::steady_clock::now();
    options.sim.policy = configured;
    options.sim.pause_model = *pause_model;
    options.sim.max_objects = *max_objects;
    options.sim.max_bytes = *max_memory;
    options.lenient = args.lenient;
    options.sim.check_expects = !args.ignore_expect;
    ReplayOutcome outcome = replay_trace(args.trace, options);
    progress.finish();
    if (outcome.error) {
        io.err << format_diagnostic(args.trace, outcome.error->line, outcome.error->message)
               << '\n';
        return exit_status_for(*outcome.error);
    }
    RunResult result = std::move(*outcome.result);
    result.policy_named_by = named_by;
    // An empty trace is valid, but in CI it usually means the recorder or the
    // pipeline feeding heapsim broke: say so where a log reader will see it.
    if (args.verbose) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const GarbageMarking& m = result.profile.marking;
        io.err << "heapsim: replayed " << with_commas(result.events) << " events in "
               << human_duration(static_cast<std::uint64_t>(seconds * 1e9)) << "; cyclic garbage: "
               << with_commas(m.marks) << " exact measurements (" << with_commas(m.visits)
               << " visits), " << with_commas(m.samples_carried) << " samples carried\n";
    }
    if (result.events == 0 && !args.quiet)
        io.err << "heapsim: warning: " << display_path(args.trace)
               << " held no events (an empty trace: is the tracing pipeline broken?)\n";

    // Every file is staged first and renamed into place only once all are
    // written, so a failure leaves none of them behind.
    std::vector<std::unique_ptr<AtomicFile>> files;
    const auto stage = [&](const std::string& path, auto&& write) {
        files.push_back(std::make_unique<AtomicFile>(path));
        if (!files.back()->error().empty()) return false;
        write(files.back()->stream());
        return true;
    };
    if (!args.json.empty() && !json_to_stdout &&
        !stage(args.json, [&](std::ostream& out) { write_json_report(result, out); })) {
        io.err << "heapsim: " << files.back()->error() << '\n';
        return kExitUsage;
    }
    const sweep::SweepReport budget_report = single_run_report(result, configured, *budgets);
    if (!args.budgets.junit.empty() && !stage(args.budgets.junit, [&](std::ostream& out) {
            sweep::write_junit(budget_report, "heapsim run", out);
        })) {
        io.err << "heapsim: " << files.back()->error() << '\n';
        return kExitUsage;
    }
    if (!args.budgets.md.empty() && !stage(args.budgets.md, [&](std::ostream& out) {
            write_run_summary_markdown(result, budget_report, out);
        })) {
        io.err << "heapsim: " << files.back()->error() << '\n';
        return kExitUsage;
    }
    const ReportOptions report_options{args.top, args.table};
    if (report_to_file && !stage(args.output, [&](std::ostream& out) {
            write_report(*format, result, out, report_options);
        })) {
        io.err << "heapsim: " << files.back()->error() << '\n';
        return kExitUsage;
    }
    for (auto& file : files) {
        if (!file->commit()) {
            io.err << "heapsim: " << file->error() << '\n';
            return kExitUsage;
        }
    }
    if (json_to_stdout) write_json_report(result, io.out);
    if (report_to_stdout) write_report(*format, result, io.out, report_options);

    for (const ExpectFailure& failure : result.expect_failures) {
        io.err << format_diagnostic(args.trace, failure.line, "expect failed: " + failure.message)
               << '\n';
    }
    if (!result.skipped.empty()) io.err << skipped_line(result.skipped) << '\n';
    bool budget_broken = false;
    for (const sweep::BudgetCheck& check : budget_report.runs.front().budgets) {
        if (check.ok) continue;
        io.err << "heapsim run: " << sweep::broken_budget_line(check, display_path(args.trace)) << '\n';
        budget_broken = true;
    }
    return budget_broken || result.summary.expect_failures > 0 || !result.expect_failures.empty()
               ? kExitCheckFailed
               : kExitOk;
}

}  // namespace

Command setup_run_command(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* sub =
        app.add_subcommand("run", "Replay one trace and report leaks, collections and pauses");
    sub->footer(
        "Exit status: 0 success; 1 an `expect` failed; 2 invalid trace or usage (one line on "
        "stderr, "
        "FILE:LINE: message; no report written); 3 --max-objects or --max-memory reached.\n");

    const std::string policy_list = policy_names_text();

    sub->add_option("TRACE", args->trace,
                    "Trace file: text (.trace), JSON Lines (.jsonl), a JSON document (.json) or "
                    "binary (.htb), each also .gz/.zst (read transparently), or - for "
                    "standard input")
        ->type_name("")
        ->required();
    sub->add_option("--policy", args->policy, "Memory manager to model: " + policy_list)
        ->type_name("NAME")
        ->check(check([](const std::string& v) -> Checked<bool> {
            if (auto error = check_policy_name(v)) return Checked<bool>::failure(*error);
            return true;
        }))
        ->capture_default_str();
    sub->add_option(
           "--threshold", args->thresholds,
           "Starting gc thresholds T0[,T1[,T2]], replacing the policy's (default 700,10,10); "
           "the trace's `threshold` events still change them unless --ignore-trace-thresholds")
        ->type_name("T0[,T1[,T2]]")
        ->check(check(parse_thresholds));
    CLI::Option* json =
        sub->add_option("--json", args->json,
                        "Also write the JSON report (heapsim-report/1) to FILE; - writes it "
                        "to standard output instead of the summary")
            ->type_name("FILE|-");
    CLI::Option* format =
        sub->add_option("--format", args->format, "What goes to standard output (or -o FILE): " +
                                                  report_format_names())
            ->type_name("FORMAT")
            ->check(check(parse_report_format))
            ->capture_default_str();
    CLI::Option* output =
        sub->add_option("-o,--output", args->output,
                        "Write the --format output to FILE instead of standard output")
            ->type_name("FILE");
    sub->add_flag(
        "--ignore-trace-thresholds", args->ignore_trace_thresholds,
        "Keep the starting thresholds for the whole run: the trace's own `threshold` events "
        "(gc.set_threshold calls) no longer change them (trace-thresholds=ignore)");
    sub->add_option(
           "--top", args->top,
           "Leak groups listed per section (garbage, still reachable) in the text and Markdown "
           "reports; 0 lists all (the JSON report always has all)")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    sub->add_option("--table", args->table,
                    "With --format csv: the table to write, one of " + csv_table_names())
        ->type_name("NAME")
        ->capture_default_str();
    sub->add_flag("-q,--quiet", args->quiet,
                  "No progress line and no warnings on standard error (errors still)");
    sub->add_flag("-v,--verbose", args->verbose,
                  "Also say on standard error how long the replay took and how the cyclic "
                  "garbage was measured");
    sub->add_flag("--lenient", args->lenient,
                  "Skip bad events (counted per kind) instead of stopping at the first one");
    sub->add_flag("--ignore-expect", args->ignore_expect,
                  "Do not check the trace's `expect` events (a what-if replay of an imported "
                  "trace under other thresholds: its expects describe the recorded run)");
    sub->add_option("--max-objects", args->max_objects,
                    "Stop with exit status 3 past N live objects (0: no limit)")
        ->type_name("N")
        ->check(check(parse_object_count));
    sub->add_option("--max-memory", args->max_memory,
                    "Stop with exit status 3 past this many live bytes, e.g. 512M (0: no limit)")
        ->type_name("BYTES")
        ->check(check(parse_byte_size));

    std::string model_names;
    for (const std::string& n : pause_model_names())
        model_names += (model_names.empty() ? "" : ", ") + n;
    sub->add_option("--pause-model", args->pause_model,
                    "Coefficients of the modelled pauses: a shipped model (" + model_names +
                        ") or a file written by `heapsim calibrate`")
        ->type_name("NAME|FILE")
        ->capture_default_str();
    add_budget_options(*sub, args->budgets);

    return Command{sub, [args, format, json, output](CommandIo& io) {
                       args->format_given = format->count() > 0;
                       args->json_given = json->count() > 0;
                       args->output_given = output->count() > 0;
                       return run(*args, io);
                   }};
}

}  // namespace heapsim::cli

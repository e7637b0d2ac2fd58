// `heapsim compare TRACE --config SPEC ...`: several configurations side by
// side over one trace, parsed once (docs/ci.md).

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.h"
#include "cli/sweep_options.h"
#include "sweep/configuration.h"

namespace heapsim::cli {

namespace {

struct CompareArgs {
    std::string trace;
    std::vector<std::string> configs;
    unsigned threads = 0;
    bool lenient = false;
    TableArgs table;
    BudgetArgs budgets;
};

int compare(const CompareArgs& args, CommandIo& io) {
    const auto usage = [&](const std::string& m) { return command_usage_error(io, "compare", m); };
    sweep::SweepPlan plan;
    plan.traces = {args.trace};
    for (const std::string& spec : args.configs) {
        Checked<sweep::Configuration> config = sweep::parse_configuration(spec);
        if (!config) return usage(config.error());
        plan.configs.push_back(*config);
    }
    Checked<sweep::Budgets> budgets = parse_budgets(args.budgets);
    if (!budgets) return usage(budgets.error());
    if (auto error = check_table_outputs(args.table, args.budgets)) return usage(*error);
    plan.budgets = *budgets;
    plan.lenient = args.lenient;
    plan.threads = args.threads;
    return execute_sweep(plan, std::nullopt, true, "compare", args.table, args.budgets, io);
}

}  // namespace

Command setup_compare_command(CLI::App& app) {
    auto args = std::make_shared<CompareArgs>();
    CLI::App* sub = app.add_subcommand(
        "compare", "Replay one trace under several configurations, side by side");
    sub->footer(
        "SPEC := "
        "POLICY[:threshold=T0[,T1[,T2]]][:freeze-at=EVENT][:trace-thresholds=follow|ignore], e.g. "
        "cpython-3.11:threshold=2000,10,10:trace-thresholds=ignore.\nExit status: 0 success; 1 a "
        "budget broke; "
        "2 invalid trace or usage (one line on stderr; nothing written); 3 a resource limit.\n");
    sub->add_option("TRACE", args->trace,
                    "Trace file (any encoding `run` reads), or - for standard input")
        ->type_name("")
        ->required();
    sub->add_option("--config", args->configs, "A configuration SPEC; repeat for each column")
        ->type_name("SPEC")
        ->required();
    sub->add_option("--threads", args->threads, "Worker threads (default 0: one per core)")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    sub->add_flag("--lenient", args->lenient,
                  "Skip bad events (counted per kind) instead of stopping");
    const TableOptions table = add_table_options(*sub, args->table, "one column per configuration");
    add_budget_options(*sub, args->budgets);
    return Command{sub, [args, table](CommandIo& io) {
                       table.mark_given(args->table);
                       return compare(*args, io);
                   }};
}

}  // namespace heapsim::cli

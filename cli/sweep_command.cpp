// `heapsim sweep TRACE... --grid AXIS=VALUES ...`: a grid of configurations
// over one or many traces, on all cores, optionally one shard of it
// (docs/ci.md).

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.h"
#include "cli/sweep_options.h"
#include "sweep/grid.h"
#include "sweep/shard.h"

namespace heapsim::cli {

namespace {

struct SweepArgs {
    std::vector<std::string> traces;
    std::vector<std::string> grid;
    std::string base = "cpython-3.11";
    std::string shard;
    unsigned threads = 0;
    bool lenient = false;
    TableArgs table;
    BudgetArgs budgets;
};

int run_sweep_command(const SweepArgs& args, CommandIo& io) {
    const auto usage = [&](const std::string& m) { return command_usage_error(io, "sweep", m); };
    Checked<sweep::ConfigurationSpec> base = sweep::parse_configuration_spec(args.base);
    if (!base) return usage("--base: " + base.error());
    std::vector<sweep::GridAxis> axes;
    for (const std::string& text : args.grid) {
        Checked<sweep::GridAxis> axis = sweep::parse_grid_axis(text);
        if (!axis) return usage(axis.error());
        axes.push_back(*axis);
    }
    Checked<std::vector<sweep::Configuration>> configs = sweep::expand_grid(*base, axes);
    if (!configs) return usage(configs.error());

    sweep::Shard shard;
    if (!args.shard.empty()) {
        Checked<sweep::Shard> parsed = sweep::parse_shard(args.shard);
        if (!parsed) return usage(parsed.error());
        shard = *parsed;
    } else {
        auto from_env = sweep::shard_from_environment(sweep::process_environment);
        if (!from_env) return usage(from_env.error());
        if (from_env->shard) shard = *from_env->shard;
    }
    Checked<sweep::Budgets> budgets = parse_budgets(args.budgets);
    if (!budgets) return usage(budgets.error());
    if (auto error = check_table_outputs(args.table, args.budgets)) return usage(*error);

    sweep::SweepPlan plan;
    plan.traces = args.traces;
    plan.configs = *configs;
    plan.budgets = *budgets;
    plan.lenient = args.lenient;
    plan.shard = shard;
    plan.threads = args.threads;
    std::optional<sweep::PartInfo> part;
    if (!shard.whole()) {
        std::vector<std::string> specs;
        for (const sweep::Configuration& c : plan.configs)
            specs.push_back(sweep::canonical_spec(c));
        part =
            sweep::PartInfo{shard, sweep::sweep_id(plan.traces, specs, plan.budgets, plan.lenient),
                            plan.total_runs()};
    }
    return execute_sweep(plan, part, false, "sweep", args.table, args.budgets, io);
}

}  // namespace

Command setup_sweep_command(CLI::App& app) {
    auto args = std::make_shared<SweepArgs>();
    CLI::App* sub =
        app.add_subcommand("sweep", "Replay traces under a grid of configurations, in parallel");
    sub->footer(
        "AXIS: policy, threshold0, threshold1, threshold2. VALUES: a list (700,2000,5000) or a "
        "range "
        "LO..HI[:log|:lin]:N (100..100000:log:12). The first --grid varies slowest; runs are "
        "numbered from 0, "
        "trace-major. Without --shard, the shard comes from HEAPSIM_SHARD=K/N, GitLab's "
        "CI_NODE_INDEX/CI_NODE_TOTAL, Slurm's SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or a "
        "Kubernetes "
        "Indexed Job's JOB_COMPLETION_INDEX with HEAPSIM_SHARD_TOTAL (docs/ci.md).\nExit status: 0 "
        "success; 1 a "
        "budget broke; 2 invalid trace or usage (one line on stderr; nothing written); 3 a "
        "resource limit.\n");
    sub->add_option("TRACE", args->traces, "Trace files, each parsed once")
        ->type_name("")
        ->required();
    sub->add_option("--grid", args->grid, "An axis of the grid, AXIS=VALUES; repeat for more axes")
        ->type_name("AXIS=VALUES")
        ->required();
    sub->add_option("--base", args->base,
                    "The configuration the grid varies (SPEC); options such as "
                    "trace-thresholds=ignore apply to "
                    "every run")
        ->type_name("SPEC")
        ->capture_default_str();
    sub->add_option("--shard", args->shard,
                    "Run only shard K of N: the runs whose number modulo N is K-1")
        ->type_name("K/N");
    sub->add_option("--threads", args->threads,
                    "Worker threads (default 0: one per core); output is the same for any")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    sub->add_flag("--lenient", args->lenient,
                  "Skip bad events (counted per kind) instead of stopping");
    const TableOptions table = add_table_options(*sub, args->table, "one row per run");
    add_budget_options(*sub, args->budgets);
    return Command{sub, [args, table](CommandIo& io) {
                       table.mark_given(args->table);
                       return run_sweep_command(*args, io);
                   }};
}

}  // namespace heapsim::cli

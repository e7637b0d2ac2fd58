#include "sweep/sweep_report.h"

#include <algorithm>
#include <functional>

#include "events/diagnostic.h"
#include "report/units.h"

namespace heapsim::sweep {

namespace {

std::string gens(const RunMetrics& m) {
    return std::to_string(m.collections[0]) + "/" + std::to_string(m.collections[1]) + "/" +
           std::to_string(m.collections[2]);
}

std::string budgets_cell(const SweepRun& r) {
    if (r.budgets.empty()) return "-";
    std::string broken;
    for (const BudgetCheck& c : r.budgets)
        if (!c.ok) broken += (broken.empty() ? "" : ", ") + std::string(budget_name(c.kind));
    return broken.empty() ? "ok" : "FAIL " + broken;
}

std::vector<RunPoint> points_of(const std::vector<SweepRun>& runs) {
    std::vector<RunPoint> points;
    for (const SweepRun& r : runs) points.push_back(point_of(r));
    return points;
}

/// One measure of the comparison: its name, its value as shown and as
/// compared, and whether more is better.
struct Measure {
    const char* name;
    std::function<std::string(const RunMetrics&)> show;
    std::function<std::uint64_t(const RunMetrics&)> raw;
    bool more_is_better = false;
};

std::vector<Measure> measures(bool human) {
    const auto d = [human](std::uint64_t RunMetrics::*f) {
        return [human, f](const RunMetrics& m) {
            return human ? human_duration(m.*f) : std::to_string(m.*f);
        };
    };
    const auto b = [human](std::uint64_t RunMetrics::*f) {
        return [human, f](const RunMetrics& m) {
            return human ? human_bytes(m.*f) : std::to_string(m.*f);
        };
    };
    const auto n = [human](std::uint64_t RunMetrics::*f) {
        return [human, f](const RunMetrics& m) {
            return human ? with_commas(m.*f) : std::to_string(m.*f);
        };
    };
    const auto raw = [](std::uint64_t RunMetrics::*f) {
        return [f](const RunMetrics& m) { return m.*f; };
    };
    const auto gen = [human](int g) {
        return Measure{g == 0   ? "collections gen0"
                       : g == 1 ? "collections gen1"
                                : "collections gen2",
                       [human, g](const RunMetrics& m) {
                           return human ? with_commas(m.collections[g])
                                        : std::to_string(m.collections[g]);
                       },
                       [g](const RunMetrics& m) { return m.collections[g]; }};
    };
    return {gen(0),
            gen(1),
            gen(2),
            {"GC time", d(&RunMetrics::gc_time_ns), raw(&RunMetrics::gc_time_ns)},
            {"pause p50", d(&RunMetrics::p50_pause_ns), raw(&RunMetrics::p50_pause_ns)},
            {"pause p99", d(&RunMetrics::p99_pause_ns), raw(&RunMetrics::p99_pause_ns)},
            {"pause max", d(&RunMetrics::max_pause_ns), raw(&RunMetrics::max_pause_ns)},
            {"peak live", b(&RunMetrics::peak_live_bytes), raw(&RunMetrics::peak_live_bytes)},
            {"peak cyclic garbage", b(&RunMetrics::peak_cyclic_garbage_bytes),
             raw(&RunMetrics::peak_cyclic_garbage_bytes)},
            {"objects collected", n(&RunMetrics::collected_by_gc),
             raw(&RunMetrics::collected_by_gc), true},
            {"leaked objects", n(&RunMetrics::leaked_objects), raw(&RunMetrics::leaked_objects)},
            {"leaked bytes", b(&RunMetrics::leaked_bytes), raw(&RunMetrics::leaked_bytes)}};
}

void write_choice(const SweepReport& report, bool markdown, std::ostream& out) {
    if (report.part) {
        out << "\nShard " << report.part->shard.index << "/" << report.part->shard.count
            << " of sweep " << report.part->sweep_id << " (" << report.part->total_runs
            << " runs): merge the parts for the frontier and the recommendation.\n";
        return;
    }
    std::string frontier;
    for (std::uint64_t r : report.frontier)
        frontier += (frontier.empty() ? "" : ", ") + std::to_string(r);
    out << '\n'
        << (markdown ? "**Pareto frontier**" : "Pareto frontier")
        << " (GC time, peak live, p99 pause): run" << (report.frontier.size() == 1 ? " " : "s ")
        << frontier << '\n';
    if (report.recommendation)
        out << (markdown ? "\n**Recommendation**: run " : "Recommendation: run ")
            << report.recommendation->run << ": " << report.recommendation->why << '\n';
    else
        out << (markdown ? "\n**Recommendation**: " : "Recommendation: ")
            << "none: no configuration is within the budgets.\n";
}

// The table in `format`, then (text and Markdown) the recommendation.
void write_table(const Table& t, const SweepReport& report, TableFormat format, std::ostream& out) {
    switch (format) {
        case TableFormat::Text:
            t.write_text(out);
            write_choice(report, false, out);
            break;
        case TableFormat::Markdown:
            t.write_markdown(out);
            write_choice(report, true, out);
            break;
        case TableFormat::Csv:
            t.write_csv(out);
            break;
    }
}

}  // namespace

bool SweepReport::on_frontier(std::uint64_t run) const {
    return std::binary_search(frontier.begin(), frontier.end(), run);
}

SweepReport make_sweep_report(std::vector<SweepTrace> traces, std::vector<SweepRun> runs,
                              std::optional<PartInfo> part) {
    SweepReport report{std::move(traces), std::move(runs), {}, std::nullopt, std::move(part)};
    if (!report.part) {
        const std::vector<RunPoint> points = points_of(report.runs);
        report.frontier = pareto_frontier(points);
        report.recommendation = recommend(points);
    }
    return report;
}

nlohmann::ordered_json sweep_document(const SweepReport& report) {
    std::vector<nlohmann::ordered_json> runs;
    for (const SweepRun& r : report.runs) runs.push_back(r.json);
    return sweep_document(report.traces, runs, points_of(report.runs), report.part);
}

void write_sweep_table(const SweepReport& report, TableFormat format, std::ostream& out) {
    const bool human = format != TableFormat::Csv;
    const bool traces = report.traces.size() > 1 || format == TableFormat::Csv;
    Table t;
    t.header = {"run"};
    if (traces) t.header.push_back("trace");
    const std::vector<const char*> human_names = {
        "config",    "trace thresholds", "collections",         "GC time", "p50",     "p99",
        "max pause", "peak live",        "peak cyclic garbage", "leaked",  "budgets", "frontier"};
    const std::vector<const char*> csv_names = {"config",
                                                "trace_thresholds",
                                                "collections_gen0",
                                                "collections_gen1",
                                                "collections_gen2",
                                                "gc_time_ns",
                                                "p50_pause_ns",
                                                "p99_pause_ns",
                                                "max_pause_ns",
                                                "peak_live_bytes",
                                                "peak_cyclic_garbage_bytes",
                                                "leaked_bytes",
                                                "budgets",
                                                "on_frontier"};
    for (const char* h : human ? human_names : csv_names) t.header.push_back(h);
    if (report.part) t.header.pop_back();
    for (const std::string& h : t.header) {
        const bool words = h == "trace" || h == "config" || h.starts_with("trace") ||
                           h == "budgets" || h.ends_with("frontier");
        t.numeric.push_back(!words);
    }
    for (const SweepRun& r : report.runs) {
        const RunMetrics& m = r.metrics;
        std::vector<std::string> row{std::to_string(r.run)};
        if (traces)
            row.push_back(human ? display_path(report.traces[r.trace].path)
                                : report.traces[r.trace].path);
        row.push_back(r.spec);
        row.push_back(r.config.policy.follow_trace_thresholds ? "follow" : "ignore");
        if (human)
            row.push_back(gens(m));
        else
            for (int g = 0; g < 3; ++g) row.push_back(std::to_string(m.collections[g]));
        const auto dur = [&](std::uint64_t v) {
            return human ? human_duration(v) : std::to_string(v);
        };
        const auto bytes = [&](std::uint64_t v) {
            return human ? human_bytes(v) : std::to_string(v);
        };
        for (std::string cell :
             {dur(m.gc_time_ns), dur(m.p50_pause_ns), dur(m.p99_pause_ns), dur(m.max_pause_ns),
              bytes(m.peak_live_bytes), bytes(m.peak_cyclic_garbage_bytes), bytes(m.leaked_bytes)})
            row.push_back(cell);
        row.push_back(human                ? budgets_cell(r)
                      : r.budgets.empty()  ? ""
                      : r.within_budgets() ? "ok"
                                           : "fail");
        if (!report.part)
            row.push_back(report.on_frontier(r.run) ? (human ? "*" : "1") : (human ? "" : "0"));
        t.rows.push_back(std::move(row));
    }
    write_table(t, report, format, out);
}

void write_compare_table(const SweepReport& report, TableFormat format, std::ostream& out) {
    const bool human = format != TableFormat::Csv;
    Table t;
    t.header = {human ? "" : "measure"};
    for (const SweepRun& r : report.runs) t.header.push_back(r.spec);
    if (!human) t.header.push_back("best");
    t.numeric.assign(t.header.size(), true);
    t.numeric[0] = false;
    if (!human) t.numeric.back() = false;
    for (const Measure& m : measures(human)) {
        std::uint64_t best = 0;
        bool first = true;
        for (const SweepRun& r : report.runs) {
            const std::uint64_t v = m.raw(r.metrics);
            if (first || (m.more_is_better ? v > best : v < best)) best = v;
            first = false;
        }
        // Marked only when it tells the runs apart.
        const bool all_equal =
            std::all_of(report.runs.begin(), report.runs.end(),
                        [&](const SweepRun& r) { return m.raw(r.metrics) == best; });
        std::vector<std::string> row{m.name};
        std::string best_specs;
        for (const SweepRun& r : report.runs) {
            std::string cell = m.show(r.metrics);
            const bool is_best = !all_equal && m.raw(r.metrics) == best;
            if (is_best) {
                best_specs += (best_specs.empty() ? "" : " ") + r.spec;
                if (format == TableFormat::Text) cell += " *";
                if (format == TableFormat::Markdown) cell = "**" + cell + "**";
            }
            row.push_back(cell);
        }
        if (!human) row.push_back(best_specs);
        t.rows.push_back(std::move(row));
    }
    std::vector<std::string> mode{human ? "trace thresholds" : "trace_thresholds"};
    std::vector<std::string> budgets{"budgets"};
    for (const SweepRun& r : report.runs) {
        mode.push_back(r.config.policy.follow_trace_thresholds ? "follow" : "ignore");
        budgets.push_back(human                ? budgets_cell(r)
                          : r.budgets.empty()  ? ""
                          : r.within_budgets() ? "ok"
                                               : "fail");
    }
    if (!human) {
        mode.push_back("");
        budgets.push_back("");
    }
    t.rows.push_back(mode);
    t.rows.push_back(budgets);
    if (format == TableFormat::Text)
        out << "heapsim compare " << display_path(report.traces.front().path) << " ("
            << with_commas(report.traces.front().events) << " events; * best of the row)\n\n";
    write_table(t, report, format, out);
}

std::string broken_budget_line(const BudgetCheck& check, const std::string& where) {
    return std::string("budget ") + budget_name(check.kind) + " broken: " + where + ": " +
           check.describe();
}

std::vector<std::string> broken_budget_lines(const SweepReport& report) {
    std::vector<std::string> lines;
    for (const SweepRun& r : report.runs)
        for (const BudgetCheck& c : r.budgets)
            if (!c.ok)
                lines.push_back(broken_budget_line(c, display_path(report.traces[r.trace].path) +
                                                          ", run " + std::to_string(r.run) + " (" +
                                                          r.spec + ")"));
    return lines;
}

void write_summary_markdown(const SweepReport& report, const std::string& title, bool compare,
                            std::ostream& out) {
    const std::vector<std::string> broken = broken_budget_lines(report);
    out << "### " << title << ": "
        << (broken.empty() ? "all budgets kept"
                           : std::to_string(broken.size()) + " broken budget" +
                                 (broken.size() == 1 ? "" : "s"))
        << "\n\n";
    std::string paths;
    for (const SweepTrace& t : report.traces)
        paths += (paths.empty() ? "" : ", ") + std::string("`") + display_path(t.path) + "` (" +
                 with_commas(t.events) + " events)";
    out << "Traces: " << paths << "; " << report.runs.size() << " run"
        << (report.runs.size() == 1 ? "" : "s") << ".\n\n";
    if (compare)
        write_compare_table(report, TableFormat::Markdown, out);
    else
        write_sweep_table(report, TableFormat::Markdown, out);
    if (!broken.empty()) {
        out << "\n**Broken budgets**\n\n";
        for (const std::string& line : broken) out << "- " << line << '\n';
    }
}

}  // namespace heapsim::sweep

#include "sweep/sweep_document.h"

#include <algorithm>
#include <cstdio>

#include "report/report.h"

namespace heapsim::sweep {

using nlohmann::ordered_json;

namespace {

ordered_json budget_json(const BudgetCheck& c) {
    ordered_json j{{"budget", budget_name(c.kind)}};
    if (c.kind == BudgetKind::MaxGcTimeShare) {
        j["limit"] = c.share_limit;
        j["actual"] = c.measurable ? ordered_json(c.share_actual) : ordered_json(nullptr);
    } else {
        j["limit"] = c.limit;
        j["actual"] = c.actual;
    }
    j["ok"] = c.ok;
    return j;
}

void mix(std::uint64_t& hash, const std::string& text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
    hash = (hash ^ 0xff) * 0x100000001b3ULL;  // a separator no text contains
}

}  // namespace

bool SweepRun::within_budgets() const {
    return std::all_of(budgets.begin(), budgets.end(), [](const BudgetCheck& c) { return c.ok; });
}

SweepRun make_sweep_run(std::uint64_t run, std::uint64_t trace, const Configuration& config,
                        const RunResult& result, const Budgets& budgets) {
    SweepRun r;
    r.run = run;
    r.trace = trace;
    r.config = config;
    r.spec = canonical_spec(config);
    r.metrics = metrics_of(result);
    r.budgets = check_budgets(budgets, r.metrics);
    // summary and pauses exactly as heapsim run's report has them (not the
    // whole report: its leaks alone can be 10^5 records with paths).
    r.json = ordered_json{
        {"run", run},
        {"trace", trace},
        {"config", r.spec},
        {"trace_thresholds", config.policy.follow_trace_thresholds ? "follow" : "ignore"},
        {"summary", report_summary_json(result)},
        {"pauses", report_pauses_json(result)},
        {"gc_time_ns", r.metrics.gc_time_ns},
        {"peak_cyclic_garbage_bytes", r.metrics.peak_cyclic_garbage_bytes},
        {"leaked_bytes", r.metrics.leaked_bytes}};
    ordered_json checks = ordered_json::array();
    for (const BudgetCheck& c : r.budgets) checks.push_back(budget_json(c));
    r.json["budgets"] = std::move(checks);
    return r;
}

RunPoint point_of(const SweepRun& r) {
    return RunPoint{r.run,
                    r.trace,
                    r.spec,
                    r.metrics.gc_time_ns,
                    r.metrics.peak_live_bytes,
                    r.metrics.p99_pause_ns,
                    r.within_budgets()};
}

std::optional<RunPoint> point_of_json(const ordered_json& run) {
    try {
        RunPoint p;
        p.run = run.at("run").get<std::uint64_t>();
        p.trace = run.at("trace").get<std::uint64_t>();
        p.config = run.at("config").get<std::string>();
        p.gc_time_ns = run.at("gc_time_ns").get<std::uint64_t>();
        p.peak_live_bytes = run.at("summary").at("peak_live_bytes").get<std::uint64_t>();
        p.p99_pause_ns = run.at("pauses").at("all").at("p99_ns").get<std::uint64_t>();
        for (const ordered_json& b : run.at("budgets"))
            p.within_budgets = p.within_budgets && b.at("ok").get<bool>();
        return p;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

ordered_json sweep_document(const std::vector<SweepTrace>& traces,
                            const std::vector<ordered_json>& runs,
                            const std::vector<RunPoint>& points,
                            const std::optional<PartInfo>& part) {
    ordered_json doc;
    doc["schema"] = kSweepSchema;
    ordered_json trace_list = ordered_json::array();
    for (const SweepTrace& t : traces)
        trace_list.push_back(ordered_json{{"path", t.path}, {"events", t.events}});
    doc["traces"] = std::move(trace_list);
    if (part) {
        doc["shard"] = ordered_json::array({part->shard.index, part->shard.count});
        doc["sweep"] = ordered_json{{"id", part->sweep_id}, {"runs", part->total_runs}};
    }
    doc["runs"] = runs;
    if (part) return doc;
    doc["frontier"] = pareto_frontier(points);
    if (const std::optional<Recommendation> r = recommend(points))
        doc["recommendation"] = ordered_json{{"run", r->run}, {"why", r->why}};
    else
        doc["recommendation"] = nullptr;
    return doc;
}

void write_sweep_json(const ordered_json& document, std::ostream& out) {
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string sweep_id(const std::vector<std::string>& trace_paths,
                     const std::vector<std::string>& specs, const Budgets& budgets, bool lenient) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    mix(hash, kSweepSchema);
    for (const std::string& p : trace_paths) mix(hash, "trace " + p);
    for (const std::string& s : specs) mix(hash, "config " + s);
    for (const Budget& b : budgets.list) {
        char share[32];
        std::snprintf(share, sizeof share, "%.17g", b.share);
        mix(hash, std::string("budget ") + budget_name(b.kind) + ' ' + std::to_string(b.limit) +
                      ' ' + share);
    }
    mix(hash, lenient ? "lenient" : "strict");
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

}  // namespace heapsim::sweep

#pragma once
// The human forms of a sweep or a comparison: tables in text, Markdown and
// CSV, the lines of broken budgets, and the Markdown summary for a CI job
// page (--md). The JSON form is sweep_document.h's.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sweep/pareto.h"
#include "sweep/sweep_document.h"
#include "sweep/table.h"

namespace heapsim::sweep {

struct SweepReport {
    std::vector<SweepTrace> traces;
    std::vector<SweepRun> runs;  // in run order
    std::vector<std::uint64_t> frontier;
    std::optional<Recommendation> recommendation;
    std::optional<PartInfo> part;  // a shard part: no frontier or recommendation

    bool on_frontier(std::uint64_t run) const;
};

/// The report of `runs`: frontier and recommendation computed unless a part.
SweepReport make_sweep_report(std::vector<SweepTrace> traces, std::vector<SweepRun> runs,
                              std::optional<PartInfo> part);

/// The heapsim-sweep/1 document of the report.
nlohmann::ordered_json sweep_document(const SweepReport& report);

enum class TableFormat { Text, Markdown, Csv };

/// `sweep`: one row per run, then the frontier and the recommendation.
void write_sweep_table(const SweepReport& report, TableFormat format, std::ostream& out);
/// `compare`: one column per configuration, one row per measure, the best
/// of each row marked (* in text, bold in Markdown, a "best" column in CSV).
void write_compare_table(const SweepReport& report, TableFormat format, std::ostream& out);

/// "budget max-p99-pause broken: web.trace, run 3 (cpython-3.11:threshold=100,10,10):
/// p99 pause 1.20 ms, limit 1.00 ms: over by 200 µs (+20.0%)", one per broken budget.
std::vector<std::string> broken_budget_lines(const SweepReport& report);
/// The same line for one run of `heapsim run` (where = the trace).
std::string broken_budget_line(const BudgetCheck& check, const std::string& where);

/// A Markdown summary for a CI job page: the table, broken budgets, the
/// recommendation. `title` is its heading ("heapsim sweep").
void write_summary_markdown(const SweepReport& report, const std::string& title, bool compare,
                            std::ostream& out);

}  // namespace heapsim::sweep

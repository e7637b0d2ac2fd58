#pragma once
// One reporter per output format. Each takes the finished RunResult and a
// stream and writes one complete document; none does I/O of its own, so the
// caller decides between standard output and an atomically written file.
// Output depends on the RunResult alone: the same run gives the same bytes.

#include <ostream>

#include <nlohmann/json.hpp>

#include "report/report_format.h"
#include "sim/run_result.h"

namespace heapsim {

/// Schema name written into every JSON report.
inline constexpr const char* kReportSchema = "heapsim-report/1";

/// How many leak groups the human reports list per section before "… and
/// N more" (run --top N; 0 lists them all).
inline constexpr std::size_t kTopLeakGroups = 10;

/// Choices that change how a report is laid out, never what it says.
struct ReportOptions {
    std::size_t top = kTopLeakGroups;  // leak groups listed per section; 0 = all
    std::string table = "collections";  // CSV: which table (csv_table_names())
};

/// The heapsim-report/1 document (docs/report.md), fields in schema order.
nlohmann::ordered_json report_json(const RunResult& result);

/// Its `summary` and `pauses` alone (what a sweep's run entry repeats),
/// without building the rest of the document.
nlohmann::ordered_json report_summary_json(const RunResult& result);
nlohmann::ordered_json report_pauses_json(const RunResult& result);

/// The document with `collections`, `leaks` and `leak_groups` empty, and
/// one entry of each as report_json has it (for writers that choose entries).
nlohmann::ordered_json report_json_without_entries(const RunResult& result);
nlohmann::ordered_json report_collection_json(const RunResult& result, const CollectionRecord& c);
nlohmann::ordered_json report_leak_json(const RunResult& result, const LeakRecord& l);
nlohmann::ordered_json report_leak_group_json(const RunResult& result, const LeakGroup& g);

/// A retention path as report-schema.md's STEPs (report_profile_json.cpp).
nlohmann::ordered_json retention_path_json(const RetentionPath& path);
/// total, survivor_age and by_site into the `promotions` object.
void add_promotions_json(nlohmann::ordered_json& promotions, const Promotions& p);
/// peaks, at_peak, temporaries, what_if and garbage_marking, at the end of the document.
void add_profile_json(nlohmann::ordered_json& doc, const RunResult& result);

/// The JSON report, indented by two spaces, with a final newline.
void write_json_report(const RunResult& result, std::ostream& out);
/// The summary a person reads at a terminal.
void write_text_report(const RunResult& result, std::ostream& out,
                       const ReportOptions& options = {});
/// A compact summary for CI pages (GitHub step summaries and the like).
void write_markdown_report(const RunResult& result, std::ostream& out,
                           const ReportOptions& options = {});
/// One row per collection, with a header line.
void write_csv_report(const RunResult& result, std::ostream& out);
/// One CSV table of the report (run --table NAME): collections (the
/// default, as write_csv_report), timeline, leaks, leak-groups,
/// survivor-ages, promotions, at-peak, temporaries (report_csv_tables.cpp).
void write_csv_table(const RunResult& result, const std::string& table, std::ostream& out);
/// "collections, timeline, ...": the tables --table accepts.
std::string csv_table_names();
bool is_csv_table(const std::string& name);
/// One self-contained HTML page: the JSON report and the script that charts it.
void write_html_report(const RunResult& result, std::ostream& out,
                       const ReportOptions& options = {});

/// Dispatches to the reporter for `format`.
void write_report(ReportFormat format, const RunResult& result, std::ostream& out,
                  const ReportOptions& options = {});

/// The groups of one section, largest first: garbage (cycle, uncollectable,
/// never-stored) or still reachable at the end (live-at-end).
std::vector<LeakGroup> leak_section(const RunResult& result, bool garbage);

/// Objects and bytes of a list of groups.
struct LeakTotals {
    std::uint64_t objects = 0, bytes = 0;
};
LeakTotals leak_totals(const std::vector<LeakGroup>& groups);

/// "unknown-id: 2 (lines 4, 9)", "syntax: 5 (lines 3, 8, 12, …)": the same
/// text in every report and on standard error, kinds in one order (ErrorKind's).
std::string skipped_kind_text(const SkippedEvents& skipped);
/// "3 (unknown-id: 2 (lines 4, 9), unbound-name: 1 (line 7))"
std::string skipped_text(const std::vector<SkippedEvents>& skipped);

/// "900 900 900 900": objects alive at 1/4, 1/2, 3/4 and the end.
std::string growth_text(const LeakGroup& group);

}  // namespace heapsim

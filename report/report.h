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

/// How many leak groups the human reports list before "… and N more".
inline constexpr std::size_t kTopLeakGroups = 10;

/// The heapsim-report/1 document (docs/report.md), fields in schema order.
nlohmann::ordered_json report_json(const RunResult& result);

/// The JSON report, indented by two spaces, with a final newline.
void write_json_report(const RunResult& result, std::ostream& out);
/// The summary a person reads at a terminal.
void write_text_report(const RunResult& result, std::ostream& out);
/// A compact summary for CI pages (GitHub step summaries and the like).
void write_markdown_report(const RunResult& result, std::ostream& out);
/// One row per collection, with a header line.
void write_csv_report(const RunResult& result, std::ostream& out);

/// Dispatches to the reporter for `format`.
void write_report(ReportFormat format, const RunResult& result, std::ostream& out);

}  // namespace heapsim

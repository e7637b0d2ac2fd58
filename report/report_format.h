#pragma once
// The output formats a RunResult can be reported in (`run --format`).

namespace heapsim {

enum class ReportFormat { Text, Json, Markdown, Csv };

/// "text", "json", "markdown", "csv".
const char* report_format_name(ReportFormat format);

}  // namespace heapsim

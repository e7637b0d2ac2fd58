#pragma once
// The reporters `run --format` chooses from. Adding one is a file in report/
// (its write function, declared in report.h) and one line in kReporters
// (report_format.cpp); --format, its help and its error message follow.

#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace heapsim {

struct RunResult;
struct ReportOptions;

struct Reporter {
    std::string_view name;   // --format NAME
    std::string_view alias;  // also accepted ("md"), or empty
    void (*write)(const RunResult& result, std::ostream& out, const ReportOptions& options);
};

/// A chosen output format: one of reporters(), never null once parsed.
using ReportFormat = const Reporter*;

/// Every reporter, in the order --format lists them.
std::span<const Reporter> reporters();

/// The reporter called `name` (or with that alias); nullptr if none is.
ReportFormat find_report_format(std::string_view name);

/// "text, json, markdown, csv".
std::string report_format_names();

}  // namespace heapsim

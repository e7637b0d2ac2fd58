#include "report/report_format.h"

#include "report/report.h"

namespace heapsim {

namespace {

constexpr Reporter kReporters[] = {
    {"text", "", write_text_report},
    {"json", "",
     [](const RunResult& r, std::ostream& out, const ReportOptions&) {
         write_json_report(r, out);
     }},
    {"markdown", "md", write_markdown_report},
    {"csv", "",
     [](const RunResult& r, std::ostream& out, const ReportOptions& o) {
         write_csv_table(r, o.table, out);
     }},
    {"html", "", write_html_report},
};

}  // namespace

std::span<const Reporter> reporters() { return kReporters; }

ReportFormat find_report_format(std::string_view name) {
    for (const Reporter& r : kReporters) {
        if (name == r.name || (!r.alias.empty() && name == r.alias)) return &r;
    }
    return nullptr;
}

std::string report_format_names() {
    std::string out;
    for (const Reporter& r : kReporters) {
        if (!out.empty()) out += ", ";
        out += r.name;
    }
    return out;
}

}  // namespace heapsim

#include "report/report_format.h"

#include "report/report.h"

namespace heapsim {

namespace {

constexpr Reporter kReporters[] = {
    {"text", "", write_text_report},
    {"json", "", write_json_report},
    {"markdown", "md", write_markdown_report},
    {"csv", "", write_csv_report},
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

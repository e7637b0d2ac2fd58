#include "report/report.h"

#include <algorithm>

namespace heapsim {

void write_report(ReportFormat format, const RunResult& result, std::ostream& out) {
    switch (format) {
        case ReportFormat::Text: write_text_report(result, out); return;
        case ReportFormat::Json: write_json_report(result, out); return;
        case ReportFormat::Markdown: write_markdown_report(result, out); return;
        case ReportFormat::Csv: write_csv_report(result, out); return;
    }
}

std::vector<LeakGroup> sorted_leak_groups(const RunResult& result) {
    std::vector<LeakGroup> groups = result.leak_groups;
    std::stable_sort(groups.begin(), groups.end(), [](const LeakGroup& a, const LeakGroup& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        return a.objects > b.objects;
    });
    return groups;
}

}  // namespace heapsim

#include "report/report.h"

namespace heapsim {

void write_report(ReportFormat format, const RunResult& result, std::ostream& out) {
    switch (format) {
        case ReportFormat::Text: write_text_report(result, out); return;
        case ReportFormat::Json: write_json_report(result, out); return;
        case ReportFormat::Markdown: write_markdown_report(result, out); return;
        case ReportFormat::Csv: write_csv_report(result, out); return;
    }
}

}  // namespace heapsim

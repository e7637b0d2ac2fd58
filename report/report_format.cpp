#include "report/report_format.h"

namespace heapsim {

const char* report_format_name(ReportFormat format) {
    switch (format) {
        case ReportFormat::Text: return "text";
        case ReportFormat::Json: return "json";
        case ReportFormat::Markdown: return "markdown";
        case ReportFormat::Csv: return "csv";
    }
    return "?";
}

}  // namespace heapsim

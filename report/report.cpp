#include "report/report.h"

namespace heapsim {

void write_report(ReportFormat format, const RunResult& result, std::ostream& out) { format->write(result, out); }

}  // namespace heapsim

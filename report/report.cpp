#include "report/report.h"

namespace heapsim {

void write_report(ReportFormat format, const RunResult& result, std::ostream& out, const ReportOptions& options) {
    format->write(result, out, options);
}

std::vector<LeakGroup> leak_section(const RunResult& result, bool garbage) {
    std::vector<LeakGroup> groups;
    for (const LeakGroup& g : result.leak_groups)  // largest first (RunResult::leak_groups)
        if (is_garbage(g.reason) == garbage) groups.push_back(g);
    return groups;
}

LeakTotals leak_totals(const std::vector<LeakGroup>& groups) {
    LeakTotals t;
    for (const LeakGroup& g : groups) {
        t.objects += g.objects;
        t.bytes += g.bytes;
    }
    return t;
}

std::string growth_text(const LeakGroup& g) {
    std::string out;
    for (std::uint64_t n : g.alive_at_quarters) out.append(out.empty() ? "" : " ").append(std::to_string(n));
    return out;
}

}  // namespace heapsim

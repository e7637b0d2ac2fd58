#include "report/report.h"
#include "report/units.h"

namespace heapsim {

void write_report(ReportFormat format, const RunResult& result, std::ostream& out,
                  const ReportOptions& options) {
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

std::string skipped_kind_text(const SkippedEvents& s) {
    std::string out = s.kind + ": " + with_commas(s.count);
    std::string lines;
    for (std::uint64_t line : s.first_lines)
        if (line != 0) lines += (lines.empty() ? "" : ", ") + std::to_string(line);
    if (lines.empty()) return out;
    const bool several = s.first_lines.size() > 1;
    return out + (several ? " (lines " : " (line ") + lines +
           (s.count > s.first_lines.size() ? ", …)" : ")");
}

std::string skipped_text(const std::vector<SkippedEvents>& skipped) {
    std::uint64_t total = 0;
    std::string kinds;
    for (const SkippedEvents& s : skipped) {
        total += s.count;
        kinds += (kinds.empty() ? "" : ", ") + skipped_kind_text(s);
    }
    return with_commas(total) + " (" + kinds + ")";
}

std::string growth_text(const LeakGroup& g) {
    std::string out;
    for (std::uint64_t n : g.alive_at_quarters)
        out.append(out.empty() ? "" : " ").append(std::to_string(n));
    return out;
}

}  // namespace heapsim

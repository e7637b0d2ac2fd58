// The run's profile in the Markdown report: compact tables for CI pages.

#include <algorithm>
#include <string>

#include "report/report_profile.h"
#include "report/units.h"

namespace heapsim {

namespace {

std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c != '`' && c != '\n')
            out += c;
    }
    return out;
}

std::string md_code(const std::string& s) {
    return s.empty() ? "" : "`" + md_cell(s) + "`";
}

void usage_rows(const std::vector<SiteUsage>& rows, std::size_t top, std::ostream& out) {
    out << "| type | site | objects | bytes |\n|---|---|--:|--:|\n";
    const std::size_t n = top == 0 ? rows.size() : std::min(rows.size(), top);
    for (std::size_t i = 0; i < n; ++i)
        out << "| " << md_code(rows[i].type) << " | " << md_code(rows[i].site) << " | "
            << with_commas(rows[i].objects) << " | " << human_bytes(rows[i].bytes) << " |\n";
}

}  // namespace

void write_profile_markdown(const RunResult& r, std::ostream& out, std::size_t top) {
    const RunProfile& p = r.profile;
    std::size_t paths = 0;
    for (const LeakGroup& g : r.leak_groups) {
        if (g.path == kEmptyPath) continue;
        if (top != 0 && paths == top) break;
        if (paths++ == 0) out << "\n**Retention paths** (one object per group, shortest)\n\n";
        out << "- " << md_code(path_text(r.paths.path(g.path)))
            << (is_garbage(g.reason) ? " (" : " (held by ")
            << (is_garbage(g.reason) ? leak_reason_name(g.reason) : g.held_by) << ")\n";
    }
    out << "\n**Memory**: peak live " << human_bytes(p.peak_live_bytes.value) << " at event "
        << with_commas(p.peak_live_bytes.event) << "; peak cyclic garbage "
        << human_bytes(p.peak_cyclic_garbage_bytes.value);
    if (p.peak_cyclic_garbage_bytes.value > 0)
        out << " at event " << with_commas(p.peak_cyclic_garbage_bytes.event);
    out << "; promotions " << with_commas(p.promotions.total) << '\n';
    if (!p.at_peak.by_site.empty()) {
        out << "\n**Live at the peak** (event " << with_commas(p.at_peak.event) << ")\n\n";
        usage_rows(p.at_peak.by_site, top, out);
    }
    if (!p.temporaries.empty()) {
        out << "\n**Temporaries** (freed within " << p.temporary_window << " events)\n\n";
        usage_rows(p.temporaries, top, out);
    }
    for (const SlotsWhatIf& w : p.slots_what_if)
        out << "\n- what if " << md_code(w.type) << " used `__slots__`: saves "
            << human_bytes(w.bytes_saved) << " at the peak";
    if (!p.slots_what_if.empty()) out << '\n';
}

}  // namespace heapsim

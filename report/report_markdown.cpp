// A compact Markdown summary for CI pages ($GITHUB_STEP_SUMMARY and the
// like): one table of headline numbers, then the largest leak groups.

#include <algorithm>
#include <string>

#include "events/diagnostic.h"
#include "report/report.h"
#include "report/report_thresholds.h"
#include "report/units.h"

namespace heapsim {

namespace {

/// A table cell: pipes escaped, backticks dropped so code spans stay closed.
std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else if (c != '`' && c != '\n') out += c;
    }
    return out;
}

std::string code(const std::string& s) {
    std::string out = "`";
    return out.append(cell(s)).append("`");
}

}  // namespace

void write_markdown_report(const RunResult& r, std::ostream& out) {
    const Summary& s = r.summary;
    const auto& t = r.thresholds;
    std::uint64_t leaked = 0, leaked_bytes = 0;
    for (const LeakGroup& g : r.leak_groups) {
        leaked += g.objects;
        leaked_bytes += g.bytes;
    }
    out << "### heapsim run " << code(display_path(r.trace_path)) << "\n\n";
    out << "| policy | events | allocated | collected by gc | uncollectable | leaked | peak live "
           "| collections (gen0/1/2) | pause p99 | max pause | expect failures |\n";
    out << "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    out << "| " << code(r.policy);
    if (r.policy != std::string("refcount")) {
        out << ' ' << t[0] << '/' << t[1] << '/' << t[2];
        if (t[0] == 0) out << " (automatic collection off)";
    }
    if (auto events = threshold_events_text(r)) out << "; threshold events: " << cell(*events);
    out
        << " | " << with_commas(r.events)                                       //
        << " | " << with_commas(s.objects_allocated)                            //
        << " | " << with_commas(s.collected_by_gc)                              //
        << " | " << with_commas(s.uncollectable)                                //
        << " | " << with_commas(leaked) << " (" << human_bytes(leaked_bytes) << ')'
        << " | " << with_commas(s.peak_live_objects) << " (" << human_bytes(s.peak_live_bytes) << ')'
        << " | " << s.collections[0] << '/' << s.collections[1] << '/' << s.collections[2]  //
        << " | " << human_duration(r.pauses_all.p99_ns)                                   //
        << " | " << human_duration(r.pauses_all.max_ns)                                   //
        << " | " << (s.expect_failures == 0 ? std::string("0") : "**" + with_commas(s.expect_failures) + "**")
        << " |\n";

    const std::vector<LeakGroup>& groups = r.leak_groups;
    if (!groups.empty()) {
        out << "\n| leak reason | site | type | objects | bytes |\n|---|---|---|--:|--:|\n";
        const std::size_t shown = std::min(groups.size(), kTopLeakGroups);
        for (std::size_t i = 0; i < shown; ++i) {
            const LeakGroup& g = groups[i];
            out << "| " << leak_reason_name(g.reason) << " | " << (g.site.empty() ? "" : code(g.site)) << " | "
                << code(g.type) << " | " << with_commas(g.objects) << " | " << human_bytes(g.bytes) << " |\n";
        }
        if (groups.size() > shown) out << "\n… and " << groups.size() - shown << " more leak groups\n";
    }
    if (!r.expect_failures.empty()) {
        out << "\n**Expect failures**\n\n";
        for (const ExpectFailure& e : r.expect_failures) {
            out << "- line " << e.line << ": " << cell(e.message) << '\n';
        }
    }
}

}  // namespace heapsim

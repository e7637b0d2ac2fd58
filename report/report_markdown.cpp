// A compact Markdown summary for CI pages ($GITHUB_STEP_SUMMARY and the
// like): one table of headline numbers, then the largest leak groups.

#include <algorithm>
#include <string>

#include "events/diagnostic.h"
#include "report/report.h"
#include "report/report_profile.h"
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

/// One table per section: garbage by reason, still-reachable by the root
/// that holds it; both with the growth over the quarters of the trace.
void write_leak_table(const std::vector<LeakGroup>& groups, bool garbage, std::size_t top,
                      std::ostream& out) {
    if (groups.empty()) return;
    out << (garbage ? "\n**Garbage** (unreachable or never stored: leaks)\n\n| reason "
                    : "\n**Still reachable at end**\n\n| held by ")
        << "| site | type | objects | bytes | alive at 1/4, 1/2, 3/4, end "
           "|\n|---|---|---|--:|--:|---|\n";
    const std::size_t shown = top == 0 ? groups.size() : std::min(groups.size(), top);
    for (std::size_t i = 0; i < shown; ++i) {
        const LeakGroup& g = groups[i];
        out << "| " << (garbage ? std::string(leak_reason_name(g.reason)) : code(g.held_by))
            << " | " << (g.site.empty() ? "" : code(g.site)) << " | " << code(g.type) << " | "
            << with_commas(g.objects) << " | " << human_bytes(g.bytes) << " | " << growth_text(g)
            << (g.growing() ? " **growing**" : "") << " |\n";
    }
    if (groups.size() > shown)
        out << "\n… and " << groups.size() - shown
            << (garbage ? " more garbage groups\n" : " more reachable groups\n");
}

}  // namespace

void write_markdown_report(const RunResult& r, std::ostream& out, const ReportOptions& options) {
    const Summary& s = r.summary;
    const auto& t = r.thresholds;
    const std::vector<LeakGroup> garbage = leak_section(r, true),
                                 reachable = leak_section(r, false);
    const LeakTotals garbage_total = leak_totals(garbage), reachable_total = leak_totals(reachable);
    out << "### heapsim run " << code(display_path(r.trace_path)) << "\n\n";
    out << "| policy | events | allocated | collected by gc | uncollectable | garbage | reachable "
           "at end | peak live "
           "| collections (gen0/1/2) | modelled pause p99 | modelled max pause | expect failures "
           "|\n";
    out << "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    out << "| " << code(r.policy);
    if (r.policy != std::string("refcount")) {
        out << ' ' << t[0] << '/' << t[1] << '/' << t[2];
        if (t[0] == 0) out << " (automatic collection off)";
    }
    if (auto events = threshold_events_text(r)) out << "; threshold events: " << cell(*events);
    out << " | " << with_commas(r.events)             //
        << " | " << with_commas(s.objects_allocated)  //
        << " | " << with_commas(s.collected_by_gc)    //
        << " | " << with_commas(s.uncollectable)      //
        << " | " << with_commas(garbage_total.objects) << " (" << human_bytes(garbage_total.bytes)
        << ')' << " | " << with_commas(reachable_total.objects) << " ("
        << human_bytes(reachable_total.bytes) << ')' << " | " << with_commas(s.peak_live_objects)
        << " (" << human_bytes(s.peak_live_bytes) << ')' << " | " << s.collections[0] << '/'
        << s.collections[1] << '/' << s.collections[2]   //
        << " | " << human_duration(r.pauses_all.p99_ns)  //
        << " | " << human_duration(r.pauses_all.max_ns)  //
        << " | "
        << (s.expect_failures == 0 ? std::string("0")
                                   : "**" + with_commas(s.expect_failures) + "**")
        << " |\n";

    write_leak_table(garbage, true, options.top, out);
    write_leak_table(reachable, false, options.top, out);
    write_profile_markdown(r, out, options.top);
    out << "\nPauses modelled with " << code(r.pause_model) << " (" << cell(r.pause_model_source)
        << ").\n";
    if (!r.skipped.empty())
        out << "\n**Skipped events** (`--lenient`): " << cell(skipped_text(r.skipped)) << '\n';
    if (!r.expect_failures.empty()) {
        out << "\n**Expect failures**\n\n";
        for (const ExpectFailure& e : r.expect_failures) {
            out << "- line " << e.line << ": " << cell(e.message) << '\n';
        }
    }
}

}  // namespace heapsim

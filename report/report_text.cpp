// The human summary printed by `heapsim run`: what a person wants to see at
// a terminal, in a stable layout (the e2e goldens compare it byte for byte).

#include <algorithm>
#include <string>
#include <vector>

#include "events/diagnostic.h"
#include "report/report.h"
#include "report/report_profile.h"
#include "report/report_thresholds.h"
#include "report/units.h"

namespace heapsim {

namespace {

constexpr int kLabelWidth = 20;

/// Columns a string takes on a terminal (UTF-8 continuation bytes take none).
std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad_left(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
    out << "  " << pad_right(label, kLabelWidth) << value << '\n';
}

/// A count right-aligned in a column, optionally followed by a size.
std::string count_and_bytes(std::uint64_t n, std::uint64_t bytes) {
    return pad_left(with_commas(n), 9) + "   " + human_bytes(bytes);
}

void write_header(const RunResult& r, std::ostream& out) {
    out << "heapsim run: " << display_path(r.trace_path) << '\n';
    row(out, "policy", policy_text(r));
    if (!r.provenance.empty()) row(out, "provenance", r.provenance);
    if (!r.policy_named_by.empty())
        row(out, "policy from", "the trace's interpreter, " + r.policy_named_by);
    if (auto events = threshold_events_text(r)) row(out, "threshold events", *events);
    row(out, "events", with_commas(r.events));
}

void write_objects(const RunResult& r, std::ostream& out) {
    const Summary& s = r.summary;
    out << "\nObjects\n";
    row(out, "allocated", pad_left(with_commas(s.objects_allocated), 9));
    row(out, "freed by refcount", pad_left(with_commas(s.freed_by_refcount), 9));
    row(out, "collected by gc", pad_left(with_commas(s.collected_by_gc), 9));
    row(out, "uncollectable", pad_left(with_commas(s.uncollectable), 9));
    row(out, "live at end", count_and_bytes(s.live_at_end, s.live_bytes_at_end));
    row(out, "peak live", count_and_bytes(s.peak_live_objects, s.peak_live_bytes));
    const auto& c = s.final_count;
    std::string count = "(";
    count.append(std::to_string(c[0])).append(", ").append(std::to_string(c[1])).append(", ");
    row(out, "gc.get_count()", count.append(std::to_string(c[2])).append(")"));
}

void write_collections(const RunResult& r, std::ostream& out) {
    if (r.collections.empty()) {
        out << "\nCollections: none\n";
        return;
    }
    constexpr std::size_t kCol = 11;
    const std::array<const PauseStats*, 4> cols = {&r.pauses[0], &r.pauses[1], &r.pauses[2], &r.pauses_all};
    out << "\nCollections" << std::string(kLabelWidth + 2 - 11, ' ');
    for (const char* h : {"gen0", "gen1", "gen2", "all"}) out << pad_left(h, kCol);
    out << '\n';
    const auto line = [&](const std::string& label, auto&& cell) {
        out << "  " << pad_right(label, kLabelWidth);
        for (const PauseStats* p : cols) out << pad_left(cell(*p), kCol);
        out << '\n';
    };
    line("count", [](const PauseStats& p) { return with_commas(p.count); });
    line("pause p50", [](const PauseStats& p) { return human_duration(p.p50_ns); });
    line("pause p95", [](const PauseStats& p) { return human_duration(p.p95_ns); });
    line("pause p99", [](const PauseStats& p) { return human_duration(p.p99_ns); });
    line("pause max", [](const PauseStats& p) { return human_duration(p.max_ns); });
    line("pause total", [](const PauseStats& p) { return human_duration(p.total_ns); });
    out << "  (pauses are modelled from the objects each collection examines and frees, not "
           "measured)\n";
    row(out, "pause model", r.pause_model + " (" + r.pause_model_source + ")");

    std::uint64_t collected = 0, uncollectable = 0;
    for (const CollectionRecord& c : r.collections) {
        collected += c.collected;
        uncollectable += c.uncollectable;
    }
    row(out, "found unreachable",
        with_commas(collected) + " collected, " + with_commas(uncollectable) + " uncollectable");
    row(out, "promoted", with_commas(r.promoted[0]) + " gen0→gen1, " + with_commas(r.promoted[1]) + " gen1→gen2");
}

/// One section of leak groups: a heading with totals, then the largest
/// groups. Still-reachable groups name the root that holds them.
void write_leak_section(const RunResult& r, bool garbage, std::size_t top, std::ostream& out) {
    const std::vector<LeakGroup> groups = leak_section(r, garbage);
    const char* title = garbage ? "Garbage" : "Still reachable at end";
    if (groups.empty()) {
        out << '\n' << title << ": none\n";
        return;
    }
    const LeakTotals total = leak_totals(groups);
    out << '\n'
        << title << ": " << with_commas(total.objects)
        << (total.objects == 1 ? " object, " : " objects, ") << human_bytes(total.bytes) << " in "
        << groups.size() << (groups.size() == 1 ? " group" : " groups")
        << (garbage ? " (unreachable or never stored: leaks; by reason, site, type)\n"
                    : " (by root, site, type; growth: alive at 1/4, 1/2, 3/4, end)\n");
    const std::size_t shown = top == 0 ? groups.size() : std::min(groups.size(), top);
    const auto first = [&](const LeakGroup& g) {
        return garbage ? std::string(leak_reason_name(g.reason)) : g.held_by;
    };
    std::size_t first_w = garbage ? 6 : 7, type_w = 4, site_w = 4;
    for (std::size_t i = 0; i < shown; ++i) {
        first_w = std::max(first_w, display_width(first(groups[i])));
        type_w = std::max(type_w, display_width(groups[i].type));
        site_w =
            std::max(site_w, display_width(groups[i].site.empty() ? "(no site)" : groups[i].site));
    }
    out << "  " << pad_right(garbage ? "reason" : "held by", first_w) << pad_left("objects", 10)
        << pad_left("bytes", 12) << "  " << pad_right("type", type_w) << "  "
        << pad_right("site", site_w) << "  growth\n";
    for (std::size_t i = 0; i < shown; ++i) {
        const LeakGroup& g = groups[i];
        out << "  " << pad_right(first(g), first_w) << pad_left(with_commas(g.objects), 10)
            << pad_left(human_bytes(g.bytes), 12) << "  " << pad_right(g.type, type_w) << "  "
            << pad_right(g.site.empty() ? "(no site)" : g.site, site_w) << "  " << growth_text(g)
            << (g.growing() ? "  growing" : "") << '\n';
    }
    if (groups.size() > shown) {
        std::uint64_t rest_objects = 0;
        for (std::size_t i = shown; i < groups.size(); ++i) rest_objects += groups[i].objects;
        out << "  … and " << groups.size() - shown << " more groups (" << with_commas(rest_objects)
            << (rest_objects == 1 ? " object; --top N lists more)\n"
                                  : " objects; --top N lists more)\n");
    }
}

void write_tail(const RunResult& r, std::ostream& out) {
    out << '\n';
    row(out, "weakref callbacks", with_commas(r.weakref_callbacks.size()));
    row(out, "finalizers run", with_commas(r.finalizers.size()));
    if (r.expect_failures.empty() && r.summary.expect_failures == 0) {
        row(out, "expect failures", "none");
    } else {
        row(out, "expect failures", with_commas(std::max<std::uint64_t>(r.summary.expect_failures,
                                                                        r.expect_failures.size())));
        for (const ExpectFailure& e : r.expect_failures) {
            out << "    line " << e.line << " (event " << e.event << "): " << e.message << '\n';
        }
    }
    if (!r.skipped.empty()) row(out, "skipped events", skipped_text(r.skipped));
}

}  // namespace

void write_text_report(const RunResult& result, std::ostream& out, const ReportOptions& options) {
    write_header(result, out);
    write_objects(result, out);
    write_collections(result, out);
    write_leak_section(result, true, options.top, out);
    write_leak_section(result, false, options.top, out);
    write_retention_text(result, out, options.top);
    write_promotions_text(result, out, options.top);
    write_memory_text(result, out);
    write_at_peak_text(result, out, options.top);
    write_temporaries_text(result, out, options.top);
    write_what_if_text(result, out);
    write_tail(result, out);
}

}  // namespace heapsim

// Text sections of the run's profile: aligned tables within 100 columns,
// sizes in binary units (docs/report.md, "The text summary").

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "report/report_profile.h"
#include "report/units.h"

namespace heapsim {

namespace {

constexpr std::size_t kWidth = 100;

std::size_t columns(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string left(const std::string& s, std::size_t w) {
    const std::size_t c = columns(s);
    return c >= w ? s : s + std::string(w - c, ' ');
}

std::string right(const std::string& s, std::size_t w) {
    const std::size_t c = columns(s);
    return c >= w ? s : std::string(w - c, ' ') + s;
}

/// Cuts a cell to `w` columns, ending in "…" when cut.
std::string fit(const std::string& s, std::size_t w) {
    if (columns(s) <= w) return s;
    std::string out;
    std::size_t c = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool start = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if (start && ++c > w - 1) break;
        out += s[i];
    }
    return out + "…";
}

std::string site_or_none(const std::string& site) {
    return site.empty() ? "(no site)" : site;
}

/// A table of (objects, bytes, type, site) rows.
void usage_table(const std::vector<SiteUsage>& rows, std::ostream& out) {
    std::size_t type_w = 4;
    for (const SiteUsage& u : rows)
        type_w = std::min<std::size_t>(24, std::max(type_w, columns(u.type)));
    const std::size_t site_w = kWidth - 2 - 10 - 12 - 2 - type_w - 2;
    out << "  " << right("objects", 10) << right("bytes", 12) << "  " << left("type", type_w)
        << "  site\n";
    for (const SiteUsage& u : rows)
        out << "  " << right(with_commas(u.objects), 10) << right(human_bytes(u.bytes), 12) << "  "
            << left(fit(u.type, type_w), type_w) << "  " << fit(site_or_none(u.site), site_w)
            << '\n';
}

std::size_t shown(std::size_t size, std::size_t top) {
    return top == 0 ? size : std::min(size, top);
}

/// Eight-level bars of `values`, one character per value.
std::string spark(const std::vector<std::uint64_t>& values) {
    static const std::array<const char*, 8> kBars = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    const std::uint64_t top = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::string out;
    for (std::uint64_t v : values) out += kBars[top == 0 ? 0 : (v * 7 + top / 2) / top];
    return out;
}

/// At most `n` values: the largest of each of n equal slices of the samples.
std::vector<std::uint64_t> bucket_max(const std::vector<TimelineSample>& t, std::size_t n,
                                      std::uint64_t TimelineSample::*field) {
    std::vector<std::uint64_t> out;
    if (t.empty()) return out;
    const std::size_t k = std::min(n, t.size());
    for (std::size_t b = 0; b < k; ++b) {
        std::uint64_t m = 0;
        for (std::size_t i = b * t.size() / k; i < (b + 1) * t.size() / k; ++i)
            m = std::max(m, t[i].*field);
        out.push_back(m);
    }
    return out;
}

}  // namespace

std::string path_text(const RetentionPath& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const RetentionStep& s = path[i];
        if (i > 0) out += " → ";
        if (s.elided > 0) {
            out += "… " + with_commas(s.elided) + " more …";
        } else if (!s.name.empty()) {
            out += s.name;
        } else {
            out += s.type + " " + s.id;
        }
        // The key through which this object refers to the next one.
        if (i + 1 < path.size() && path[i + 1].has_key && path[i + 1].elided == 0 &&
            s.elided == 0 && s.name.empty())
            out += " ['" + path[i + 1].key + "']";
    }
    return out;
}

std::string wrap_path(const std::string& text, std::size_t first_indent, std::size_t indent,
                      std::size_t width) {
    static const std::string kArrow = " → ";
    std::string out, line;
    std::size_t line_cols = first_indent;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t next = text.find(kArrow, pos);
        const std::string part = text.substr(
            pos, next == std::string::npos ? std::string::npos : next + kArrow.size() - pos);
        const std::size_t c = columns(part);
        if (!line.empty() && line_cols + c > width) {
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out += line + "\n" + std::string(indent, ' ');
            line.clear();
            line_cols = indent;
        }
        line += part;
        line_cols += c;
        if (next == std::string::npos) break;
        pos = next + kArrow.size();
    }
    return out + line;
}

void write_retention_text(const RunResult& r, std::ostream& out, std::size_t top) {
    std::vector<const LeakGroup*> groups;
    for (bool garbage : {true, false}) {
        std::size_t n = 0;
        for (const LeakGroup& g : r.leak_groups) {
            if (is_garbage(g.reason) != garbage || g.reason == LeakReason::NeverStored) continue;
            if (top != 0 && n == top) break;
            groups.push_back(&g);
            ++n;
        }
    }
    if (groups.empty()) return;
    out << "\nRetention paths (one object per group above, its shortest; garbage: the cycle)\n";
    for (const LeakGroup* g : groups) {
        std::string head =
            "  " + g->type + " " + g->example_id + " (" +
            (is_garbage(g->reason) ? std::string(leak_reason_name(g->reason))
                                   : "held by " + g->held_by) +
            (g->finalizer.empty() ? "" : ", kept by the legacy finalizer of " + g->finalizer) + ")";
        out << fit(head, kWidth) << '\n';
        out << "    " << wrap_path(path_text(r.paths.path(g->path)), 4, 6, kWidth) << '\n';
    }
}

void write_promotions_text(const RunResult& r, std::ostream& out, std::size_t top) {
    const Promotions& p = r.profile.promotions;
    if (p.survivor_age.empty()) return;
    out << "\nSurvivor ages (collections that found an object reachable, before its death or the "
           "end)\n";
    out << "  " << right("age", 5) << right("died", 12) << right("live at end", 14) << '\n';
    constexpr std::size_t kRows = 12;
    for (std::size_t i = 0; i < p.survivor_age.size() && i < kRows; ++i) {
        const AgeCount& a = p.survivor_age[i];
        out << "  " << right(std::to_string(a.age), 5) << right(with_commas(a.died), 12)
            << right(with_commas(a.live_at_end), 14) << '\n';
    }
    if (p.survivor_age.size() > kRows) {
        std::uint64_t died = 0, live = 0;
        for (std::size_t i = kRows; i < p.survivor_age.size(); ++i) {
            died += p.survivor_age[i].died;
            live += p.survivor_age[i].live_at_end;
        }
        out << "  " << right(std::to_string(p.survivor_age[kRows].age) + "+", 5)
            << right(with_commas(died), 12) << right(with_commas(live), 14) << '\n';
    }
    if (p.by_site.empty()) return;
    out << "\nPromoted by site: " << with_commas(p.total)
        << " promotions in all (died aged 1+: after surviving a collection)\n";
    std::size_t type_w = 4;
    const std::size_t n = shown(p.by_site.size(), top);
    for (std::size_t i = 0; i < n; ++i)
        type_w = std::min<std::size_t>(24, std::max(type_w, columns(p.by_site[i].type)));
    const std::size_t site_w = kWidth - 2 - 10 - 12 - 10 - 2 - type_w - 2;
    out << "  " << right("promoted", 10) << right("died aged 1+", 14) << right("live", 8) << "  "
        << left("type", type_w) << "  site\n";
    for (std::size_t i = 0; i < n; ++i) {
        const SitePromotions& s = p.by_site[i];
        std::uint64_t old_deaths = 0, live = 0;
        for (const AgeCount& a : s.survivor_age) {
            if (a.age > 0) old_deaths += a.died;
            live += a.live_at_end;
        }
        out << "  " << right(with_commas(s.promoted), 10) << right(with_commas(old_deaths), 14)
            << right(with_commas(live), 8) << "  " << left(fit(s.type, type_w), type_w) << "  "
            << fit(site_or_none(s.site), site_w) << '\n';
    }
    if (p.by_site.size() > n)
        out << "  … and " << p.by_site.size() - n << " more sites (--top N lists more)\n";
}

void write_memory_text(const RunResult& r, std::ostream& out) {
    const RunProfile& p = r.profile;
    if (r.timeline.empty()) return;
    out << "\nMemory over time (" << with_commas(r.timeline.size())
        << (r.timeline.size() == 1 ? " sample" : " samples") << ", largest per column)\n";
    constexpr std::size_t kBars = 60;
    out << "  " << left("live bytes", 20)
        << spark(bucket_max(r.timeline, kBars, &TimelineSample::live_bytes)) << '\n';
    out << "  " << left("cyclic garbage", 20)
        << spark(bucket_max(r.timeline, kBars, &TimelineSample::cyclic_garbage_bytes)) << '\n';
    out << "  " << left("peak live", 20) << human_bytes(p.peak_live_bytes.value) << " at event "
        << with_commas(p.peak_live_bytes.event) << '\n';
    out << "  " << left("peak cyclic garbage", 20)
        << human_bytes(p.peak_cyclic_garbage_bytes.value);
    if (p.peak_cyclic_garbage_bytes.value > 0)
        out << " at event " << with_commas(p.peak_cyclic_garbage_bytes.event);
    out << " (unreachable, not yet collected)\n";
    if (p.marking.samples_carried > 0)
        out << "  (" << with_commas(p.marking.samples_carried)
            << " samples repeat an earlier garbage measurement: the heap was too large to mark "
               "at each)\n";
}

void write_at_peak_text(const RunResult& r, std::ostream& out, std::size_t top) {
    const AtPeak& a = r.profile.at_peak;
    if (a.by_site.empty()) return;
    out << "\nLive at the peak: " << human_bytes(a.live_bytes) << " at event "
        << with_commas(a.event) << " (by type and site)\n";
    std::vector<SiteUsage> rows(a.by_site.begin(),
                                a.by_site.begin() + shown(a.by_site.size(), top));
    usage_table(rows, out);
}

void write_temporaries_text(const RunResult& r, std::ostream& out, std::size_t top) {
    const std::vector<SiteUsage>& t = r.profile.temporaries;
    if (t.empty()) return;
    out << "\nTemporaries (freed by reference counting within " << r.profile.temporary_window
        << " events of their allocation)\n";
    std::vector<SiteUsage> rows(t.begin(), t.begin() + shown(t.size(), top));
    usage_table(rows, out);
}

void write_what_if_text(const RunResult& r, std::ostream& out) {
    const std::vector<SlotsWhatIf>& w = r.profile.slots_what_if;
    if (w.empty()) return;
    out << "\nWhat if (at the peak)\n";
    for (const SlotsWhatIf& s : w) {
        const std::string line =
            "  " + s.type + " with __slots__ (" + std::to_string(s.attributes) +
            (s.attributes == 1 ? " attribute" : " attributes") + "): saves " +
            human_bytes(s.bytes_saved) + " of " + human_bytes(s.bytes) + " (" +
            with_commas(s.objects) + (s.objects == 1 ? " object)" : " objects)");
        out << fit(line, kWidth) << '\n';
    }
}

}  // namespace heapsim

// The CSV tables of a report, one per `--table NAME` (docs/report.md, "CSV").
// Text fields (ids, types, sites, paths) are quoted as RFC 4180 says when
// they hold a comma, a quote or a line break.

#include <functional>
#include <string>
#include <utility>

#include "report/report.h"
#include "report/report_profile.h"

namespace heapsim {

namespace {

std::string q(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void timeline(const RunResult& r, std::ostream& out) {
    out << "event,time_ns,live_objects,live_bytes,cyclic_garbage_bytes,garbage_measured_at,"
           "count0,count1,count2\n";
    for (const TimelineSample& t : r.timeline)
        out << t.event << ',' << t.time_ns << ',' << t.live_objects << ',' << t.live_bytes << ','
            << t.cyclic_garbage_bytes << ',' << t.garbage_measured_at << ',' << t.gc_count[0] << ','
            << t.gc_count[1] << ',' << t.gc_count[2] << '\n';
}

void leaks(const RunResult& r, std::ostream& out) {
    out << "id,type,site,bytes,reason,held_by,finalizer,path\n";
    for (const LeakRecord& l : r.leaks)
        out << q(l.id) << ',' << q(l.type) << ',' << q(l.site) << ',' << l.bytes << ','
            << leak_reason_name(l.reason) << ',' << q(l.held_by) << ',' << q(l.finalizer) << ','
            << q(path_text(r.paths.path(l.path))) << '\n';
}

void leak_groups(const RunResult& r, std::ostream& out) {
    out << "reason,held_by,type,site,objects,bytes,alive_q1,alive_q2,alive_q3,alive_end,growing,"
           "example,path\n";
    for (const LeakGroup& g : r.leak_groups) {
        const auto& a = g.alive_at_quarters;
        out << leak_reason_name(g.reason) << ',' << q(g.held_by) << ',' << q(g.type) << ','
            << q(g.site) << ',' << g.objects << ',' << g.bytes << ',' << a[0] << ',' << a[1] << ','
            << a[2] << ',' << a[3] << ',' << (g.growing() ? "true" : "false") << ','
            << q(g.example_id) << ',' << q(path_text(r.paths.path(g.path))) << '\n';
    }
}

void survivor_ages(const RunResult& r, std::ostream& out) {
    out << "type,site,age,died,live_at_end\n";
    for (const AgeCount& a : r.profile.promotions.survivor_age)
        out << ",," << a.age << ',' << a.died << ',' << a.live_at_end << '\n';
    for (const SitePromotions& s : r.profile.promotions.by_site)
        for (const AgeCount& a : s.survivor_age)
            out << q(s.type) << ',' << q(s.site) << ',' << a.age << ',' << a.died << ','
                << a.live_at_end << '\n';
}

void promotions(const RunResult& r, std::ostream& out) {
    out << "type,site,promoted\n";
    for (const SitePromotions& s : r.profile.promotions.by_site)
        out << q(s.type) << ',' << q(s.site) << ',' << s.promoted << '\n';
}

void usage(const std::vector<SiteUsage>& rows, std::ostream& out) {
    out << "type,site,objects,bytes\n";
    for (const SiteUsage& u : rows)
        out << q(u.type) << ',' << q(u.site) << ',' << u.objects << ',' << u.bytes << '\n';
}

using Writer = std::function<void(const RunResult&, std::ostream&)>;
const std::pair<const char*, Writer> kTables[] = {
    {"collections", [](const RunResult& r, std::ostream& o) { write_csv_report(r, o); }},
    {"timeline", timeline},
    {"leaks", leaks},
    {"leak-groups", leak_groups},
    {"survivor-ages", survivor_ages},
    {"promotions", promotions},
    {"at-peak", [](const RunResult& r, std::ostream& o) { usage(r.profile.at_peak.by_site, o); }},
    {"temporaries", [](const RunResult& r, std::ostream& o) { usage(r.profile.temporaries, o); }},
};

}  // namespace

void write_csv_table(const RunResult& result, const std::string& table, std::ostream& out) {
    for (const auto& [name, write] : kTables)
        if (table == name) return write(result, out);
    write_csv_report(result, out);
}

std::string csv_table_names() {
    std::string out;
    for (const auto& [name, write] : kTables) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

bool is_csv_table(const std::string& name) {
    for (const auto& [n, write] : kTables)
        if (name == n) return true;
    return false;
}

}  // namespace heapsim

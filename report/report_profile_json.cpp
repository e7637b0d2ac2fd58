// The JSON of the run's profile (sim/run_profile.h): retention paths,
// promotions and survivor ages, peaks, what was live at the peak,
// temporaries and what-if figures. Field shapes: docs/report.md.

#include "report/report.h"

namespace heapsim {

using nlohmann::ordered_json;

namespace {

ordered_json ages_json(const std::vector<AgeCount>& ages) {
    ordered_json out = ordered_json::array();
    for (const AgeCount& a : ages)
        out.push_back(
            ordered_json{{"age", a.age}, {"died", a.died}, {"live_at_end", a.live_at_end}});
    return out;
}

ordered_json usage_json(const std::vector<SiteUsage>& rows) {
    ordered_json out = ordered_json::array();
    for (const SiteUsage& u : rows)
        out.push_back(ordered_json{
            {"type", u.type}, {"site", u.site}, {"objects", u.objects}, {"bytes", u.bytes}});
    return out;
}

ordered_json peak_json(const PeakPoint& p) {
    return ordered_json{{"event", p.event}, {"value", p.value}};
}

}  // namespace

ordered_json retention_path_json(const RetentionPath& path) {
    ordered_json out = ordered_json::array();
    for (const RetentionStep& s : path) {
        if (s.elided > 0) {
            out.push_back(ordered_json{{"elided", s.elided}});
        } else if (!s.name.empty()) {
            out.push_back(ordered_json{{"name", s.name}});
        } else {
            ordered_json step{{"id", s.id}, {"type", s.type}};
            if (s.has_key) step["key"] = s.key;
            out.push_back(std::move(step));
        }
    }
    return out;
}

void add_promotions_json(ordered_json& j, const Promotions& p) {
    j["total"] = p.total;
    j["survivor_age"] = ages_json(p.survivor_age);
    ordered_json sites = ordered_json::array();
    for (const SitePromotions& s : p.by_site)
        sites.push_back(ordered_json{{"type", s.type},
                                     {"site", s.site},
                                     {"promoted", s.promoted},
                                     {"survivor_age", ages_json(s.survivor_age)}});
    j["by_site"] = std::move(sites);
}

void add_profile_json(ordered_json& doc, const RunResult& r) {
    const RunProfile& p = r.profile;
    doc["peaks"] = ordered_json{{"live_bytes", peak_json(p.peak_live_bytes)},
                                {"cyclic_garbage_bytes", peak_json(p.peak_cyclic_garbage_bytes)}};
    doc["at_peak"] = ordered_json{{"event", p.at_peak.event},
                                  {"live_bytes", p.at_peak.live_bytes},
                                  {"by_site", usage_json(p.at_peak.by_site)}};
    doc["temporaries"] = usage_json(p.temporaries);
    doc["temporary_window_events"] = p.temporary_window;
    ordered_json what_if = ordered_json::array();
    for (const SlotsWhatIf& w : p.slots_what_if)
        what_if.push_back(ordered_json{{"what", "__slots__"},
                                       {"type", w.type},
                                       {"objects", w.objects},
                                       {"attributes", w.attributes},
                                       {"bytes", w.bytes},
                                       {"bytes_saved", w.bytes_saved}});
    doc["what_if"] = std::move(what_if);
    doc["garbage_marking"] = ordered_json{{"marks", p.marking.marks},
                                          {"visits", p.marking.visits},
                                          {"samples_carried", p.marking.samples_carried}};
}

}  // namespace heapsim

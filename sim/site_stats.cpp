#include "sim/site_stats.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace heapsim {

std::uint32_t SiteStats::add(TypeId type, Sym site) {
    std::uint32_t* head = &first_without_site_;
    if (site != kNoSym) {
        // Grows once per new site symbol, never per event.
        if (first_by_site_.size() <= site) first_by_site_.resize(std::size_t{site} + 1, kNoEntry);
        head = &first_by_site_[site];
    }
    if (entries_.size() >= kNoEntry) return kNoEntry;
    const auto e = static_cast<std::uint32_t>(entries_.size());
    Entry en;
    en.type = type;
    en.site = site;
    en.next = *head;
    entries_.push_back(std::move(en));
    *head = e;  // `head` may point into first_by_site_, which did not move since
    return e;
}

// Grows once per new age of an entry (at most kMaxAge + 1 times).
void SiteStats::grow_ages(Entry& en, std::uint32_t age) {
    en.ages.resize(std::size_t{age} + 1, {0, 0});
}

void SiteStats::on_live_at_end(std::uint32_t word) {
    const std::uint32_t e = word & kIndexMask;
    if (e != kNoEntry) count_age(entries_[e], age(word), 1);
}

namespace {

void add_ages(std::vector<AgeCount>& out, const std::vector<std::array<std::uint64_t, 2>>& ages) {
    for (std::size_t a = 0; a < ages.size(); ++a) {
        if (ages[a][0] == 0 && ages[a][1] == 0) continue;
        auto it = std::lower_bound(out.begin(), out.end(), a,
                                   [](const AgeCount& c, std::size_t age) { return c.age < age; });
        if (it == out.end() || it->age != a)
            it = out.insert(it, AgeCount{static_cast<std::uint32_t>(a), 0, 0});
        it->died += ages[a][0];
        it->live_at_end += ages[a][1];
    }
}

/// Sorts by `value` descending, then type and site; keeps the first `top`.
template <typename T, typename Value>
std::uint64_t sort_and_cut(std::vector<T>& items, std::size_t top, Value value) {
    std::sort(items.begin(), items.end(), [&](const T& a, const T& b) {
        if (value(a) != value(b)) return value(a) > value(b);
        return std::tie(a.type, a.site) < std::tie(b.type, b.site);
    });
    if (top == 0 || items.size() <= top) return 0;
    const std::uint64_t omitted = items.size() - top;
    items.resize(top);
    return omitted;
}

}  // namespace

void SiteStats::fill(RunProfile& p, const TypeTable& types, const SymbolTable& symbols,
                     std::size_t top, std::uint64_t promoted_total) const {
    const auto type_name = [&](const Entry& en) {
        return std::string(symbols.str(types[en.type].name));
    };
    const auto site_name = [&](const Entry& en) {
        return en.site == kNoSym ? std::string() : std::string(symbols.str(en.site));
    };
    // The live figures at the peak: now, except for the entries changed since.
    std::vector<std::array<std::uint64_t, 2>> at_peak(entries_.size());
    for (std::size_t e = 0; e < entries_.size(); ++e)
        at_peak[e] = {entries_[e].live_objects, entries_[e].live_bytes};
    for (const Saved& s : journal_) at_peak[s.entry] = {s.objects, s.bytes};

    p.promotions.total = promoted_total;
    p.temporary_window = kTemporaryWindow;
    // Several entries can share (type name, site name) only through names
    // that are distinct symbols; merge by name so the report is by name.
    std::map<std::pair<std::string, std::string>, std::size_t> promo_index, peak_index, temp_index;
    std::map<TypeId, std::array<std::uint64_t, 2>> peak_by_type;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
        const Entry& en = entries_[e];
        add_ages(p.promotions.survivor_age, en.ages);
        const std::pair<std::string, std::string> key{type_name(en), site_name(en)};
        if (en.promoted > 0) {
            auto [it, fresh] = promo_index.try_emplace(key, p.promotions.by_site.size());
            if (fresh) p.promotions.by_site.push_back(SitePromotions{key.first, key.second, 0, {}});
            SitePromotions& sp = p.promotions.by_site[it->second];
            sp.promoted += en.promoted;
            add_ages(sp.survivor_age, en.ages);
        }
        if (at_peak[e][0] > 0) {
            auto [it, fresh] = peak_index.try_emplace(key, p.at_peak.by_site.size());
            if (fresh) p.at_peak.by_site.push_back(SiteUsage{key.first, key.second, 0, 0});
            p.at_peak.by_site[it->second].objects += at_peak[e][0];
            p.at_peak.by_site[it->second].bytes += at_peak[e][1];
            peak_by_type[en.type][0] += at_peak[e][0];
            peak_by_type[en.type][1] += at_peak[e][1];
        }
        if (en.temp_objects > 0) {
            auto [it, fresh] = temp_index.try_emplace(key, p.temporaries.size());
            if (fresh) p.temporaries.push_back(SiteUsage{key.first, key.second, 0, 0});
            p.temporaries[it->second].objects += en.temp_objects;
            p.temporaries[it->second].bytes += en.temp_bytes;
        }
    }
    p.promotions.sites_omitted =
        sort_and_cut(p.promotions.by_site, top, [](const SitePromotions& s) { return s.promoted; });
    sort_and_cut(p.at_peak.by_site, top, [](const SiteUsage& s) { return s.bytes; });
    sort_and_cut(p.temporaries, top, [](const SiteUsage& s) { return s.bytes; });

    // __slots__ what-if: a __dict__ instance is 56 bytes in this model, a
    // __slots__ one 32 + 8 per slot (cpython-gc.md, sizes table; type_table.cpp).
    for (const auto& [type, live] : peak_by_type) {
        const TypeInfo& t = types[type];
        if (t.layout != Layout::Instance || t.slots >= 0 || t.base_size == 0) continue;
        const std::uint64_t attributes = t.key_index.size();
        const std::uint64_t slotted = 32 + 8 * attributes;
        const std::uint64_t per_object = live[1] / live[0];
        if (slotted >= per_object) continue;
        p.slots_what_if.push_back(SlotsWhatIf{std::string(symbols.str(t.name)), live[0], attributes,
                                              live[1], (per_object - slotted) * live[0]});
    }
    std::sort(p.slots_what_if.begin(), p.slots_what_if.end(),
              [](const SlotsWhatIf& a, const SlotsWhatIf& b) {
                  if (a.bytes_saved != b.bytes_saved) return a.bytes_saved > b.bytes_saved;
                  return a.type < b.type;
              });
    if (p.slots_what_if.size() > 5) p.slots_what_if.resize(5);
}

}  // namespace heapsim

// What the HTML page embeds (docs/report.md, "HTML"): the JSON report, with
// the arrays that grow with the trace thinned so that the page stays small
// (a few MB at most) however long the run. The page shows at most
// kHtmlRows rows per table, so only those leaks and leak groups are
// embedded; of more than kHtmlCollections collections, the longest pause of
// each generation in each of kHtmlCollections / 3 consecutive runs of
// collections is embedded, and what the charts draw from every collection
// (the pause histogram, promotions per collection) is computed here over
// all of them. An `html` object says what was left out; a report within
// the limits is embedded whole, without it.
#include "report/html_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "report/report.h"

namespace heapsim {

using nlohmann::ordered_json;

namespace {

// The pause histogram as the page draws it (report.html, pauses()): 24
// bins, log-spaced when the pauses span more than 20x.
ordered_json pause_histogram(const std::vector<CollectionRecord>& cs) {
    std::uint64_t lo = UINT64_MAX, hi = 0;
    for (const CollectionRecord& c : cs) {
        lo = std::min(lo, c.pause_ns);
        hi = std::max(hi, c.pause_ns);
    }
    const bool log = lo > 0 && static_cast<double>(hi) / static_cast<double>(lo) > 20;
    const std::size_t n = hi > lo ? 24 : 1;
    const auto value = [log](std::uint64_t v) {
        return log ? std::log(static_cast<double>(std::max<std::uint64_t>(v, 1)))
                   : static_cast<double>(v);
    };
    const double a = value(lo), b = value(hi);
    std::vector<std::array<std::uint64_t, 3>> bins(n, {0, 0, 0});
    for (const CollectionRecord& c : cs) {
        std::size_t k = 0;
        if (n > 1) {
            const double at =
                std::floor((value(c.pause_ns) - a) / (b - a) * static_cast<double>(n));
            k = std::min(n - 1, static_cast<std::size_t>(std::max(at, 0.0)));
        }
        ++bins[k][static_cast<std::size_t>(std::min(c.generation, 2))];
    }
    ordered_json counts = ordered_json::array();
    for (const auto& b3 : bins) counts.push_back(ordered_json::array({b3[0], b3[1], b3[2]}));
    return ordered_json{{"lo_ns", lo}, {"hi_ns", hi}, {"log", log}, {"bins", std::move(counts)}};
}

// Objects promoted per collection, summed over at most 120 consecutive
// groups (report.html, grouped()).
ordered_json promoted_groups(const std::vector<CollectionRecord>& cs) {
    const std::size_t size = std::max<std::size_t>(1, (cs.size() + 119) / 120);
    ordered_json out = ordered_json::array();
    for (std::size_t i = 0; i < cs.size(); i += size) {
        const std::size_t last = std::min(cs.size(), i + size) - 1;
        std::uint64_t sum = 0;
        for (std::size_t j = i; j <= last; ++j) sum += cs[j].promoted;
        out.push_back(ordered_json{{"first", i}, {"last", last}, {"sum", sum}});
    }
    return out;
}

// Indices of the collections embedded: in each of kHtmlCollections / 3
// consecutive runs, the longest pause of each generation (the first on ties).
std::vector<std::size_t> chosen_collections(const std::vector<CollectionRecord>& cs) {
    const std::size_t runs = kHtmlCollections / 3;
    std::vector<std::size_t> out;
    for (std::size_t r = 0; r < runs; ++r) {
        const std::size_t from = r * cs.size() / runs, to = (r + 1) * cs.size() / runs;
        std::array<std::size_t, 3> best{SIZE_MAX, SIZE_MAX, SIZE_MAX};
        for (std::size_t i = from; i < to; ++i) {
            std::size_t& b = best[static_cast<std::size_t>(std::min(cs[i].generation, 2))];
            if (b == SIZE_MAX || cs[i].pause_ns > cs[b].pause_ns) b = i;
        }
        std::sort(best.begin(), best.end());
        for (std::size_t i : best)
            if (i != SIZE_MAX) out.push_back(i);
    }
    return out;
}

}  // namespace

ordered_json html_report_data(const RunResult& r) {
    ordered_json doc = report_json_without_entries(r);
    ordered_json html = ordered_json::object();
    if (r.collections.size() > kHtmlCollections) {
        const std::vector<std::size_t> chosen = chosen_collections(r.collections);
        for (std::size_t i : chosen)
            doc["collections"].push_back(report_collection_json(r, r.collections[i]));
        html["collections"] = r.collections.size();
        html["collections_embedded"] = chosen.size();
        html["pause_histogram"] = pause_histogram(r.collections);
        html["promoted_groups"] = promoted_groups(r.collections);
    } else {
        for (const CollectionRecord& c : r.collections)
            doc["collections"].push_back(report_collection_json(r, c));
    }
    const std::size_t leaks = std::min(r.leaks.size(), kHtmlRows);
    for (std::size_t i = 0; i < leaks; ++i) doc["leaks"].push_back(report_leak_json(r, r.leaks[i]));
    if (leaks < r.leaks.size()) {
        html["leaks"] = r.leaks.size();
        html["leaks_embedded"] = leaks;
    }
    const std::size_t groups = std::min(r.leak_groups.size(), kHtmlRows);
    for (std::size_t i = 0; i < groups; ++i)
        doc["leak_groups"].push_back(report_leak_group_json(r, r.leak_groups[i]));
    if (groups < r.leak_groups.size()) {
        html["leak_groups"] = r.leak_groups.size();
        html["leak_groups_embedded"] = groups;
    }
    if (!html.empty()) doc["html"] = std::move(html);
    return doc;
}

}  // namespace heapsim

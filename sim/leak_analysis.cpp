// End of run: why each live object is still alive.
//
// Roots are the bound names (in order of first appearance), objects still
// holding their creation reference, and gc.garbage. Whatever no root reaches
// is kept alive only by reference cycles: exactly what the cyclic collector
// would have to clean up (or could not, when a legacy finalizer is involved).
#include <algorithm>
#include <map>
#include <tuple>

#include "sim/heap.h"

namespace heapsim {

namespace {

enum Mark : std::uint8_t { kNone, kFromName, kFromTemp, kFromGarbage, kLegacyCycle };

int reason_rank(LeakReason r) { return static_cast<int>(r); }

}  // namespace

void Heap::analyse_leaks(RunResult& r) const {
    const std::size_t n = objects_.capacity();
    std::vector<std::uint8_t> mark(n, kNone);
    std::vector<Sym> held_by(n, kNoSym);
    std::vector<Handle> queue;

    auto flood = [&](Handle start, Mark m, Sym root) {
        if (mark[start] != kNone) return;
        mark[start] = m;
        held_by[start] = root;
        queue.assign(1, start);
        while (!queue.empty()) {
            const Handle h = queue.back();
            queue.pop_back();
            for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
                const Handle t = edge(h, k).target;
                if (mark[t] != kNone) continue;
                mark[t] = m;
                held_by[t] = root;
                queue.push_back(t);
            }
        }
    };
    for (Sym name = 0; name < names_.size(); ++name)
        if (names_[name] != kNoHandle) flood(names_[name], kFromName, name);
    for (Handle h = kListCount; h < n; ++h)
        if ((objects_[h].flags & flag::kLive) && (objects_[h].flags & flag::kCreationRef))
            flood(h, kFromTemp, objects_[h].id);
    for (Handle h : garbage_) flood(h, kFromGarbage, kNoSym);
    // Unreachable garbage that a collection would find uncollectable.
    for (Handle h = kListCount; h < n; ++h)
        if ((objects_[h].flags & flag::kLive) && mark[h] == kNone &&
            types_[objects_[h].type].legacy_finalizer)
            flood(h, kLegacyCycle, kNoSym);

    for (Handle h = kListCount; h < n; ++h) {
        const Object& o = objects_[h];
        if (!(o.flags & flag::kLive) || (o.flags & flag::kHidden)) continue;
        LeakRecord rec;
        rec.id = std::string(symbols_.str(o.id));
        rec.type = std::string(symbols_.str(types_[o.type].name));
        rec.site = o.site == kNoSym ? "" : std::string(symbols_.str(o.site));
        rec.bytes = o.bytes;
        switch (mark[h]) {
            case kFromName:
                rec.reason = LeakReason::LiveAtEnd;
                rec.held_by = std::string(symbols_.str(held_by[h]));
                break;
            case kFromTemp:
                if (o.flags & flag::kCreationRef) {
                    rec.reason = LeakReason::NeverStored;
                } else {
                    rec.reason = LeakReason::LiveAtEnd;
                    rec.held_by = std::string(symbols_.str(held_by[h])) + " (never stored)";
                }
                break;
            case kFromGarbage:
            case kLegacyCycle: rec.reason = LeakReason::Uncollectable; break;
            default: rec.reason = LeakReason::Cycle; break;
        }
        r.leaks.push_back(std::move(rec));
    }
    std::stable_sort(r.leaks.begin(), r.leaks.end(), [](const LeakRecord& a, const LeakRecord& b) {
        return reason_rank(a.reason) < reason_rank(b.reason);
    });

    std::map<std::tuple<int, std::string, std::string>, LeakGroup> groups;
    for (const auto& l : r.leaks) {
        LeakGroup& g = groups[{reason_rank(l.reason), l.site, l.type}];
        g.reason = l.reason;
        g.site = l.site;
        g.type = l.type;
        ++g.objects;
        g.bytes += l.bytes;
    }
    for (auto& [key, g] : groups) r.leak_groups.push_back(g);
    std::stable_sort(r.leak_groups.begin(), r.leak_groups.end(),
                     [](const LeakGroup& a, const LeakGroup& b) {
                         if (a.bytes != b.bytes) return a.bytes > b.bytes;
                         return a.objects > b.objects;
                     });
}

}  // namespace heapsim

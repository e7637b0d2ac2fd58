// End of run: why each live object is still alive.
//
// Roots are the bound names (in order of first appearance), objects still
// holding their creation reference, and gc.garbage. Whatever no root reaches
// is kept alive only by reference cycles: exactly what the cyclic collector
// would have to clean up (or could not, when a legacy finalizer is involved).
#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "sim/heap.h"

namespace heapsim {

namespace {

enum Mark : std::uint8_t { kNone, kFromName, kFromTemp, kFromGarbage, kLegacyCycle };

int reason_rank(LeakReason r) {
    return static_cast<int>(r);
}

LeakReason leak_reason(std::uint8_t mark, std::uint16_t flags) {
    switch (mark) {
        case kFromName:
            return LeakReason::LiveAtEnd;
        case kFromTemp:
            return (flags & flag::kCreationRef) ? LeakReason::NeverStored : LeakReason::LiveAtEnd;
        case kFromGarbage:
        case kLegacyCycle:
            return LeakReason::Uncollectable;
        default:
            return LeakReason::Cycle;
    }
}

}  // namespace

LeakRecord Heap::leak_record(Handle h, std::uint8_t mark, Sym held_by) const {
    const Object& o = objects_[h];
    LeakRecord rec;
    rec.id = std::string(symbols_.str(o.id));
    rec.type = std::string(symbols_.str(types_[o.type].name));
    const Sym site = site_of(h);
    rec.site = site == kNoSym ? "" : std::string(symbols_.str(site));
    rec.bytes = o.bytes;
    rec.reason = leak_reason(mark, o.flags);
    if (rec.reason == LeakReason::LiveAtEnd) {
        rec.held_by = std::string(symbols_.str(held_by));
        if (mark == kFromTemp) rec.held_by += " (never stored)";
    }
    return rec;
}

// The retention path (report-schema.md): none for a never-stored object.
void Heap::add_retention(LeakReason reason, Handle h, const RetentionForest& f, PathBuilder& b,
                         PathRef& path, std::string& finalizer) const {
    if (reason == LeakReason::NeverStored) return;
    path = retention_path(f, b, h);
    const std::uint32_t g = f.gidx(h);
    if (reason == LeakReason::Uncollectable && g != RetentionForest::kUnreached &&
        f.finalizer[g] != kNoHandle)
        finalizer = std::string(symbols_.str(objects_[f.finalizer[g]].id));
}

void Heap::analyse_leaks(RunResult& r) {
    const std::size_t key_index_bytes = drop_key_indexes();
    const std::size_t n = objects_.capacity();
    // Nothing per handle of its own at the run's memory peak: the marks are
    // measure_garbage's (which assigns them afresh after this), the root
    // that holds an object is in its collector scratch (gc_refs: every
    // collection sets it before reading it).
    std::vector<std::uint8_t>& mark = marks_;
    mark.assign(n, kNone);
    const auto held_by = [&](Handle h) -> Sym& { return objects_[h].gc_refs; };
    std::vector<Handle>& queue = mark_stack_;

    auto flood = [&](Handle start, Mark m, Sym root) {
        if (mark[start] != kNone) return;
        mark[start] = m;
        held_by(start) = root;
        queue.assign(1, start);
        while (!queue.empty()) {
            const Handle h = queue.back();
            queue.pop_back();
            for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
                const Handle t = edge(h, k).target;
                if (mark[t] != kNone) continue;
                mark[t] = m;
                held_by(t) = root;
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

    // Groups count every leaked object; individual records stop at the
    // configured cap (reasons in rank order), so a run ending with millions
    // of live objects does not need memory for millions of records.
    // A group is (reason, root, site, type); the root is a name symbol, or a
    // temporary's id (held_by ends in " (never stored)"), for live-at-end only.
    struct Key {
        int reason;
        Sym root;
        bool temp;
        Sym site, type;
        auto operator<=>(const Key&) const = default;
    };
    // Quarter points of the trace, by event number (docs/report.md, "growth").
    const std::array<std::uint64_t, 3> quarter = {(event_number_ + 3) / 4, (event_number_ + 1) / 2,
                                                  (3 * event_number_ + 3) / 4};
    // A group's counts while the heap is scanned: its strings come once the
    // scan is over (a LeakGroup is four times the size, and there are as
    // many groups as roots, sites and types: 78,134 at 5M live).
    struct Tally {
        LeakReason reason;
        Handle example;  // the object with the shortest path, then the lowest handle
        std::uint64_t objects = 0, bytes = 0;
        std::array<std::uint64_t, 4> alive_at_quarters{};
    };
    std::map<Key, Tally> by_symbols;
    const RetentionForest forest = retention();
    // The forest keeps depths in the marks' upper bits.
    const auto mark_of = [&](Handle h) {
        return static_cast<std::uint8_t>(mark[h] & RetentionForest::kMarkMask);
    };
    std::array<std::vector<Handle>, 4> by_reason;
    for (Handle h = kListCount; h < n; ++h) {
        const Object& o = objects_[h];
        if (!(o.flags & flag::kLive) || (o.flags & flag::kHidden)) continue;
        const LeakReason reason = leak_reason(mark_of(h), o.flags);
        const bool reachable = reason == LeakReason::LiveAtEnd;
        const Key key{reason_rank(reason), reachable ? held_by(h) : kNoSym,
                      reachable && mark_of(h) == kFromTemp, site_of(h), types_[o.type].name};
        const auto [it, fresh] = by_symbols.try_emplace(key, Tally{reason, h});
        Tally& g = it->second;
        if (!fresh && forest.length(h) < forest.length(g.example)) g.example = h;
        ++g.objects;
        g.bytes += o.bytes;
        for (int q = 0; q < 3; ++q)
            if (o.born <= quarter[q]) ++g.alive_at_quarters[q];
        ++g.alive_at_quarters[3];
        if (by_reason[reason_rank(reason)].size() < options_.max_leak_records)
            by_reason[reason_rank(reason)].push_back(h);
    }
    PathBuilder builder(r.paths, symbols_);
    // Exactly as many records as are made: grown by doubling, the vector
    // would hold the old and the new array at once, at the run's peak.
    std::size_t records = 0;
    for (const std::vector<Handle>& handles : by_reason) records += handles.size();
    r.leaks.reserve(r.leaks.size() +
                    std::min<std::size_t>(records, options_.max_leak_records - r.leaks.size()));
    for (const std::vector<Handle>& handles : by_reason) {
        for (Handle h : handles) {
            if (r.leaks.size() == options_.max_leak_records) break;
            r.leaks.push_back(leak_record(h, mark_of(h), held_by(h)));
            add_retention(r.leaks.back().reason, h, forest, builder, r.leaks.back().path,
                          r.leaks.back().finalizer);
        }
    }
    for (const auto& [key, g] : by_symbols) r.leaks_omitted += g.objects;
    r.leaks_omitted -= r.leaks.size();

    analysis_use_ = {
        {"end of run: key indexes, freed before the analysis (which reuses them)", key_index_bytes},
        {"end of run: retention forest (garbage's arrays, deep checkpoints; the rest in the "
         "objects)",
         forest.bytes()},
        {"end of run: breadth-first queue (its widest frontier, freed before the records)",
         forest.queue_bytes},
        {"end of run: path memo (reported objects only)",
         builder.memo.size() * (sizeof(Handle) + sizeof(PathRef) + 2 * sizeof(void*))},
        {"end of run: leak groups by symbols (map nodes)",
         by_symbols.size() * (sizeof(Key) + sizeof(Tally) + 4 * sizeof(void*))},
    };
    // Ordered by strings, not symbol numbers, so the order does not depend
    // on when a name was first interned. Each group moves from one map to
    // the next and into the report, freeing as it goes: there can be many
    // (one per root, site and type), and the run's memory peak is here.
    using Named = std::map<std::tuple<int, std::string, std::string, std::string>, LeakGroup>;
    Named groups;
    for (auto it = by_symbols.begin(); it != by_symbols.end(); it = by_symbols.erase(it)) {
        const Key& key = it->first;
        const Tally& tally = it->second;
        LeakGroup named;
        named.reason = tally.reason;
        named.objects = tally.objects;
        named.bytes = tally.bytes;
        named.alive_at_quarters = tally.alive_at_quarters;
        named.site = key.site == kNoSym ? "" : std::string(symbols_.str(key.site));
        named.type = std::string(symbols_.str(key.type));
        const Handle ex = tally.example;
        named.example_id = std::string(symbols_.str(objects_[ex].id));
        add_retention(named.reason, ex, forest, builder, named.path, named.finalizer);
        if (key.root != kNoSym)
            named.held_by =
                std::string(symbols_.str(key.root)) + (key.temp ? " (never stored)" : "");
        std::tuple<int, std::string, std::string, std::string> order{key.reason, named.held_by,
                                                                     named.site, named.type};
        groups[std::move(order)] = std::move(named);
    }
    // Largest first (bytes, then objects), ties in the strings' order: a
    // stable sort of small entries, then each group moved once.
    struct Rank {
        std::uint64_t bytes, objects;
        Named::iterator group;
    };
    std::vector<Rank> ranks;
    ranks.reserve(groups.size());
    for (auto it = groups.begin(); it != groups.end(); ++it)
        ranks.push_back({it->second.bytes, it->second.objects, it});
    std::stable_sort(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        return a.objects > b.objects;
    });
    r.leak_groups.reserve(r.leak_groups.size() + ranks.size());
    for (const Rank& rank : ranks) {
        r.leak_groups.push_back(std::move(rank.group->second));
        groups.erase(rank.group);
    }
}

}  // namespace heapsim

#include "sweep/pareto.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "report/units.h"
#include "sweep/configuration.h"

namespace heapsim::sweep {

namespace {

bool dominates(const RunPoint& a, const RunPoint& b) {
    const bool no_worse = a.gc_time_ns <= b.gc_time_ns && a.peak_live_bytes <= b.peak_live_bytes &&
                          a.p99_pause_ns <= b.p99_pause_ns;
    const bool better = a.gc_time_ns < b.gc_time_ns || a.peak_live_bytes < b.peak_live_bytes ||
                        a.p99_pause_ns < b.p99_pause_ns;
    return no_worse && better;
}

/// One configuration over every trace of the sweep.
struct Candidate {
    std::string config;
    std::uint64_t first_run = 0;
    std::uint64_t traces = 0;
    bool within_budgets = true;
    std::uint64_t gc_time_ns = 0;       // summed over traces
    std::uint64_t peak_live_bytes = 0;  // the largest over traces
    std::uint64_t p99_pause_ns = 0;     // the largest over traces
};

std::string change(std::uint64_t from, std::uint64_t to) {
    if (from == 0) return to == 0 ? "same" : "up from 0";
    char buf[32];
    const double pct = (double(to) - double(from)) / double(from) * 100.0;
    std::snprintf(buf, sizeof buf, "%+.1f%%", pct);
    return buf;
}

}  // namespace

std::vector<std::uint64_t> pareto_frontier(const std::vector<RunPoint>& points) {
    std::vector<std::uint64_t> out;
    for (const RunPoint& p : points) {
        const bool beaten = std::any_of(points.begin(), points.end(), [&](const RunPoint& q) {
            return q.trace == p.trace && dominates(q, p);
        });
        if (!beaten) out.push_back(p.run);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<Recommendation> recommend(const std::vector<RunPoint>& points) {
    std::uint64_t traces = 0;
    for (const RunPoint& p : points) traces = std::max(traces, p.trace + 1);
    // Candidates in order of first appearance, so ties go to the first.
    std::vector<Candidate> candidates;
    std::map<std::string, std::size_t> index;
    std::vector<RunPoint> sorted = points;
    std::sort(sorted.begin(), sorted.end(),
              [](const RunPoint& a, const RunPoint& b) { return a.run < b.run; });
    for (const RunPoint& p : sorted) {
        auto [it, fresh] = index.try_emplace(p.config, candidates.size());
        if (fresh) candidates.push_back(Candidate{p.config, p.run});
        Candidate& c = candidates[it->second];
        ++c.traces;
        c.within_budgets = c.within_budgets && p.within_budgets;
        c.gc_time_ns += p.gc_time_ns;
        c.peak_live_bytes = std::max(c.peak_live_bytes, p.peak_live_bytes);
        c.p99_pause_ns = std::max(c.p99_pause_ns, p.p99_pause_ns);
    }
    const Candidate* best = nullptr;
    std::size_t eligible = 0;
    for (const Candidate& c : candidates) {
        // A configuration some trace lacks a run of (a grid listing it
        // twice still has one per trace) cannot be weighed fairly.
        if (!c.within_budgets || c.traces < traces) continue;
        ++eligible;
        const auto key = [](const Candidate* x) {
            return std::tuple(x->gc_time_ns, x->peak_live_bytes, x->p99_pause_ns);
        };
        if (best == nullptr || key(&c) < key(best)) best = &c;
    }
    if (best == nullptr) return std::nullopt;

    const std::string over = traces > 1 ? " over " + std::to_string(traces) + " traces" : "";
    std::string why = best->config + " spends the least time in collections of the " +
                      std::to_string(eligible) + " configuration" + (eligible == 1 ? "" : "s") +
                      " within the budgets: " + human_duration(best->gc_time_ns) + over +
                      ", p99 pause " + human_duration(best->p99_pause_ns) + ", peak live " +
                      human_bytes(best->peak_live_bytes);
    const Checked<Configuration> parsed = parse_configuration(best->config);
    const std::string default_spec = parsed ? canonical_spec(default_of(*parsed)) : "";
    const auto found = index.find(default_spec);
    if (default_spec == best->config) {
        why += "; it is the default, and no other setting does better.";
    } else if (found == index.end() || candidates[found->second].traces < traces) {
        why += "; the default " + default_spec + " is not in the grid to weigh it against.";
    } else {
        const Candidate& d = candidates[found->second];
        why += "; against the default " + d.config + ": GC time " + human_duration(d.gc_time_ns) +
               " -> " + human_duration(best->gc_time_ns) + " (" +
               change(d.gc_time_ns, best->gc_time_ns) + "), peak live " +
               human_bytes(d.peak_live_bytes) + " -> " + human_bytes(best->peak_live_bytes) + " (" +
               change(d.peak_live_bytes, best->peak_live_bytes) + "), p99 pause " +
               human_duration(d.p99_pause_ns) + " -> " + human_duration(best->p99_pause_ns) + " (" +
               change(d.p99_pause_ns, best->p99_pause_ns) + ").";
    }
    return Recommendation{best->first_run, why};
}

}  // namespace heapsim::sweep

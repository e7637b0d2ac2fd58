#include "report/report_thresholds.h"

#include "report/units.h"

namespace heapsim {

namespace {

/// Under the refcount policy no collector runs, so thresholds mean nothing.
bool has_collector(const RunResult& r) {
    return r.policy != std::string("refcount");
}

}  // namespace

std::string thresholds_text(const std::array<std::int64_t, 3>& t) {
    return std::to_string(t[0]) + ", " + std::to_string(t[1]) + ", " + std::to_string(t[2]);
}

std::string policy_text(const RunResult& r) {
    if (!has_collector(r)) return r.policy + " (no cyclic collector)";
    // gc.set_threshold(0) disables automatic collection (gcmodule.c, gc_collect_generations
    // is never reached while threshold 0 is 0); explicit collect events still run.
    return r.policy + " (thresholds " + thresholds_text(r.thresholds) +
           (r.thresholds[0] == 0 ? ": automatic collection off)" : ")");
}

std::optional<std::string> threshold_events_text(const RunResult& r) {
    if (r.threshold_events == 0) return std::nullopt;
    const std::string n = with_commas(r.threshold_events);
    if (!has_collector(r)) return n + " (no effect: no cyclic collector)";
    if (!r.trace_thresholds_followed)
        return n + " ignored (trace-thresholds=ignore): " + thresholds_text(r.thresholds) +
               " throughout";
    std::string out = n + " applied; in force at the end: " + thresholds_text(r.thresholds_at_end);
    if (r.thresholds_at_end[0] == 0) out += " (automatic collection off)";
    return out;
}

}  // namespace heapsim

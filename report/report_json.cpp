// The heapsim-report/1 JSON document. Field names and order are the schema's
// (shared spec report-schema.md); the fields after `timeline` are heapsim's
// additions, which the schema allows.

#include "report/report.h"

namespace heapsim {

using nlohmann::ordered_json;

namespace {

ordered_json counts(const std::array<std::uint64_t, 3>& c) {
    return ordered_json::array({c[0], c[1], c[2]});
}

ordered_json pause_json(const PauseStats& p) {
    return ordered_json{{"count", p.count},   {"total_ns", p.total_ns}, {"p50_ns", p.p50_ns},
                        {"p95_ns", p.p95_ns}, {"p99_ns", p.p99_ns},     {"max_ns", p.max_ns}};
}

ordered_json summary_json(const Summary& s) {
    return ordered_json{{"objects_allocated", s.objects_allocated},
                        {"freed_by_refcount", s.freed_by_refcount},
                        {"collected_by_gc", s.collected_by_gc},
                        {"uncollectable", s.uncollectable},
                        {"live_at_end", s.live_at_end},
                        {"peak_live_objects", s.peak_live_objects},
                        {"peak_live_bytes", s.peak_live_bytes},
                        {"final_count", counts(s.final_count)},
                        {"collections", counts(s.collections)},
                        {"expect_failures", s.expect_failures}};
}

ordered_json collection_json(const CollectionRecord& c) {
    return ordered_json{{"seq", c.seq},
                        {"event", c.event},
                        {"generation", c.generation},
                        {"trigger", trigger_name(c.trigger)},
                        {"collected", c.collected},
                        {"uncollectable", c.uncollectable},
                        {"scanned", c.scanned},
                        {"promoted", c.promoted},
                        {"pause_ns", c.pause_ns}};
}

ordered_json leak_json(const RetentionPathStore& paths, const LeakRecord& l) {
    ordered_json j{{"id", l.id},
                   {"type", l.type},
                   {"site", l.site},
                   {"bytes", l.bytes},
                   {"reason", leak_reason_name(l.reason)}};
    if (!l.held_by.empty()) j["held_by"] = l.held_by;
    j["path"] = retention_path_json(paths.path(l.path));
    if (!l.finalizer.empty()) j["finalizer"] = l.finalizer;
    return j;
}

ordered_json timeline_json(const TimelineSample& t) {
    return ordered_json{{"event", t.event},
                        {"time_ns", t.time_ns},
                        {"live_objects", t.live_objects},
                        {"live_bytes", t.live_bytes},
                        {"gc_count", counts(t.gc_count)},
                        {"cyclic_garbage_bytes", t.cyclic_garbage_bytes},
                        {"garbage_measured_at", t.garbage_measured_at}};
}

ordered_json collection_entry_json(const CollectionRecord& c, bool incremental) {
    ordered_json j = collection_json(c);
    // 3.14.0: the marking step's objects, and whether this increment only marked.
    if (incremental) {
        j["marked"] = c.marked;
        j["mark_only"] = c.mark_only;
    }
    return j;
}

ordered_json leak_group_json(const RetentionPathStore& paths, const LeakGroup& g) {
    ordered_json j{{"reason", leak_reason_name(g.reason)},
                   {"garbage", is_garbage(g.reason)},
                   {"site", g.site},
                   {"type", g.type},
                   {"objects", g.objects},
                   {"bytes", g.bytes}};
    if (!g.held_by.empty()) j["held_by"] = g.held_by;
    const auto& q = g.alive_at_quarters;
    j["alive_at_quarters"] = ordered_json::array({q[0], q[1], q[2], q[3]});
    j["growing"] = g.growing();
    j["example"] = g.example_id;
    j["path"] = retention_path_json(paths.path(g.path));
    if (!g.finalizer.empty()) j["finalizer"] = g.finalizer;
    return j;
}

template <typename T, typename F>
ordered_json array_of(const std::vector<T>& items, F&& to_json) {
    ordered_json out = ordered_json::array();
    for (const T& item : items) out.push_back(to_json(item));
    return out;
}

}  // namespace

ordered_json report_summary_json(const RunResult& r) {
    return summary_json(r.summary);
}

ordered_json report_pauses_json(const RunResult& r) {
    return ordered_json{{"gen0", pause_json(r.pauses[0])},
                        {"gen1", pause_json(r.pauses[1])},
                        {"gen2", pause_json(r.pauses[2])},
                        {"all", pause_json(r.pauses_all)}};
}

namespace {

// The document; with `streamed`, collections, leaks and leak_groups are
// left empty for write_json_report to write entry by entry.
ordered_json report_document(const RunResult& r, bool streamed) {
    ordered_json doc;
    doc["schema"] = kReportSchema;
    doc["trace"] = ordered_json{{"path", r.trace_path}, {"events", r.events}};
    doc["policy"] = ordered_json{
        {"name", r.policy},
        {"thresholds", ordered_json::array({r.thresholds[0], r.thresholds[1], r.thresholds[2]})},
        {"trace_thresholds", r.trace_thresholds_followed ? "follow" : "ignore"},
        {"threshold_events", r.threshold_events},
        {"threshold_events_applied", r.threshold_events_applied},
        {"thresholds_at_end", ordered_json::array({r.thresholds_at_end[0], r.thresholds_at_end[1],
                                                   r.thresholds_at_end[2]})},
        {"collector", r.collector},
        {"provenance", r.provenance}};
    doc["summary"] = summary_json(r.summary);
    const bool incremental = r.collector == "incremental";
    doc["collections"] = streamed
                             ? ordered_json::array()
                             : array_of(r.collections, [incremental](const CollectionRecord& c) {
                                   return collection_entry_json(c, incremental);
                               });
    doc["weakref_callbacks"] = array_of(r.weakref_callbacks, [](const WeakrefCallbackRecord& w) {
        return ordered_json{{"event", w.event}, {"weakref", w.weakref}, {"label", w.label}};
    });
    doc["finalizers"] = array_of(r.finalizers, [](const FinalizerRecord& f) {
        return ordered_json{{"event", f.event}, {"id", f.id}};
    });
    doc["leaks"] =
        streamed ? ordered_json::array()
                 : array_of(r.leaks, [&r](const LeakRecord& l) { return leak_json(r.paths, l); });
    if (r.leaks_omitted != 0) doc["leaks_omitted"] = r.leaks_omitted;
    doc["pauses"] = report_pauses_json(r);
    doc["promotions"] =
        ordered_json{{"gen0_to_gen1", r.promoted[0]}, {"gen1_to_gen2", r.promoted[1]}};
    add_promotions_json(doc["promotions"], r.profile.promotions);
    doc["timeline"] = array_of(r.timeline, timeline_json);

    doc["leak_groups"] =
        streamed ? ordered_json::array() : array_of(r.leak_groups, [&r](const LeakGroup& g) {
            return leak_group_json(r.paths, g);
        });
    const auto totals = [&](bool garbage) {
        const LeakTotals t = leak_totals(leak_section(r, garbage));
        return ordered_json{{"objects", t.objects}, {"bytes", t.bytes}};
    };
    doc["garbage"] = totals(true);
    doc["reachable_at_end"] = totals(false);
    ordered_json skipped = ordered_json::object();
    for (const SkippedEvents& s : r.skipped) skipped[s.kind] = s.count;
    doc["skipped_events"] = std::move(skipped);
    if (!r.skipped.empty()) {
        ordered_json lines = ordered_json::object();
        for (const SkippedEvents& s : r.skipped) lines[s.kind] = s.first_lines;
        doc["skipped_event_lines"] = std::move(lines);
    }
    doc["pause_model"] = ordered_json{{"name", r.pause_model}, {"source", r.pause_model_source}};
    doc["expect_failures"] = array_of(r.expect_failures, [](const ExpectFailure& e) {
        return ordered_json{{"event", e.event}, {"line", e.line}, {"message", e.message}};
    });
    add_profile_json(doc, r);
    return doc;
}

}  // namespace

ordered_json report_json(const RunResult& r) {
    return report_document(r, false);
}

namespace {

// Sites and labels are arbitrary bytes: replace invalid UTF-8 rather than throw.
std::string dumped(const ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// `text` (a value dumped at indentation 0) as it reads nested `depth` levels
// deep: strings hold no raw newline, so every newline starts a line of the
// value.
void write_indented(std::ostream& out, const std::string& text, std::size_t depth) {
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
        out.write(text.data() + from, static_cast<std::streamsize>(nl + 1 - from));
        out << std::string(2 * depth, ' ');
        from = nl + 1;
    }
    out.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
}

// An array of the top-level object, one entry built and written at a time.
template <typename T, typename F>
void write_array(std::ostream& out, const std::vector<T>& items, F&& to_json) {
    if (items.empty()) {
        out << "[]";
        return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out << "    ";
        write_indented(out, dumped(to_json(items[i])), 2);
        out << (i + 1 < items.size() ? ",\n" : "\n");
    }
    out << "  ]";
}

}  // namespace

// Byte for byte report_json(result).dump(2) and a newline, but the arrays
// that grow with the trace (collections, leaks with their paths, leak
// groups) are written entry by entry instead of held as one document.
void write_json_report(const RunResult& result, std::ostream& out) {
    const ordered_json doc = report_document(result, true);
    const bool incremental = result.collector == "incremental";
    out << "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : doc.items()) {
        out << "  " << dumped(ordered_json(key)) << ": ";
        if (key == "collections")
            write_array(out, result.collections, [incremental](const CollectionRecord& c) {
                return collection_entry_json(c, incremental);
            });
        else if (key == "leaks")
            write_array(out, result.leaks,
                        [&result](const LeakRecord& l) { return leak_json(result.paths, l); });
        else if (key == "leak_groups")
            write_array(out, result.leak_groups,
                        [&result](const LeakGroup& g) { return leak_group_json(result.paths, g); });
        else
            write_indented(out, dumped(value), 1);
        out << (++i < doc.size() ? ",\n" : "\n");
    }
    out << "}\n";
}

ordered_json report_json_without_entries(const RunResult& r) {
    return report_document(r, true);
}

ordered_json report_collection_json(const RunResult& r, const CollectionRecord& c) {
    return collection_entry_json(c, r.collector == "incremental");
}

ordered_json report_leak_json(const RunResult& r, const LeakRecord& l) {
    return leak_json(r.paths, l);
}

ordered_json report_leak_group_json(const RunResult& r, const LeakGroup& g) {
    return leak_group_json(r.paths, g);
}

}  // namespace heapsim

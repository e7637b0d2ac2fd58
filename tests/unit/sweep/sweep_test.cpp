// Sweeps end to end in the library: runs equal to single replays, output
// independent of the thread count, shards merged back byte for byte, parts
// that do not belong together refused, worker errors returned as values.
#include "sweep/sweep_runner.h"

#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/replay.h"
#include "report/report.h"
#include "sweep/grid.h"
#include "sweep/junit.h"
#include "sweep/merge.h"
#include "sweep/sweep_report.h"

#include "../temp_file.h"

using namespace heapsim;
using namespace heapsim::sweep;

namespace {

using test::TempFile;

/// Nodes in cycles, dropped in batches, with a threshold call: collections
/// depend on the thresholds, and the trace's own threshold event matters.
std::string cyclic_trace() {
    std::ostringstream t;
    t << "heaptrace 1\ntype Node instance\n";
    int ts = 0;
    for (int i = 0; i < 300; ++i) {
        t << "@" << (ts += 1000) << " alloc a" << i << " Node site=app.py:" << (i % 7) << "\n";
        t << "bind x a" << i << "\nalloc b" << i << " Node\n";
        t << "set a" << i << " next b" << i << "\nset b" << i << " next a" << i << "\n";
        t << "unbind x\n";
        if (i == 150) t << "threshold 50\n";
    }
    return t.str();
}

std::vector<Configuration> grid(const std::vector<const char*>& axes_text) {
    std::vector<GridAxis> axes;
    for (const char* a : axes_text) axes.push_back(*parse_grid_axis(a));
    return *expand_grid(*parse_configuration_spec("cpython-3.11"), axes);
}

std::string document_text(const SweepReport& report) {
    std::ostringstream out;
    write_sweep_json(sweep_document(report), out);
    return out.str();
}

SweepReport run(const SweepPlan& plan, std::optional<PartInfo> part = std::nullopt) {
    SweepOutcome o = run_sweep(plan);
    REQUIRE_FALSE(o.failure.has_value());
    return make_sweep_report(std::move(o.traces), std::move(o.runs), std::move(part));
}

}  // namespace

TEST_CASE("each run equals a single replay of its configuration, for any thread count") {
    const TempFile trace(cyclic_trace());
    SweepPlan plan;
    plan.traces = {trace.path, trace.path};
    plan.configs = grid({"threshold0=10,100,1000", "threshold1=1,10"});
    plan.configs[1].policy.follow_trace_thresholds = false;
    plan.threads = 1;
    const SweepReport one = run(plan);
    plan.threads = 3;
    const SweepReport three = run(plan);
    CHECK(document_text(one) == document_text(three));
    REQUIRE(one.runs.size() == 12);
    for (const SweepRun& r : one.runs) {
        CAPTURE(r.spec);
        const ReplayOutcome single = replay_trace(trace.path, replay_options(r.config, false));
        REQUIRE(single.result.has_value());
        const auto report = report_json(*single.result);
        CHECK(r.json.at("summary") == report.at("summary"));
        CHECK(r.json.at("pauses") == report.at("pauses"));
        CHECK(r.run == r.trace * 6 + (&r - &one.runs[r.trace * 6]));
    }
    // The thresholds matter here, so the comparison above is not vacuous.
    CHECK(one.runs[0].metrics.collections != one.runs[4].metrics.collections);
    CHECK(one.runs[0].json.at("trace_thresholds") == "follow");
    CHECK(one.runs[1].json.at("trace_thresholds") == "ignore");
}

TEST_CASE("shards merge back into the unsharded document, byte for byte") {
    const TempFile trace(cyclic_trace());
    SweepPlan plan;
    plan.traces = {trace.path};
    plan.configs = grid({"threshold0=10..1000:log:5"});
    plan.budgets.add({BudgetKind::MaxPeakBytes, 1 << 20, 0});
    const std::string whole = document_text(run(plan));
    std::vector<std::string> specs;
    for (const Configuration& c : plan.configs) specs.push_back(canonical_spec(c));
    const std::string id = sweep_id(plan.traces, specs, plan.budgets, false);
    std::vector<MergePart> parts;
    for (std::uint64_t k = 1; k <= 3; ++k) {
        plan.shard = Shard{k, 3};
        const SweepReport part = run(plan, PartInfo{plan.shard, id, plan.total_runs()});
        parts.push_back({"part" + std::to_string(k) + ".json", document_text(part)});
    }
    // In any order.
    std::swap(parts[0], parts[2]);
    const auto merged = merge_parts(parts);
    REQUIRE_MESSAGE(merged.ok(), merged.error());
    std::ostringstream out;
    write_sweep_json(*merged, out);
    CHECK(out.str() == whole);

    SUBCASE("a missing shard") {
        parts.pop_back();
        CHECK(merge_parts(parts).error() == "missing shard 1/3 of sweep " + id);
    }
    SUBCASE("a duplicated shard") {
        parts[1] = parts[0];
        parts[1].name = "copy.json";
        CHECK(merge_parts(parts).error() == "part3.json and copy.json are both shard 3/3");
    }
    SUBCASE("a part of another sweep") {
        plan.shard = Shard{2, 3};
        plan.budgets = Budgets{};
        const std::string other_id = sweep_id(plan.traces, specs, plan.budgets, false);
        parts[1] = {"other.json",
                    document_text(run(plan, PartInfo{plan.shard, other_id, plan.total_runs()}))};
        CHECK(merge_parts(parts).error().starts_with(
            "other.json belongs to a different sweep than part3.json"));
    }
    SUBCASE("a whole document, or not JSON") {
        parts[1] = {"whole.json", whole};
        CHECK(
            merge_parts(parts).error().starts_with("whole.json: a whole sweep, not a shard part"));
        parts[1] = {"junk.json", "{"};
        CHECK(merge_parts(parts).error() == "junk.json: not a heapsim-sweep/1 document");
    }
}

TEST_CASE("an error inside a worker comes back as the sweep's failure") {
    const TempFile trace("heaptrace 1\ntype Node instance\nalloc a Node\nunbind nobody\n");
    SweepPlan plan;
    plan.traces = {trace.path};
    plan.configs = grid({"threshold0=1,2,3,4"});
    plan.threads = 2;
    const SweepOutcome o = run_sweep(plan);
    REQUIRE(o.failure.has_value());
    CHECK(o.failure->spec == "cpython-3.11:threshold=1,10,10");
    CHECK(o.failure->diagnostic.line == 4);
}

TEST_CASE("JUnit: one test case per run and budget; XML escaped") {
    CHECK(xml_escape("a<b>&\"c'\x01") == "a&lt;b&gt;&amp;&quot;c&apos;");
    const TempFile trace(cyclic_trace());
    SweepPlan plan;
    plan.traces = {trace.path};
    plan.configs = grid({"threshold0=10,1000"});
    plan.budgets.add({BudgetKind::MaxP99Pause, 1, 0});
    plan.budgets.add({BudgetKind::MaxPeakBytes, 1 << 30, 0});
    std::ostringstream out;
    write_junit(run(plan), "heapsim sweep", out);
    const std::string xml = out.str();
    CHECK(xml.find("<testsuites name=\"heapsim sweep\" tests=\"4\" failures=\"2\"") !=
          std::string::npos);
    CHECK(xml.find("name=\"run 1 cpython-3.11:threshold=1000,10,10 max-peak-bytes\"/>") !=
          std::string::npos);
}

TEST_CASE("freeze-at=N: a gc.freeze() after event N keeps what existed out of every collection") {
    const TempFile trace(cyclic_trace());
    const auto plain = parse_configuration("cpython-3.11:threshold=10,10,10");
    const auto frozen = parse_configuration("cpython-3.11:threshold=10,10,10:freeze-at=900");
    REQUIRE((plain.ok() && frozen.ok()));
    const ReplayOutcome a = replay_trace(trace.path, replay_options(*plain, false));
    const ReplayOutcome b = replay_trace(trace.path, replay_options(*frozen, false));
    REQUIRE((a.result && b.result));
    // The cycles made before event 900 are frozen: never collected, left as garbage.
    CHECK(b.result->summary.collected_by_gc < a.result->summary.collected_by_gc);
    CHECK(b.result->summary.live_at_end > a.result->summary.live_at_end);
}

// The workload profiles (gen --profile web|cache|cycles): valid and
// Python-expressible traces, a pure function of the seed, ids reused exactly
// when their objects are dead (so bounded for any length), and a generator
// whose memory follows the live set, not the number of events.
#include "workloads/workload.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "replay_text.h"
#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"
#include "workloads/random_trace.h"

using namespace heapsim;

namespace {

constexpr WorkloadProfile kProfiles[] = {WorkloadProfile::Web, WorkloadProfile::Cache,
                                         WorkloadProfile::Cycles};

const char* profile_name(WorkloadProfile p) {
    return p == WorkloadProfile::Web ? "web" : p == WorkloadProfile::Cache ? "cache" : "cycles";
}

std::string generate(WorkloadProfile profile, std::uint64_t seed, std::uint64_t events,
                     std::uint64_t live = 0) {
    WorkloadOptions options;
    options.seed = seed;
    options.events = events;
    options.live = live;
    std::ostringstream out;
    write_workload_trace(profile, options, out);
    return out.str();
}

using test::Replay;
using test::replay;

/// An independent check of what a Python program could name: every event
/// names only ids bound to a name or still holding their creation reference,
/// an id is reused only once no name and no creation reference holds it, and
/// timestamps never go back. (The simulator checks that a reused id is dead.)
std::string python_nameable(const std::string& text) {
    std::set<std::string> creation;
    std::map<std::string, std::string> name_target;
    std::map<std::string, int> names_of;
    std::uint64_t last_time = 0;
    auto nameable = [&](const std::string& id) { return creation.count(id) || names_of[id] > 0; };
    std::istringstream in(text);
    std::uint64_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.empty() || line[0] == '#' || line == "heaptrace 1") continue;
        std::istringstream words(line);
        std::vector<std::string> t;
        for (std::string w; words >> w;) t.push_back(w);
        if (t[0][0] == '@') {
            const auto time = std::stoull(t[0].substr(1));
            if (time < last_time) return std::to_string(line_no) + ": time goes back";
            last_time = time;
            t.erase(t.begin());
        }
        const std::string where = std::to_string(line_no) + ": `" + line + "`";
        auto need = [&](const std::string& id) {
            return nameable(id) ? "" : where + " names " + id;
        };
        const std::string& ev = t[0];
        std::string problem;
        if (ev == "alloc" || ev == "weakref") {
            if (nameable(t[1])) return where + " reuses a nameable id";
            for (std::size_t i = 2 + (ev == "alloc");
                 i < t.size() && t[i].find('=') == std::string::npos; ++i) {
                problem = need(t[i]);
                if (!problem.empty()) return problem;
                if (ev == "alloc") creation.erase(t[i]);
            }
            creation.insert(t[1]);
        } else if (ev == "bind") {
            problem = need(t[2]);
            creation.erase(t[2]);
            ++names_of[t[2]];
            if (name_target.count(t[1])) --names_of[name_target[t[1]]];
            name_target[t[1]] = t[2];
        } else if (ev == "unbind") {
            if (!name_target.count(t[1])) return where + " unbinds an unbound name";
            --names_of[name_target[t[1]]];
            name_target.erase(t[1]);
        } else if (ev == "set" || ev == "append") {
            const std::string& value = ev == "set" ? t[3] : t[2];
            problem = need(t[1]);
            if (problem.empty()) problem = need(value);
            creation.erase(value);
        } else if (ev == "drop") {
            if (!creation.count(t[1])) return where + " drops a stored object";
            creation.erase(t[1]);
        } else if (ev == "unset" || ev == "clear") {
            problem = need(t[1]);
        } else if (ev != "type" && ev != "collect" && ev != "gc" && ev != "threshold") {
            return where + " is an unexpected event";
        }
        if (!problem.empty()) return problem;
    }
    if (!creation.empty()) return "temporaries left at the end";
    return "";
}

/// An ostream that only counts what it is given: a long trace without
/// keeping it.
class CountingBuf : public std::streambuf {
  public:
    std::uint64_t bytes = 0;

  protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return c;
    }
};

WorkloadStats stats_of(WorkloadProfile profile, std::uint64_t events, std::uint64_t live = 0) {
    CountingBuf buf;
    std::ostream out(&buf);
    WorkloadOptions options;
    options.events = events;
    options.seed = 5;
    options.live = live;
    const WorkloadStats stats = write_workload_trace(profile, options, out);
    CHECK(buf.bytes > events * 8);
    return stats;
}

void check_valid(const Replay& run) {
    for (std::size_t i = 0; i < run.diagnostics.size() && i < 5; ++i)
        FAIL_CHECK("diagnostic " << run.diagnostics[i]);
    CHECK(run.diagnostics.empty());
    for (std::size_t i = 0; i < run.result.expect_failures.size() && i < 5; ++i)
        FAIL_CHECK("line " << run.result.expect_failures[i].line << ": "
                           << run.result.expect_failures[i].message);
    CHECK(run.result.expect_failures.empty());
}

}  // namespace

TEST_CASE("workload: profile names") {
    CHECK(workload_profile_by_name("web") == WorkloadProfile::Web);
    CHECK(workload_profile_by_name("cache") == WorkloadProfile::Cache);
    CHECK(workload_profile_by_name("cycles") == WorkloadProfile::Cycles);
    CHECK(workload_profile_by_name("mixed") == WorkloadProfile::Mixed);
    CHECK_FALSE(workload_profile_by_name("Web"));
}

TEST_CASE("workload: the mixed profile is the random trace, legacy finalizers included") {
    for (const bool legacy : {false, true}) {
        CAPTURE(legacy);
        RandomTraceOptions random;
        random.events = 3000;
        random.seed = 4;
        random.legacy_finalizers = legacy;
        std::ostringstream expected;
        write_random_trace(random, expected);
        WorkloadOptions options;
        options.events = 3000;
        options.seed = 4;
        options.legacy_finalizers = legacy;
        std::ostringstream out;
        const WorkloadStats stats = write_workload_trace(WorkloadProfile::Mixed, options, out);
        CHECK(out.str() == expected.str());
        CHECK((out.str().find("legacy_finalizer") != std::string::npos) == legacy);
        CHECK(out.str().ends_with("# end events=" + std::to_string(stats.events) + "\n"));
        CHECK(stats.events >= 3000);
        CHECK(out.str().find(" o" + std::to_string(stats.distinct_ids) + " ") != std::string::npos);
        CHECK(out.str().find(" o" + std::to_string(stats.distinct_ids + 1) + " ") ==
              std::string::npos);
    }
}

TEST_CASE("workload: a seed gives the same bytes, another seed or profile other bytes") {
    for (const WorkloadProfile p : kProfiles) {
        CAPTURE(profile_name(p));
        const std::string a = generate(p, 7, 5000);
        CHECK(a == generate(p, 7, 5000));
        CHECK(a != generate(p, 8, 5000));
        CHECK(a.find(std::string("profile ") + profile_name(p) + ", seed 7") != std::string::npos);
        CHECK(a.find("\n@") != std::string::npos);  // timestamped
    }
    CHECK(generate(WorkloadProfile::Web, 7, 5000) != generate(WorkloadProfile::Cycles, 7, 5000));
}

TEST_CASE(
    "workload: every profile replays cleanly and stays nameable, at several seeds and sizes") {
    for (const WorkloadProfile p : kProfiles) {
        for (const std::uint64_t events : {1ull, 300ull, 5000ull, 30000ull}) {
            for (const std::uint64_t seed : {1ull, 2ull, 3ull}) {
                CAPTURE(profile_name(p));
                CAPTURE(events);
                CAPTURE(seed);
                const std::string text = generate(p, seed, events);
                const Replay run = replay(text);
                check_valid(run);
                CHECK(python_nameable(text) == "");
                CHECK(run.events >= events);
                CHECK(run.events <= events + events / 20 + 400);  // a structure is finished
                CHECK(run.result.summary.final_count == std::array<std::uint64_t, 3>{0, 0, 0});
            }
        }
    }
}

TEST_CASE("workload: the checks above are not vacuous") {
    CHECK(python_nameable("alloc a list\nalloc b list\nappend a b\nappend a b\ndrop a\n") != "");
    CHECK(python_nameable("alloc a list\ndrop a\nalloc a dict\ndrop a\n") == "");  // id reuse
    CHECK(python_nameable("alloc a list\nbind x a\nalloc a dict\n") != "");
    CHECK(python_nameable("@5 alloc a list\n@4 drop a\n") != "");
    const Replay live_reuse = replay(
        "heaptrace 1\nalloc a list\nbind x a\nalloc b list\nset b k a\n"
        "unbind x\nalloc a dict\ndrop a\n");
    CHECK_FALSE(live_reuse.diagnostics.empty());  // a is still held by b
}

TEST_CASE("workload: web is mostly reference counting, with a few cycles") {
    const Replay run = replay(generate(WorkloadProfile::Web, 11, 60000));
    check_valid(run);
    const Summary& s = run.result.summary;
    MESSAGE("web: allocated " << s.objects_allocated << ", refcount " << s.freed_by_refcount
                              << ", gc " << s.collected_by_gc << ", peak live "
                              << s.peak_live_objects << ", collections "
                              << run.result.collections.size());
    CHECK(s.freed_by_refcount > s.objects_allocated * 9 / 10);
    CHECK(s.collected_by_gc > 0);
    CHECK(s.peak_live_objects < 4000);
    CHECK(run.result.finalizers.size() > 0);  // spans, and handlers in cycles
}

TEST_CASE("workload: cache grows to its live target, evicts, and calls weakref callbacks") {
    const std::uint64_t live = 20000;
    const Replay run = replay(generate(WorkloadProfile::Cache, 3, 120000, live));
    check_valid(run);
    const Summary& s = run.result.summary;
    MESSAGE("cache: peak live " << s.peak_live_objects << ", live at end " << s.live_at_end
                                << ", callbacks " << run.result.weakref_callbacks.size());
    CHECK(s.peak_live_objects >= live);
    CHECK(s.peak_live_objects <= live + live / 10 + 200);
    CHECK(s.live_at_end >= live - live / 10);
    CHECK(s.freed_by_refcount > 2 * live);  // evictions turned the cache over
    CHECK(run.result.weakref_callbacks.size() > 100);
}

TEST_CASE("workload: cycles keeps the collector busy") {
    const Replay run = replay(generate(WorkloadProfile::Cycles, 4, 60000));
    check_valid(run);
    const RunResult& r = run.result;
    MESSAGE("cycles: collected " << r.summary.collected_by_gc << ", collections "
                                 << r.collections.size() << ", finalizers " << r.finalizers.size()
                                 << ", callbacks " << r.weakref_callbacks.size());
    CHECK(r.summary.collected_by_gc > r.summary.objects_allocated / 2);
    CHECK(r.summary.collections[0] > 0);
    CHECK(r.summary.collections[1] > 0);
    CHECK(r.summary.collections[2] > 10);
    CHECK(r.finalizers.size() > 100);
    CHECK(r.weakref_callbacks.size() > 10);
    CHECK(r.summary.uncollectable == 0);
}

TEST_CASE("workload: distinct ids and symbols do not grow with the trace") {
    for (const WorkloadProfile p : {WorkloadProfile::Web, WorkloadProfile::Cycles}) {
        CAPTURE(profile_name(p));
        const Replay shorter = replay(generate(p, 9, 250000));
        const Replay longer = replay(generate(p, 9, 500000));
        check_valid(longer);
        MESSAGE(std::string(profile_name(p))
                << ": symbols " << shorter.symbols << " at 250k events, " << longer.symbols
                << " at 500k");
        CHECK(longer.symbols < 8000);
        CHECK(longer.symbols < shorter.symbols + shorter.symbols / 4);
    }
    const WorkloadStats m1 = stats_of(WorkloadProfile::Web, 1000000);
    const WorkloadStats m2 = stats_of(WorkloadProfile::Web, 2000000);
    MESSAGE("web distinct ids: " << m1.distinct_ids << " at 1M events, " << m2.distinct_ids
                                 << " at 2M");
    // The bound: module state, one request, and the cycles a collect awaits.
    CHECK(m1.distinct_ids < 6400);
    CHECK(m2.distinct_ids < 6400);
    CHECK(m2.distinct_ids < m1.distinct_ids + m1.distinct_ids / 2);
    CHECK(m2.full_collects > 2 * m1.full_collects - 3);  // the points of cycle id reuse
}

TEST_CASE("workload: the generator's tracked state follows the live set, not the length") {
    for (const WorkloadProfile p : kProfiles) {
        CAPTURE(profile_name(p));
        const WorkloadStats small = stats_of(p, 400000, 5000);
        const WorkloadStats large = stats_of(p, 1600000, 5000);
        MESSAGE(std::string(profile_name(p))
                << ": tracked " << small.peak_tracked << " at 400k events, " << large.peak_tracked
                << " at 1.6M");
        CHECK(large.events >= 1600000);
        CHECK(large.peak_tracked < small.peak_tracked + small.peak_tracked / 3);
        CHECK(large.distinct_ids < small.distinct_ids + small.distinct_ids / 3);
    }
    // cache: the tracked state is the cache, whose size --live sets.
    const WorkloadStats cache = stats_of(WorkloadProfile::Cache, 400000, 50000);
    CHECK(cache.peak_tracked >= 50000);
    CHECK(cache.peak_tracked < 50000 + 5000 + 1000);
}

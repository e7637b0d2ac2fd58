// The parse overlapped with the replays (GrowingTrace, GrowingReplay,
// replay_while_loading): readers that start while the trace loads must see
// exactly the events a whole load holds, in order, and every run must give
// the outcome replay_loaded gives, byte for byte; a bad event or an
// exception in the middle of the load must stop them all with it.
#include "engine/growing_replay.h"

#include <doctest/doctest.h>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/buffered_replay.h"
#include "engine/overlapped_replay.h"
#include "report/report.h"
#include "workloads/random_trace.h"

#include "../temp_file.h"

using namespace heapsim;

namespace {

using test::TempFile;

std::string random_trace(std::uint64_t events, std::uint64_t seed) {
    RandomTraceOptions options;
    options.events = events;
    options.seed = seed;
    std::ostringstream out;
    write_random_trace(options, out);
    return out.str();
}

/// `bytes` without its end record ("# end events=N") nor the header's
/// promise of one, so that events can be inserted.
std::string without_end_record(std::string bytes) {
    const std::size_t end = bytes.rfind("# end ");
    REQUIRE(end != std::string::npos);
    bytes.resize(end);
    const std::string promise = "# end-record: promised\n";
    if (const std::size_t p = bytes.find(promise); p != std::string::npos)
        bytes.erase(p, promise.size());
    return bytes;
}

/// Passes events on to `inner`, letting other threads run every few events
/// (so readers catch up with the loader and wait for it), and calling
/// `at(n)` before the n-th event (a test's rendezvous or failure).
class PacedSink final : public EventSink {
  public:
    PacedSink(EventSink& inner, std::function<void(std::uint64_t)> at)
        : inner_(inner), at_(std::move(at)) {}
    bool on_event(const Event& event) override {
        if (at_) at_(++n_);
        if (n_ % 512 == 0) std::this_thread::yield();
        return inner_.on_event(event);
    }
    bool on_error(const Diagnostic& d) override { return inner_.on_error(d); }

  private:
    EventSink& inner_;
    std::function<void(std::uint64_t)> at_;
    std::uint64_t n_ = 0;
};

GrowingTrace::Reader paced_reader(const std::string& bytes,
                                  std::function<void(std::uint64_t)> at = {}) {
    return [&bytes, at](SymbolTable& symbols, EventSink& sink) {
        PacedSink paced(sink, at);
        return read_trace_buffer(bytes, "t.trace", symbols, paced);
    };
}

/// The runs of `configs`, each outcome kept with the number of times it came.
struct Collected {
    std::mutex mutex;
    std::vector<ReplayOutcome> got;
    std::vector<int> calls;
    OverlappedRuns runs;
    explicit Collected(const std::vector<ReplayOptions>& configs)
        : got(configs.size()), calls(configs.size(), 0) {
        runs.count = configs.size();
        runs.options = [&configs](std::size_t i) { return configs[i]; };
        runs.done = [this](std::size_t i, ReplayOutcome outcome) {
            std::lock_guard lock(mutex);
            got[i] = std::move(outcome);
            ++calls[i];
        };
    }
};

std::string json_of(const ReplayOutcome& outcome) {
    REQUIRE(outcome.result);
    std::ostringstream out;
    write_json_report(*outcome.result, out);
    return out.str();
}

std::vector<ReplayOptions> some_configs() {
    std::vector<ReplayOptions> configs;
    for (std::int64_t t0 : {50, 300, 2000}) {
        ReplayOptions o;
        o.sim.policy = *policy_by_name("cpython-3.11");
        o.sim.policy.thresholds = {t0, 10, 10};
        configs.push_back(o);
    }
    ReplayOptions other;
    other.sim.policy = *policy_by_name("cpython-3.13");
    configs.push_back(other);
    return configs;
}

/// Walks `trace` segment by segment while it loads, with its own symbol
/// table built from the segments' strings, and checks each event against
/// the whole load of the same file.
void read_along(const GrowingTrace& trace, const LoadedTrace& whole) {
    SymbolTable mine;
    Sym next_symbol = 0;
    EventBuffer::Cursor expected = whole.events.cursor();
    Event got, want;
    std::size_t k = 0, events = 0;
    const auto same_symbol = [&](Sym a, Sym b) {
        if (a == kNoSym || b == kNoSym) return a == b;
        return mine.str(a) == whole.symbols.str(b);
    };
    while (const GrowingTrace::Segment* segment = trace.wait_segment(k++)) {
        REQUIRE(segment->symbols_begin == next_symbol);
        for (Sym s = segment->symbols_begin; s < segment->symbols_end(); ++s)
            REQUIRE(mine.intern(segment->symbol(s)) == s);
        next_symbol = segment->symbols_end();
        for (EventBuffer::Cursor cursor = segment->events.cursor(); cursor.next(got); ++events) {
            REQUIRE(expected.next(want));
            bool same = got.kind == want.kind && got.number == want.number &&
                        got.line == want.line && got.time_ns == want.time_ns &&
                        got.size == want.size && got.nvalues == want.nvalues &&
                        got.refs.size() == want.refs.size();
            for (int v = 0; v < 3; ++v) same = same && got.values[v] == want.values[v];
            for (const auto field : {&Event::id, &Event::ref, &Event::name, &Event::key,
                                     &Event::type, &Event::site, &Event::label})
                same = same && same_symbol(got.*field, want.*field);
            for (std::size_t r = 0; same && r < got.refs.size(); ++r)
                same = same_symbol(got.refs[r], want.refs[r]);
            REQUIRE_MESSAGE(same, "event " << want.number);
        }
    }
    CHECK_FALSE(expected.next(want));
    CHECK(events == whole.events.size());
    CHECK(trace.complete());
    CHECK(next_symbol == trace.symbols().size());
}

// Under the sanitizers (a replay costs ~10x) shorter traces: the same code
// paths and thread counts.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kEvents = 4000;
#else
constexpr std::uint64_t kEvents = 20000;
#endif

}  // namespace

TEST_CASE("readers see exactly the loaded events, in order, while the trace grows") {
    const std::string bytes = random_trace(kEvents, 3);
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    REQUIRE_FALSE(whole.error);
    for (std::size_t segment_events : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        CAPTURE(segment_events);
        GrowingTrace trace(file.path, segment_events);
        // A failed REQUIRE throws: caught here, not std::terminate.
        std::atomic<int> thrown{0};
        const auto reader = [&] {
            try {
                read_along(trace, whole);
            } catch (...) {
                ++thrown;
            }
        };
        std::thread a(reader), b(reader);
        trace.load(false, paced_reader(bytes));
        a.join();
        b.join();
        CHECK(thrown == 0);
        CHECK(trace.events_read() == whole.events_read);
        CHECK_FALSE(trace.error());
        // At one event per segment, the events are the segments, plus the last (empty) one.
        if (segment_events == 1) CHECK(trace.segments() == whole.events.size() + 1);
    }
}

namespace {

/// Replays `bytes` with a GrowingReplay that starts while the trace loads
/// (the loader waits for it after its first segments), to the end.
ReplayOutcome replay_during_load(const std::string& bytes, const std::string& path,
                                 const ReplayOptions& options, bool* lost_step) {
    GrowingTrace trace(path, 64);
    std::promise<void> started;
    std::shared_future<void> started_future = started.get_future().share();
    std::thread loader([&] {
        trace.load(false, paced_reader(bytes, [&](std::uint64_t n) {
                       if (n == 200) started_future.wait();
                   }));
    });
    auto replay = std::make_unique<GrowingReplay>(trace, options);
    CHECK_FALSE(trace.complete());
    started.set_value();
    while (!replay->advance(false)) trace.wait_segment(replay->next_segment());
    *lost_step = replay->lost_step();
    if (*lost_step) {
        // What the workers do: again, on the whole table.
        replay = std::make_unique<GrowingReplay>(trace, options, true);
        CHECK(replay->advance(true));
        CHECK_FALSE(replay->lost_step());
    }
    loader.join();
    return replay->take_outcome();
}

}  // namespace

TEST_CASE("a replay started while the trace loads equals the replay of the whole load") {
    const std::string bytes = random_trace(8000, 5);
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    REQUIRE_FALSE(whole.error);
    for (const ReplayOptions& options : some_configs()) {
        bool lost_step = true;
        CHECK(json_of(replay_during_load(bytes, file.path, options, &lost_step)) ==
              json_of(replay_loaded(whole, options)));
        CHECK_FALSE(lost_step);  // what the simulator interns, the loader interned first
    }
}

TEST_CASE(
    "a replay whose simulator interns a string of its own during the load runs again, the same") {
    // A dict display of 100 items makes the simulator intern index keys
    // beyond those the loader interns up front, in the middle of the trace.
    std::string bytes = without_end_record(random_trace(8000, 5));
    const std::size_t middle = bytes.find("\nalloc ", bytes.size() / 2) + 1;
    std::string display;
    for (int i = 0; i < 100; ++i) display += "alloc item" + std::to_string(i) + " int\n";
    display += "alloc bigdict dict";
    for (int i = 0; i < 100; ++i) display += " item" + std::to_string(i);
    display += "\nbind big_dict_name bigdict\n";
    bytes.insert(middle, display);
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    REQUIRE_MESSAGE(!whole.error, (whole.error ? whole.error->message : ""));
    const ReplayOptions options = some_configs()[1];
    bool lost_step = false;
    CHECK(json_of(replay_during_load(bytes, file.path, options, &lost_step)) ==
          json_of(replay_loaded(whole, options)));
    CHECK(lost_step);
}

TEST_CASE("runs overlapped with the load give replay_loaded's outcomes on 1, 2 and 3 threads") {
    const std::string bytes = random_trace(kEvents, 11);
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    const std::vector<ReplayOptions> configs = some_configs();
    std::vector<std::string> expected;
    for (const ReplayOptions& o : configs) expected.push_back(json_of(replay_loaded(whole, o)));
    for (unsigned threads : {1u, 2u, 3u}) {
        CAPTURE(threads);
        GrowingTrace trace(file.path, 256);
        Collected collected(configs);
        OverlappedRuns& runs = collected.runs;
        std::vector<ReplayOutcome>& got = collected.got;
        std::vector<int>& calls = collected.calls;
        replay_while_loading(trace, false, threads, runs);
        CHECK(trace.events_read() == whole.events_read);
        for (std::size_t i = 0; i < configs.size(); ++i) {
            CHECK(calls[i] == 1);
            CHECK(json_of(got[i]) == expected[i]);
        }
    }
}

TEST_CASE(
    "extra runs whose heaps outgrow the bound are given back and run again, with the same "
    "outcomes") {
    const std::string bytes = random_trace(kEvents, 12);
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    std::vector<ReplayOptions> configs = some_configs();
    for (std::size_t i = 0; i < 4; ++i) configs.push_back(configs[i]);
    for (std::uint64_t bound : {std::uint64_t{0}, std::uint64_t{50}}) {
        CAPTURE(bound);
        GrowingTrace trace(file.path, 64);
        Collected collected(configs);
        OverlappedRuns& runs = collected.runs;
        std::vector<ReplayOutcome>& got = collected.got;
        std::vector<int>& calls = collected.calls;
        runs.extra_live_objects = bound;
        OverlappedRuns::Counters counters;
        runs.counters = &counters;
        // Halfway through, the loader waits until the worker has started an
        // extra run and, with the bound at 0, given it back: pauses alone
        // left that to the scheduler, and a CI sanitizer run under load once
        // finished loading first. The wait is bounded, so a worker that never
        // does it fails the checks below instead of hanging.
        const auto extra_seen = [&counters, bound] {
            return bound == 0 ? counters.given_back > 0 : counters.started_while_loading >= 2;
        };
        replay_while_loading(
            trace, false, 2, runs, paced_reader(bytes, [&extra_seen](std::uint64_t n) {
                if (n != kEvents / 2) return;
                const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
                while (!extra_seen() && std::chrono::steady_clock::now() < give_up)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }));
        CHECK(extra_seen());
        // The account of the work: every run's events once, plus those the
        // given-back runs replayed for nothing.
        CHECK(counters.lost_step == 0);
        CHECK((counters.given_back == 0) == (counters.wasted_events == 0));
        CHECK(counters.started_while_loading > 0);
        CHECK(counters.loading_events + counters.after_events ==
              configs.size() * whole.events.size() + counters.wasted_events);
        for (std::size_t i = 0; i < configs.size(); ++i) {
            CHECK(calls[i] == 1);
            CHECK(json_of(got[i]) == json_of(replay_loaded(whole, configs[i])));
        }
    }
}

TEST_CASE("a bad event in the middle of the load stops every run with the reader's diagnostic") {
    std::string bytes = without_end_record(random_trace(kEvents, 6));
    const std::size_t middle = bytes.find('\n', bytes.size() / 2) + 1;
    bytes.insert(middle, "frobnicate o1\n");
    const TempFile file(bytes);
    const LoadedTrace whole = load_trace(file.path);
    REQUIRE(whole.error);
    for (unsigned threads : {1u, 2u}) {
        GrowingTrace trace(file.path, 128);
        std::atomic<int> calls{0};
        OverlappedRuns runs;
        runs.count = 4;
        runs.options = [](std::size_t) { return some_configs()[0]; };
        runs.done = [&](std::size_t, ReplayOutcome) { ++calls; };
        replay_while_loading(trace, false, threads, runs);
        REQUIRE(trace.error());
        CHECK(trace.failed());
        CHECK(trace.error()->message == whole.error->message);
        CHECK(trace.error()->line == whole.error->line);
        CHECK(calls == 0);  // no run reached the end of a trace that failed
    }
    // Lenient: the bad event is skipped and counted by every run, as in a whole load.
    const LoadedTrace lenient = load_trace(file.path, true);
    REQUIRE_FALSE(lenient.error);
    REQUIRE(lenient.skipped.size() == 1);
    GrowingTrace trace(file.path, 128);
    std::vector<ReplayOutcome> got(2);
    OverlappedRuns runs;
    runs.count = 2;
    runs.options = [](std::size_t i) {
        ReplayOptions o = some_configs()[i];
        o.lenient = true;
        return o;
    };
    runs.done = [&](std::size_t i, ReplayOutcome outcome) { got[i] = std::move(outcome); };
    replay_while_loading(trace, true, 2, runs);
    for (std::size_t i = 0; i < 2; ++i)
        CHECK(json_of(got[i]) == json_of(replay_loaded(lenient, runs.options(i))));
}

TEST_CASE("an exception in the loader releases the waiting runs, then propagates") {
    const std::string bytes = random_trace(kEvents, 8);
    GrowingTrace trace("t.trace", 64);
    std::atomic<int> calls{0};
    OverlappedRuns runs;
    runs.count = 3;
    runs.options = [](std::size_t) { return some_configs()[1]; };
    runs.done = [&](std::size_t, ReplayOutcome) { ++calls; };
    // Not through replay_while_loading's own load: the reader is the test's.
    std::thread worker_side([&] {
        GrowingReplay replay(trace, runs.options(0));
        CHECK(replay.advance(true));
        CHECK(replay.take_outcome().error);
    });
    CHECK_THROWS_AS(trace.load(false, paced_reader(bytes,
                                                   [](std::uint64_t n) {
                                                       if (n == kEvents / 2)
                                                           throw std::runtime_error("disk on fire");
                                                   })),
                    std::runtime_error);
    worker_side.join();
    REQUIRE(trace.failed());
    CHECK(trace.error()->message == "internal error: disk on fire");
    CHECK(trace.error()->kind == ErrorKind::Internal);
    CHECK(calls == 0);
}

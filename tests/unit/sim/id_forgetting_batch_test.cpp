// The heap hands dead ids back to the symbol table in batches
// (Heap::forget_ids): a trace whose ids are never reused keeps its table at
// the live objects plus one batch, which on a small heap is the batch's floor
// (docs/performance.md, "Session 8: never-reused ids at 10^8 events").
#include <doctest/doctest.h>

#include <string>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"

using namespace heapsim;

namespace {

struct Sink : EventSink {
    Simulator& sim;
    explicit Sink(Simulator& s) : sim(s) {}
    bool on_event(const Event& ev) override {
        const auto d = sim.apply(ev);
        CHECK_MESSAGE(!d, (d ? d->message : std::string()));
        return true;
    }
    bool on_error(const Diagnostic& d) override {
        FAIL_CHECK(d.message);
        return false;
    }
};

}  // namespace

TEST_CASE("never-reused ids on a small heap: the symbol table stays at the batch floor") {
    // 20,000 temporaries, each a new counter id, with one list alive
    // throughout: at most a few live objects at any time.
    std::string trace = "alloc keep list\nbind keep keep\n";
    constexpr int kObjects = 20000;
    for (int i = 1; i <= kObjects; ++i) {
        const std::string id = std::to_string(i);
        trace += "alloc " + id + " str\ndrop " + id + "\n";
    }
    trace += "expect freed 1\nexpect freed 20000\nexpect alive keep\n";

    SymbolTable symbols;
    symbols.forget_dead_ids(true);  // as the streaming `heapsim run`
    SimOptions options;
    options.policy = *policy_by_name("cpython-3.11");
    Simulator sim(options, symbols);
    Sink sink(sim);
    const ReadSummary read = read_trace_buffer(trace, "test.trace", symbols, sink);
    const RunResult r = sim.finish("test.trace", read.events);
    CHECK(r.expect_failures.empty());
    // Numbers ever handed out: the names and types, the live ids and at most
    // one batch (1k) of dead ones waiting. A 64k floor kept all 20,000.
    CHECK(symbols.size() < 1100);
    CHECK(symbols.live_size() < 1100);
    // The counters retire into one interval, and `expect freed 20000`
    // retires its id ahead of its batch: a second one.
    CHECK(symbols.retired_ids().intervals() == 2);
}

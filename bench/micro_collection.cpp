// One collection over a heap of N tracked objects, the collector's whole
// cost: a gen0 collection of N young objects (all reachable, so all are
// traversed and promoted) and a full collection of N old ones. The heap is
// a list bound to a name holding N lists (storing an object hands over its
// creation reference, so nothing is dropped), built by applying events to the
// Simulator, with automatic collection disabled so that only the measured
// `collect` runs.

#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/simulator.h"

namespace heapsim::bench {
namespace {

class HeapBuilder {
public:
    explicit HeapBuilder(std::size_t objects) {
        list_ = base_.intern("list");
        root_ = base_.intern("root");
        name_ = base_.intern("r");
        ids_.reserve(objects);
        for (std::size_t i = 0; i < objects; ++i) ids_.push_back(base_.intern("o" + std::to_string(i)));
    }

    /// A simulator whose heap holds the N objects, all in generation 0.
    std::unique_ptr<Simulator> build(SymbolTable& symbols) {
        symbols = base_;
        auto sim = std::make_unique<Simulator>(SimOptions{}, symbols);
        Event ev;
        ev.kind = EventKind::GcControl;
        ev.action = GcAction::Disable;
        apply(*sim, ev);
        alloc_list(*sim, root_);
        ev = {};
        ev.kind = EventKind::Bind;
        ev.name = name_;
        ev.id = root_;
        apply(*sim, ev);
        for (Sym id : ids_) {
            alloc_list(*sim, id);
            ev = {};
            ev.kind = EventKind::Append;
            ev.id = root_;
            ev.ref = id;
            apply(*sim, ev);
        }
        return sim;
    }

    void collect(Simulator& sim, int generation) {
        Event ev;
        ev.kind = EventKind::Collect;
        ev.generation = generation;
        apply(sim, ev);
    }

private:
    void apply(Simulator& sim, Event& ev) {
        ev.number = ev.line = ++number_;
        if (auto d = sim.apply(ev)) throw std::runtime_error("benchmark heap: " + d->message);
    }
    void alloc_list(Simulator& sim, Sym id) {
        Event ev;
        ev.kind = EventKind::Alloc;
        ev.id = id;
        ev.type = list_;
        apply(sim, ev);
    }

    SymbolTable base_;
    Sym list_, root_, name_;
    std::vector<Sym> ids_;
    std::uint64_t number_ = 0;
};

void BM_CollectGen0(benchmark::State& state) {
    HeapBuilder builder(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        // A gen0 collection promotes what it traverses: rebuild untimed.
        state.PauseTiming();
        SymbolTable symbols;
        auto sim = builder.build(symbols);
        state.ResumeTiming();
        builder.collect(*sim, 0);
        state.PauseTiming();
        sim.reset();  // the teardown of a large heap is not the collection
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}
BENCHMARK(BM_CollectGen0)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

void BM_CollectFull(benchmark::State& state) {
    HeapBuilder builder(static_cast<std::size_t>(state.range(0)));
    SymbolTable symbols;
    auto sim = builder.build(symbols);
    builder.collect(*sim, 2);  // everything is in generation 2 from here on
    for (auto _ : state) builder.collect(*sim, 2);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}
BENCHMARK(BM_CollectFull)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace heapsim::bench

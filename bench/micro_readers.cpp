// Reader throughput: events per second decoded from an in-memory trace into
// a sink that only counts, per encoding. The difference between these and
// `heapsim run` is the simulator's share (docs/performance.md).

#include <benchmark/benchmark.h>

#include "bench/workload_fixture.h"

namespace heapsim::bench {
namespace {

void read_fixture(benchmark::State& state, TraceFormat format) {
    const EncodedTrace& trace = fixture_trace(format);
    for (auto _ : state) {
        SymbolTable symbols;
        CountingSink sink;
        read_trace_buffer(trace.bytes, trace.name_hint, symbols, sink);
        if (sink.errors || sink.events != trace.events) {
            state.SkipWithError("the fixture did not read back whole");
            break;
        }
        benchmark::DoNotOptimize(sink.events);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * trace.bytes.size()));
}

void BM_ReadText(benchmark::State& state) { read_fixture(state, TraceFormat::Text); }
void BM_ReadJsonLines(benchmark::State& state) { read_fixture(state, TraceFormat::JsonLines); }
void BM_ReadBinary(benchmark::State& state) { read_fixture(state, TraceFormat::Binary); }

BENCHMARK(BM_ReadText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadJsonLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadBinary)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace heapsim::bench

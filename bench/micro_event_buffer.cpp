// The in-memory path of sweeps and verify: walking an EventBuffer with a
// cursor (the decoding cost alone), and replaying it through a Simulator
// (what one configuration of a sweep costs once the trace is loaded).

#include <benchmark/benchmark.h>

#include "bench/workload_fixture.h"
#include "engine/buffered_replay.h"
#include "trace_formats/event_buffer.h"

namespace heapsim::bench {
namespace {

class BufferSink final : public EventSink {
public:
    explicit BufferSink(EventBuffer& buffer) : buffer_(buffer) {}
    bool on_event(const Event& event) override {
        buffer_.push(event);
        return true;
    }
    bool on_error(const Diagnostic&) override { return false; }

private:
    EventBuffer& buffer_;
};

/// The fixture loaded the way load_trace does, built once.
const LoadedTrace& loaded_fixture() {
    static const LoadedTrace loaded = [] {
        const EncodedTrace& text = fixture_trace(TraceFormat::Text);
        LoadedTrace trace;
        trace.path = text.name_hint;
        BufferSink sink(trace.events);
        trace.events_read = read_trace_buffer(text.bytes, text.name_hint, trace.symbols, sink).events;
        return trace;
    }();
    return loaded;
}

void BM_EventBufferCursor(benchmark::State& state) {
    const LoadedTrace& trace = loaded_fixture();
    for (auto _ : state) {
        Event ev;
        std::uint64_t n = 0;
        for (EventBuffer::Cursor c = trace.events.cursor(); c.next(ev);) n += ev.id;
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
    state.counters["bytes_per_event"] =
        static_cast<double>(trace.events.memory_bytes()) / static_cast<double>(trace.events.size());
}
BENCHMARK(BM_EventBufferCursor)->Unit(benchmark::kMillisecond);

void BM_EventBufferReplay(benchmark::State& state) {
    const LoadedTrace& trace = loaded_fixture();
    ReplayOptions options;
    for (auto _ : state) {
        ReplayOutcome outcome = replay_loaded(trace, options);
        if (!outcome.result) {
            state.SkipWithError("the fixture did not replay");
            break;
        }
        benchmark::DoNotOptimize(outcome.result->events);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_EventBufferReplay)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace heapsim::bench

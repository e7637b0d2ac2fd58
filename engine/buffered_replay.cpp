#include "engine/buffered_replay.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "trace_formats/trace_reader.h"

namespace heapsim {

namespace {

class BufferSink final : public EventSink {
public:
    BufferSink(LoadedTrace& out, bool lenient) : out_(out), lenient_(lenient) {}
    bool on_event(const Event& event) override {
        out_.events.push(event);
        return true;
    }
    bool on_error(const Diagnostic& diagnostic) override {
        if (lenient_ && !diagnostic.fatal) {
            out_.skipped.push_back(diagnostic);
            return true;
        }
        out_.error = diagnostic;
        return false;
    }

private:
    LoadedTrace& out_;
    bool lenient_;
};

}  // namespace

LoadedTrace load_trace(const std::string& path, bool lenient) {
    LoadedTrace trace;
    trace.path = path;
    BufferSink sink(trace, lenient);
    trace.events_read = read_trace(path, trace.symbols, sink).events;
    return trace;
}

ReplayOutcome replay_loaded(const LoadedTrace& trace, const ReplayOptions& options) {
    ReplayOutcome outcome;
    if (trace.error) {
        outcome.error = trace.error;
        return outcome;
    }
    SymbolTable symbols = trace.symbols;
    Simulator sim(options.sim, symbols);
    for (const Diagnostic& d : trace.skipped) sim.note_skipped(d);
    Event event;
    for (EventBuffer::Cursor cursor = trace.events.cursor(); cursor.next(event);) {
        std::optional<Diagnostic> d = sim.apply(event);
        if (!d) continue;
        if (options.lenient && d->kind != ErrorKind::Limit) {
            sim.note_skipped(*d);
            continue;
        }
        outcome.error = std::move(d);
        return outcome;
    }
    outcome.result = sim.finish(trace.path, trace.events_read);
    return outcome;
}

std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads) {
    std::vector<ReplayOutcome> outcomes(configs.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, configs.size()));
    // Workers take the next configuration as they become free; each outcome
    // lands in its own slot, so the order of completion is invisible.
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < configs.size();)
            outcomes[i] = replay_loaded(trace, configs[i]);
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    return outcomes;
}

}  // namespace heapsim

#include "engine/replay.h"

#include "engine/replay_loop.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

namespace {

/// The reader feeds the replay loop directly: nothing is buffered.
class ReplaySink final : public EventSink {
public:
    ReplaySink(ReplayLoop& loop, const std::function<void(std::uint64_t)>& progress)
        : loop_(loop), progress_(progress), reports_(static_cast<bool>(progress)) {}
    bool on_event(const Event& event) override {
        // reports_ rather than progress_'s own test: one load fewer per event.
        if (reports_ && ++seen_ % kProgressEvents == 0) progress_(seen_);
        return loop_.apply(event);
    }
    bool on_error(const Diagnostic& diagnostic) override { return loop_.reject(diagnostic); }

private:
    ReplayLoop& loop_;
    const std::function<void(std::uint64_t)>& progress_;
    bool reports_;
    std::uint64_t seen_ = 0;
};

template <typename Read>
ReplayOutcome replay(const std::string& path, const ReplayOptions& options, Read&& read) {
    SymbolTable symbols;
    // Streaming: each event is applied before the next is read, so the ids
    // of dead objects can be forgotten (symbol_table.h). `verify` asks for
    // the ids freed, so it keeps them.
    symbols.forget_dead_ids(!options.sim.record_frees);
    Simulator sim(options.sim, symbols);
    ReplayLoop loop(sim, options.lenient);
    ReplaySink sink(loop, options.progress);
    const ReadSummary summary = read(symbols, sink);
    ReplayOutcome outcome;
    if (loop.stop()) {
        outcome.error = loop.take_stop();
    } else {
        outcome.result = sim.finish(path, summary.events);
    }
    return outcome;
}

}  // namespace

ReplayOutcome replay_trace(const std::string& path, const ReplayOptions& options) {
    return replay(path, options,
                  [&](SymbolTable& symbols, EventSink& sink) { return read_trace(path, symbols, sink); });
}

ReplayOutcome replay_buffer(const std::string& bytes, const std::string& name_hint, const ReplayOptions& options) {
    return replay(name_hint, options, [&](SymbolTable& symbols, EventSink& sink) {
        return read_trace_buffer(bytes, name_hint, symbols, sink);
    });
}

}  // namespace heapsim

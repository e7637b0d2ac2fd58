#include "engine/replay.h"

#include "trace_formats/trace_reader.h"

namespace heapsim {

namespace {

class ReplaySink final : public EventSink {
public:
    ReplaySink(Simulator& sim, bool lenient) : sim_(sim), lenient_(lenient) {}

    bool on_event(const Event& event) override {
        if (std::optional<Diagnostic> d = sim_.apply(event)) return handle(*d);
        return true;
    }
    bool on_error(const Diagnostic& diagnostic) override { return handle(diagnostic); }

    /// The diagnostic that ended the run, if one did.
    std::optional<Diagnostic> stop;

private:
    bool handle(const Diagnostic& d) {
        if (lenient_ && !d.fatal && d.kind != ErrorKind::Limit) {
            sim_.note_skipped(d);
            return true;
        }
        // A fatal reader error (corrupt compressed input) explains any error
        // the reader reported before it noticed.
        if (!stop || (d.kind == ErrorKind::Io && stop->kind != ErrorKind::Io)) stop = d;
        return false;
    }

    Simulator& sim_;
    bool lenient_;
};

template <typename Read>
ReplayOutcome replay(const std::string& path, const ReplayOptions& options, Read&& read) {
    SymbolTable symbols;
    Simulator sim(options.sim, symbols);
    ReplaySink sink(sim, options.lenient);
    const ReadSummary summary = read(symbols, sink);
    ReplayOutcome outcome;
    if (sink.stop) {
        outcome.error = std::move(sink.stop);
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

#include "engine/buffered_replay.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <stdexcept>
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
    // The replay loop's rule, applied once at load time: what it skips is
    // kept for every replay to count.
    bool on_error(const Diagnostic& diagnostic) override {
        if (skippable(diagnostic, lenient_)) {
            out_.skipped.push_back(diagnostic);
            return true;
        }
        record_stop(out_.error, diagnostic);
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
    SymbolTable symbols = trace.symbols;
    Simulator sim(options.sim, symbols);
    return replay_into(sim, trace, options.lenient,
                       [](const Event&) { return std::optional<Diagnostic>(); });
}

ReplayOutcome outcome_of_current_exception() {
    const auto failed = [&](ErrorKind kind, std::string message) {
        ReplayOutcome outcome;
        outcome.error = Diagnostic{kind, 0, 0, std::move(message), true};
        return outcome;
    };
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return failed(ErrorKind::Limit, "out of memory");
    } catch (const std::length_error& e) {
        return failed(ErrorKind::Limit, std::string("out of memory (") + e.what() + ")");
    } catch (const std::exception& e) {
        return failed(ErrorKind::Internal, std::string("internal error: ") + e.what());
    } catch (...) {
        return failed(ErrorKind::Internal, "internal error: unknown exception");
    }
}

ReplayOutcome replay_guarded(const LoadedTrace& trace, const ReplayOptions& options,
                             ReplayFunction replay) {
    try {
        return replay(trace, options);
    } catch (...) {
        return outcome_of_current_exception();
    }
}

std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads) {
    return replay_configurations(trace, configs, threads, replay_loaded);
}

std::vector<ReplayOutcome> replay_configurations(const LoadedTrace& trace,
                                                 std::span<const ReplayOptions> configs,
                                                 unsigned threads, ReplayFunction replay) {
    std::vector<ReplayOutcome> outcomes(configs.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, configs.size()));
    // Workers take the next configuration as they become free; each outcome
    // lands in its own slot, so the order of completion is invisible.
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < configs.size();)
            outcomes[i] = replay_guarded(trace, configs[i], replay);
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    return outcomes;
}

}  // namespace heapsim

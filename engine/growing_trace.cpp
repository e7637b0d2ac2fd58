#include "engine/growing_trace.h"

#include <utility>

#include "engine/buffered_replay.h"
#include "engine/replay_loop.h"
#include "sim/type_table.h"

namespace heapsim {

namespace {

/// The index keys ("0", "1", ...) interned up front: see pre_intern.
constexpr std::uint32_t kIndexKeysInterned = 64;

/// Interns, before the trace, the strings every Simulator interns on its own
/// table: the built-in type names (its TypeTable, at construction) and the
/// first index keys (the keys of displays, positional attributes, appends).
/// A replay that starts while the trace loads can only take a string the
/// loader has already published without waiting for the end (GrowingReplay),
/// and these would otherwise make nearly every early run wait. Symbol numbers
/// never show in a result (a sweep's runs equal `heapsim run`'s, whose
/// simulator interns these first too), so interning them first changes none.
void pre_intern(SymbolTable& symbols) {
    TypeTable builtins(symbols);
    for (std::uint32_t i = 0; i < kIndexKeysInterned; ++i) symbols.intern(std::to_string(i));
}

}  // namespace

std::string_view GrowingTrace::Segment::symbol(Sym s) const {
    const std::size_t i = s - symbols_begin;
    const std::uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(chars).substr(begin, ends[i] - begin);
}

/// The loader's sink: load_trace's BufferSink, with a segment sealed every
/// segment_events_ events.
class GrowingTrace::Sink final : public EventSink {
  public:
    Sink(GrowingTrace& trace, bool lenient) : trace_(trace), lenient_(lenient) {}
    bool on_event(const Event& event) override {
        current_->events.push(event);
        if (current_->events.size() == trace_.segment_events_) trace_.seal(current_);
        return true;
    }
    bool on_error(const Diagnostic& diagnostic) override {
        if (skippable(diagnostic, lenient_)) {
            trace_.skipped_.push_back(diagnostic);
            return true;
        }
        record_stop(trace_.error_, diagnostic);
        return false;
    }
    std::unique_ptr<Segment> current_ = std::make_unique<Segment>();

  private:
    GrowingTrace& trace_;
    bool lenient_;
};

GrowingTrace::GrowingTrace(std::string path, std::size_t segment_events)
    : path_(std::move(path)), segment_events_(segment_events == 0 ? 1 : segment_events) {}

void GrowingTrace::load(bool lenient) {
    load(lenient, [this](SymbolTable& symbols, EventSink& sink) {
        return read_trace(path_, symbols, sink);
    });
}

void GrowingTrace::load(bool lenient, const Reader& read) {
    Sink sink(*this, lenient);
    try {
        pre_intern(symbols_);
        events_read_ = read(symbols_, sink).events;
    } catch (...) {
        // The readers must not wait for segments that will never come, nor
        // finish runs over a trace cut short: they see an error. The caller
        // sees the exception, as from load_trace.
        error_ = outcome_of_current_exception().error;
        {
            std::lock_guard lock(mutex_);
            complete_ = true;
        }
        sealed_.notify_all();
        throw;
    }
    finish(sink.current_);
}

void GrowingTrace::copy_new_symbols(Segment& segment) const {
    // The strings interned since the last seal, copied on the loading
    // thread: the table itself is not safe to read while it grows.
    const Sym end = static_cast<Sym>(symbols_.size());
    segment.ends.reserve(end - segment.symbols_begin);
    for (Sym s = segment.symbols_begin; s < end; ++s) {
        segment.chars.append(symbols_.str(s));
        segment.ends.push_back(static_cast<std::uint32_t>(segment.chars.size()));
    }
}

void GrowingTrace::seal(std::unique_ptr<Segment>& current) {
    copy_new_symbols(*current);
    auto next = std::make_unique<Segment>();
    next->symbols_begin = current->symbols_end();
    {
        std::lock_guard lock(mutex_);
        segments_.push_back(std::move(current));
    }
    sealed_.notify_all();
    current = std::move(next);
}

void GrowingTrace::finish(std::unique_ptr<Segment>& current) {
    // The last segment, even empty: it carries the strings interned since
    // the previous one. Sealed and completed under one lock, so that no
    // reader sees the trace complete without it.
    copy_new_symbols(*current);
    {
        std::lock_guard lock(mutex_);
        segments_.push_back(std::move(current));
        complete_ = true;
    }
    sealed_.notify_all();
}

const GrowingTrace::Segment* GrowingTrace::wait_segment(std::size_t k) const {
    std::unique_lock lock(mutex_);
    sealed_.wait(lock, [&] { return k < segments_.size() || complete_; });
    return k < segments_.size() ? segments_[k].get() : nullptr;
}

const GrowingTrace::Segment* GrowingTrace::try_segment(std::size_t k, bool* ended) const {
    std::lock_guard lock(mutex_);
    if (k < segments_.size()) {
        *ended = false;
        return segments_[k].get();
    }
    *ended = complete_;
    return nullptr;
}

void GrowingTrace::wait_complete() const {
    std::unique_lock lock(mutex_);
    sealed_.wait(lock, [&] { return complete_; });
}

bool GrowingTrace::complete() const {
    std::lock_guard lock(mutex_);
    return complete_;
}

bool GrowingTrace::failed() const {
    std::lock_guard lock(mutex_);
    return complete_ && error_;
}

std::size_t GrowingTrace::segments() const {
    std::lock_guard lock(mutex_);
    return segments_.size();
}

}  // namespace heapsim

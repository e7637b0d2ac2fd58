#pragma once
// A trace held in memory that replays may read while it is still loading:
// the sweep starts its runs during the parse instead of after it
// (docs/performance.md, "Session 6: overlapping the parse").
//
// One thread loads (load()); it fills EventBuffers of `segment_events`
// events and publishes each one whole once it is full ("seals" it). Readers
// see sealed segments only, and a sealed segment never changes again, so
// reading its events needs no lock and no atomic: the mutex is taken once
// per segment, to find the next one or to wait until it is sealed (a
// condition variable; a waiting reader burns no CPU). This keeps
// EventBuffer itself as it is: a segment is an ordinary EventBuffer, whose
// delta encoding simply restarts at each segment.
//
// With each segment come the strings the loader interned while filling it,
// in symbol order, so a replay that starts before the end can build its own
// copy of the symbol table as it reads (GrowingReplay): the loader's table
// itself is never read before the load is complete.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/diagnostic.h"
#include "events/symbol_table.h"
#include "trace_formats/event_buffer.h"
#include "trace_formats/trace_reader.h"

namespace heapsim {

class GrowingTrace {
  public:
    /// Events per segment: the loader publishes every ~10 ms at text speed.
    static constexpr std::size_t kSegmentEvents = std::size_t{1} << 16;

    struct Segment {
        EventBuffer events;
        Sym symbols_begin = 0;            // the symbols first interned while it filled:
        std::string chars;                // [symbols_begin, symbols_end()), back to back
        std::vector<std::uint32_t> ends;  // the end of each in `chars`
        Sym symbols_end() const { return symbols_begin + static_cast<Sym>(ends.size()); }
        std::string_view symbol(Sym s) const;  // symbols_begin <= s < symbols_end()
    };

    explicit GrowingTrace(std::string path, std::size_t segment_events = kSegmentEvents);
    GrowingTrace(const GrowingTrace&) = delete;
    GrowingTrace& operator=(const GrowingTrace&) = delete;

    // --- the loading thread ---
    /// Reads a trace into a sink and the table (read_trace and friends).
    using Reader = std::function<ReadSummary(SymbolTable&, EventSink&)>;
    /// Reads the trace at path() ("-" = standard input), publishing segments
    /// as they fill. The first bad event stops the read, unless `lenient`:
    /// then only fatal errors do (load_trace's rule). Once, on one thread.
    void load(bool lenient);
    /// The same with another reader (tests). Always ends complete: an
    /// exception from `read` completes the trace with an error for the
    /// readers, then propagates.
    void load(bool lenient, const Reader& read);

    // --- any thread ---
    /// Segment `k`, waiting until it is sealed; nullptr when the trace
    /// completed with fewer segments.
    const Segment* wait_segment(std::size_t k) const;
    /// Segment `k` if it is sealed now; else nullptr, and `*ended` says
    /// whether the trace completed without it.
    const Segment* try_segment(std::size_t k, bool* ended) const;
    /// Waits until the load is complete.
    void wait_complete() const;
    bool complete() const;
    /// Complete with an error: what replays read of it is moot.
    bool failed() const;

    // --- once complete (load() returned, wait_complete(), or a null segment) ---
    const std::string& path() const { return path_; }
    const SymbolTable& symbols() const { return symbols_; }
    std::uint64_t events_read() const { return events_read_; }  // bad events included
    const std::optional<Diagnostic>& error() const { return error_; }
    const std::vector<Diagnostic>& skipped() const { return skipped_; }  // lenient
    std::size_t segments() const;

  private:
    class Sink;
    void copy_new_symbols(Segment& segment) const;
    void seal(std::unique_ptr<Segment>& current);
    void finish(std::unique_ptr<Segment>& current);

    const std::string path_;
    const std::size_t segment_events_;
    // Written by the loading thread only; read by others once complete.
    SymbolTable symbols_;
    std::uint64_t events_read_ = 0;
    std::optional<Diagnostic> error_;
    std::vector<Diagnostic> skipped_;

    mutable std::mutex mutex_;
    mutable std::condition_variable sealed_;
    std::vector<std::unique_ptr<const Segment>> segments_;  // guarded by mutex_
    bool complete_ = false;                                 // guarded by mutex_
};

}  // namespace heapsim

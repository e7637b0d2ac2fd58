#pragma once
// One configuration's replay of a GrowingTrace, in steps: advance() applies
// the events published so far and returns when it has caught up with the
// loader, so one thread can keep several runs going while the trace loads
// (engine/overlapped_replay.h). Its outcome is the one replay_loaded gives
// for the whole trace, byte for byte.
//
// The symbol table. A run owns a copy of the trace's table (its simulator
// interns the names it invents). A run that starts once the trace is
// complete copies the whole table, as replay_loaded does. One that starts
// earlier builds its copy from the strings each segment carries, interning
// them in order before it reads the segment's events, so every symbol gets
// the loader's number. The simulator may intern a string of its own: with
// the whole table it would get the loader's number if the loader ever saw
// the string, else the next free one, which cannot be known before the load
// ends. So the copy must not have grown between two segments: if it has,
// the run has lost step with the trace and ends with lost_step() (the
// caller runs it again, with `whole_table`); after the last segment's
// strings the copy is whole and any string may come. The loader interns up
// front what simulators always intern (growing_trace.cpp), so on common
// traces that never happens. Buffered replays never release ids
// (forget_dead_ids stays off), so whether a string was interned as an id or
// pinned makes no difference to the copy.

#include <cstddef>
#include <memory>
#include <optional>

#include "engine/growing_trace.h"
#include "engine/replay.h"
#include "engine/replay_loop.h"
#include "events/symbol_table.h"
#include "sim/simulator.h"

namespace heapsim {

class GrowingReplay {
  public:
    /// Waits for the trace's first segment if it is not sealed yet; with
    /// `whole_table`, until the trace is complete.
    GrowingReplay(const GrowingTrace& trace, const ReplayOptions& options,
                  bool whole_table = false);
    GrowingReplay(const GrowingReplay&) = delete;
    GrowingReplay& operator=(const GrowingReplay&) = delete;

    /// Applies events until the run ends (true) or, with `wait` false, until
    /// it has applied every event published so far (false). Exceptions
    /// propagate (the caller makes them the run's error).
    bool advance(bool wait);
    /// The segment this run reads next: wait for it when advance() is false.
    std::size_t next_segment() const { return segment_; }
    /// Events applied so far (counted a segment at a time: a run stops
    /// between segments unless it ended), for the sweep's counters.
    std::uint64_t events_applied() const { return applied_; }
    /// Objects alive in its heap now (0 once ended), for memory bounds.
    std::uint64_t live_objects() const { return sim_ ? sim_->live_objects() : 0; }
    /// Once advance() returned true: the simulator interned a string of its
    /// own before the copy was whole (see above); the outcome is void.
    bool lost_step() const { return lost_step_; }
    /// Once advance() returned true. When the trace failed (error()), the
    /// outcome is moot: the trace's error is what stops the run.
    ReplayOutcome take_outcome() { return std::move(outcome_); }

  private:
    bool copy_symbols(const GrowingTrace::Segment& segment);
    void end();

    const GrowingTrace& trace_;
    SymbolTable symbols_;
    Sym copied_ = 0;            // symbols copied from segments so far
    bool whole_table_ = false;  // symbols_ holds all of the trace's table
    bool lost_step_ = false;
    std::unique_ptr<Simulator> sim_;
    std::optional<ReplayLoop> loop_;
    std::size_t segment_ = 0;                  // the next segment to open
    std::uint64_t applied_ = 0;                // events of the segments read whole
    std::uint64_t cursor_segment_events_ = 0;  // events of the segment being read
    std::optional<EventBuffer::Cursor> cursor_;
    ReplayOutcome outcome_;
};

}  // namespace heapsim

#include "engine/growing_replay.h"

#include <stdexcept>

namespace heapsim {

GrowingReplay::GrowingReplay(const GrowingTrace& trace, const ReplayOptions& options,
                             bool whole_table)
    : trace_(trace) {
    if (whole_table) trace.wait_complete();
    if (trace.complete()) {
        symbols_ = trace.symbols();
        whole_table_ = true;
    } else if (const GrowingTrace::Segment* first = trace.wait_segment(0)) {
        copy_symbols(*first);
    } else {
        symbols_ = trace.symbols();  // it completed without a segment: it failed
        whole_table_ = true;
    }
    sim_ = std::make_unique<Simulator>(options.sim, symbols_);
    loop_.emplace(*sim_, options.lenient);
}

bool GrowingReplay::copy_symbols(const GrowingTrace::Segment& segment) {
    if (whole_table_) return true;
    // Grown since the last segment: a string of the simulator's own took a
    // number that may be the loader's.
    if (symbols_.size() != copied_) return false;
    for (Sym s = segment.symbols_begin; s < segment.symbols_end(); ++s) {
        if (symbols_.intern(segment.symbol(s)) != s)
            throw std::logic_error(
                "a replay's copy of the symbol table lost step with the trace's");
    }
    copied_ = segment.symbols_end();
    return true;
}

bool GrowingReplay::advance(bool wait) {
    if (!loop_) return true;  // ended before
    Event event;
    for (;;) {
        if (!cursor_) {
            const GrowingTrace::Segment* segment = nullptr;
            bool ended = false;
            if (wait) {
                segment = trace_.wait_segment(segment_);
                ended = segment == nullptr;
            } else {
                segment = trace_.try_segment(segment_, &ended);
                if (!segment && !ended) return false;
            }
            // A trace that failed ends every run at its next segment.
            if (ended || trace_.failed()) {
                end();
                return true;
            }
            if (!copy_symbols(*segment)) {
                lost_step_ = true;
                end();
                return true;
            }
            cursor_.emplace(segment->events);
            cursor_segment_events_ = segment->events.size();
            ++segment_;
        }
        while (cursor_->next(event)) {
            if (!loop_->apply(event)) {
                end();
                return true;
            }
        }
        applied_ += cursor_segment_events_;
        cursor_.reset();
    }
}

void GrowingReplay::end() {
    // replay_into's ending, with the trace's own error first: the loader's
    // error is known once the trace is complete, which it is at its end.
    if (trace_.failed()) {
        outcome_.error = trace_.error();
    } else if (lost_step_) {
        outcome_.error = Diagnostic{ErrorKind::Internal, 0, 0,
                                    "internal error: run lost step with its trace", true};
    } else if (loop_->stop()) {
        outcome_.error = loop_->take_stop();
    } else {
        // Bad events the loader skipped (lenient): the simulator's record of
        // them does not depend on when it hears of them (the counts, and the
        // first lines kept in order).
        for (const Diagnostic& d : trace_.skipped()) sim_->note_skipped(d);
        outcome_.result = sim_->finish(trace_.path(), trace_.events_read());
    }
    cursor_.reset();
    loop_.reset();
    sim_.reset();
}

}  // namespace heapsim

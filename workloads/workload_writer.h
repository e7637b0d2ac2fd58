#pragma once
// The output side shared by the workload generators (workload.h): text
// events, a monotonic clock written as `@NS` timestamps (unless the trace is
// untimed, as `mixed` is), and an id allocator that reuses the ids of objects
// the generator knows are dead, last freed first (`mixed` never gives one
// back, so its ids simply count up).
//
// Ids are the only thing a generator must be exact about: reusing the id of
// a live object is an error in the format. So an id is given back in one of
// two ways only: `release` right after the event that freed the object by
// reference counting, or `defer` for an object of a garbage cycle, which
// becomes reusable at the next explicit full `collect` (nothing in these
// profiles survives one: no legacy finalizers, no resurrection, no freeze).

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace_formats/chunked_output.h"
#include "trace_formats/end_record.h"
#include "workloads/workload.h"

namespace heapsim::workload {

using Id = std::uint32_t;  // written oN

/// A name or key token: `text`, then `n` in decimal unless it is kNoIndex
/// ("k" + 42 is k42), so indexed tokens need no string of their own.
struct Tok {
    static constexpr std::uint64_t kNoIndex = UINT64_MAX;
    std::string_view text;
    std::uint64_t n = kNoIndex;
    Tok(const char* t) : text(t) {}  // NOLINT: literals are tokens
    Tok(std::string_view t, std::uint64_t index = kNoIndex) : text(t), n(index) {}
};

class WorkloadWriter {
  public:
    /// `timed`: the first event carries `@0` and every event after a tick
    /// its time; an untimed trace has no `@NS` at all.
    explicit WorkloadWriter(std::ostream& out, bool timed = true);
    ~WorkloadWriter();
    WorkloadWriter(const WorkloadWriter&) = delete;
    WorkloadWriter& operator=(const WorkloadWriter&) = delete;

    // --- output that is not an event ---
    void raw_line(std::string_view text);  // a comment or the header
    void flush();
    /// Ends the trace with its end-of-trace record (end_record.h), flushes
    /// the output and records the writer's totals in `stats`.
    void finish(WorkloadStats& stats) {
        raw_line(end_record_line(events()));
        flush();
        stats.events = events();
        stats.distinct_ids = distinct_ids();
        stats.full_collects = full_collects();
    }

    // --- clock: the next event carries the new time ---
    void tick(std::uint64_t ns) {
        now_ += ns;
        stamp_ = true;
    }

    // --- ids ---
    Id new_id();
    void release(Id id) { free_.push_back(id); }
    void defer(Id id) { deferred_.push_back(id); }
    std::uint64_t distinct_ids() const { return next_ - 1; }
    /// Ids in use: live objects and those awaiting a collection.
    std::uint64_t tracked() const { return distinct_ids() - free_.size(); }
    std::uint64_t deferred() const { return deferred_.size(); }
    std::uint64_t full_collects() const { return full_collects_; }
    std::uint64_t events() const { return events_; }

    // --- events ---
    void type(std::string_view declaration);  // "Node instance"
    Id alloc(std::string_view type, std::initializer_list<Id> refs = {},
             std::string_view site = {});
    Id alloc_refs(std::string_view type, const std::vector<Id>& refs, std::string_view site);
    Id weakref(Id target, Tok callback);  // an empty callback: none
    void bind(Tok name, Id id);
    void unbind(Tok name);
    void set(Id container, Tok key, Id value);
    void unset(Id container, Tok key);
    void append(Id container, Id value);
    void clear(Id container);
    void remove(Id container, Id value);
    void drop(Id id);
    /// `collect G`, `collect` for 2 unless `spelled` (both mean a full
    /// collection). A full one also makes the deferred ids reusable.
    void collect(int generation, bool spelled = false);
    void threshold(std::uint64_t t0, std::uint64_t t1, std::uint64_t t2) {
        const std::uint64_t values[] = {t0, t1, t2};
        threshold(values);
    }
    void threshold(std::span<const std::uint64_t> values);  // T0 [T1 [T2]]
    void gc(std::string_view action);                       // enable, disable, freeze, unfreeze
    void expect_alive(Id id);

  private:
    Id alloc_span(std::string_view type, const Id* refs, std::size_t n, std::string_view site);
    void begin(std::string_view event);
    void put_id(Id id);
    void put_tok(Tok t);
    void end();

    ChunkedOutput out_;  // whole lines, handed to the stream in chunks of 64 KiB
    std::uint64_t events_ = 0;
    std::uint64_t now_ = 0;
    bool stamp_ = true;
    Id next_ = 1;
    std::vector<Id> free_;      // reusable, the last freed on top
    std::vector<Id> deferred_;  // garbage cycles: reusable after a full collect
    std::uint64_t full_collects_ = 0;
};

}  // namespace heapsim::workload

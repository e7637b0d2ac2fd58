#pragma once
// `heapsim import`, snapshot mode ("pin and snapshot", docs/recording.md):
// turns a recording into a v1 trace whose replay runs the recorded
// collections at the recorded points and checks each one.
//
//   - Every object the recording shows in a collection's snapshot becomes a
//     trace object of its recorded type, held by a synthetic root ("pin")
//     until a snapshot proves nothing outside the collected generations
//     refers to it (reference count = references from the snapshot).
//   - At each snapshot its references are set to the recorded referents
//     (append/remove), stale references into objects proven unreferenced
//     from outside are removed, and objects of the collected generations
//     absent from the snapshot are released (they died or were untracked).
//   - Deaths the recording shows (dealloc, freed memory, an address reused)
//     release the object in the trace at that point.
//   - The collector is disabled in the trace; each recorded collection is a
//     `collect GEN` followed by `expect collected N` with the recorded
//     collected + uncollectable, so `heapsim run` reports the first
//     collection where the replay departs from the recording.
//
// The mirror below replicates the model's reference counts (pin + incoming
// references) so that it knows which objects the model frees by cascade.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/event.h"
#include "events/symbol_table.h"
#include "recording/address_map.h"
#include "recording/id_list.h"
#include "recording/recording_reader.h"
#include "recording/stable_vector.h"

namespace heapsim {

/// Snapshot mode runs the recorded collections (the collector disabled);
/// events mode lets the model decide when to collect (docs/recording.md).
enum class ImportMode : std::uint8_t { Snapshot, Events };

struct ImportStats {
    std::uint64_t records = 0;
    std::uint64_t collections = 0;
    std::uint64_t snapshot_objects = 0;
    std::uint64_t events = 0;
    std::uint64_t objects = 0;  // trace objects created
    std::string interpreter;
    /// Version 1 recordings (no WEAKREF records): collections whose weakrefs
    /// freed by their callbacks were chosen by type name (docs/recording.md).
    std::uint64_t callbacks_by_name = 0;
};

class SnapshotImporter {
  public:
    using Sink = std::function<void(const Event&)>;
    SnapshotImporter(SymbolTable& symbols, Sink sink, ImportMode mode = ImportMode::Snapshot)
        : symbols_(symbols), sink_(std::move(sink)), mode_(mode) {}

    /// Names objects by numbered ids (trace_formats/numbered_ids.h), which
    /// only a writer that accepts them can write, instead of interning "oN".
    void use_numbered_ids() { numbered_ids_ = true; }

    /// Converts the whole recording. False with a message on a bad recording.
    bool run(RecordingReader& reader, std::string& error);
    const ImportStats& stats() const { return stats_; }

  private:
    struct Obj {
        std::uint64_t addr = 0;
        std::uint32_t tid = 0;
        std::uint32_t stamp = 0;       // snapshot number it was last seen in
        std::uint32_t snap_index = 0;  // its position in that snapshot
        std::uint8_t gen = 0;
        bool alive = false;
        bool pinned = false;
        bool dealloced = false;  // events mode: its dealloc ran, its memory not yet returned
        Sym id = kNoSym, pin = kNoSym;
        IdList out;  // references it holds (multiset)
        IdList in;   // objects referring to it (multiset)
    };
    struct TypeInfo {
        std::string name;
        std::uint32_t flags = 0;
        std::uint64_t size = 0;
        Sym sym = kNoSym;  // declared in the trace when first used
    };

    void emit(Event& e);
    void emit_gc(GcAction action);
    Sym declare_type(std::uint32_t tid);
    std::uint32_t create(std::uint64_t addr, std::uint32_t tid, bool counted = true);
    void pin(std::uint32_t o);
    void unpin(std::uint32_t o);
    void add_ref(std::uint32_t from, std::uint32_t to);
    void remove_ref(std::uint32_t from, std::uint32_t to);
    void release_refs_of(std::uint32_t o);
    void maybe_free(std::uint32_t o);
    void kill(std::uint32_t o, bool counted = false);
    void forget_address(std::uint64_t addr, bool counted = false);
    bool snapshot(RecordingReader& reader, const Record& start, std::string& error);
    void collected(const Record& stop);
    bool handle(RecordingReader& reader, const Record& r, std::string& error);
    void handle_simple(const Record& r);
    void handle_deferred(const Record& r) { handle_simple(r); }
    void on_gcstate(const Record& r);
    void on_freeze(const Record& r);

    // --- finalizers and weakref callbacks (collection_effects.cpp) ---
    bool look_ahead(RecordingReader& reader, std::string& error);
    bool in_garbage(std::uint32_t o) const;
    std::uint64_t mark_reached_garbage(std::vector<std::uint32_t>& stack,
                                       std::vector<std::uint8_t>& marks, std::uint8_t value) const;
    void emit_collection_effects();
    void select_callback_weakrefs(std::vector<std::uint32_t>& dying) const;
    std::uint64_t keep_finalizer_freed(std::uint64_t n);
    std::vector<std::uint32_t> resurrected_by_others() const;

    bool weakrefs_recorded_ = false;  // format 2: WEAKREF records follow each snapshot

    std::vector<Record> queue_;  // records read ahead, drained by run() first
    std::size_t queue_at_ = 0;
    std::vector<std::uint32_t> resurrected_;  // garbage a finalizer kept, this collection
    std::vector<std::uint8_t> died_;          // by snapshot index

    // --- events mode (the model decides when to collect) ---
    bool events() const { return mode_ == ImportMode::Events; }
    void start_events(const RecordingHeader& h);
    /// Keeps `o` alive in the model when a reference to it is about to go:
    /// in events mode only the recording's deaths (and the model's own
    /// collections) free objects, never a cascade over a stale graph.
    void protect(std::uint32_t o);
    void on_new(const Record& r);
    void on_dealloc(std::uint64_t addr);
    void run_collection(const Record& start);
    void expect_counts();
    void safepoint_after_alloc();

    SymbolTable& symbols_;
    Sink sink_;
    ImportStats stats_;
    StableVector<Obj> objs_;  // by object number: never moved as it grows
    AddressMap by_addr_;
    std::unordered_map<std::uint32_t, TypeInfo> types_;
    std::vector<std::uint32_t> gens_[3];
    /// gc.freeze(): objects in the permanent generation (gen kFrozen), which
    /// no snapshot lists and none may release as missing.
    static constexpr std::uint8_t kFrozen = 3;
    std::vector<std::uint32_t> frozen_;
    bool long_lived_seen_ = false;  // the window-open long-lived counts are in the trace
    std::uint32_t snapshot_no_ = 0;
    std::uint64_t time_ns_ = 0;
    std::vector<std::uint32_t> free_stack_;  // cascade work list
    // Snapshot scratch, reused.
    std::vector<std::uint32_t> snap_objs_;
    std::vector<std::uint64_t> snap_refcnt_;
    std::vector<std::uint32_t> snap_ref_begin_;
    std::vector<std::uint64_t> snap_ref_addrs_;
    std::vector<std::uint32_t> internal_;
    std::vector<std::uint8_t> reach_;
    std::vector<std::uint32_t> scratch_released_, scratch_list_, scratch_want_, scratch_have_,
        scratch_extra_, scratch_missing_, scratch_outside_, scratch_stack_;
    int pending_generation_ = -1;

    ImportMode mode_;
    bool numbered_ids_ = false;
    bool ended_ = false;
    /// The stand-in type of objects that predate the window and die in it.
    static constexpr std::uint32_t kPredatingTid = 0xFFFFFFFFu;
    bool at_safe_point_ = false;  // 3.12+: collections run at eval-breaker checks
    // The recorded collector's state, followed record by record.
    std::array<std::int64_t, 3> threshold_{}, count_{};
    bool enabled_ = true;
    bool prelude_ = false;          // 3.11: a collection started inside an allocation
    bool scheduled_ = false;        // 3.12+: a collection waits for a safe point
    bool awaiting_early_ = false;   // 3.11: snapshot taken, its allocation not yet seen
    std::vector<Record> deferred_;  // 3.11: records between that snapshot and its allocation
    std::array<std::int64_t, 3> after_counts_{};  // counts right after the collection
    bool explicit_pending_ = false;               // the latest collection was gc.collect()
};

}  // namespace heapsim

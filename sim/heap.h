#pragma once
// The simulated heap: objects, names and reference counts, CPython's free
// lists and collector state, and the events that change them. One Heap per
// run; the Simulator facade owns it.
//
// Implementation is split by concept: heap_events.cpp (one handler per
// event), dealloc.cpp (the freeing cascade), collector.cpp (the cyclic
// collector), leak_analysis.cpp and statistics.cpp (end of run).

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/mapped_vector.h"
#include "events/symbol_table.h"
#include "sim/key_index.h"
#include "sim/object_table.h"
#include "sim/policy.h"
#include "sim/ref_store.h"
#include "sim/retention_paths.h"
#include "sim/run_result.h"
#include "sim/simulator.h"
#include "sim/site_stats.h"
#include "sim/type_table.h"

namespace heapsim {

/// A weakref object's own state (indexed by Object::weak_info() of the weakref).
struct WeakInfo {
    Handle self = kNoHandle;
    Handle target = kNoHandle;                  // kNoHandle once cleared
    Handle prev = kNoHandle, next = kNoHandle;  // in the target's weakref list
    Sym label = kNoSym;                         // callback label, kNoSym = no callback
};

/// CPython's free lists for exact list, dict and tuple (3.11 capacities).
struct FreeLists {
    static constexpr std::uint32_t kListMax = 80;
    static constexpr std::uint32_t kDictMax = 80;
    static constexpr std::uint32_t kTupleMax = 2000;    // per size
    static constexpr std::uint32_t kTuplePopMax = 19;   // sizes 1..19 are popped
    static constexpr std::uint32_t kTuplePushMax = 20;  // sizes 1..20 are pushed
    std::uint32_t list = 0, dict = 0;
    std::array<std::uint32_t, kTuplePushMax + 1> tuple{};
};

struct GcState {
    std::array<std::int64_t, 3> threshold{700, 10, 10};
    std::array<std::uint64_t, 3> count{};
    bool enabled = true;
    bool collecting = false;
    std::uint64_t long_lived_total = 0;
    std::uint64_t long_lived_pending = 0;
    bool interpreter_frozen = false;  // gc.freeze() moved the interpreter's objects too
};

class Heap {
  public:
    Heap(const SimOptions& options, SymbolTable& symbols);

    std::optional<Diagnostic> apply(const Event& ev);
    void note_skipped(const Diagnostic& d);
    RunResult finish(const std::string& trace_path, std::uint64_t events);

    // Read-only queries (heap_queries.cpp); see Simulator.
    ObjectInfo describe(Sym id) const;
    std::optional<AccessPath> access_path(Sym id) const;
    std::optional<std::uint32_t> position_of(Sym container, Sym ref) const;
    Sym key_at(Sym container, std::uint32_t position) const;
    Sym next_append_key(Sym container) const;
    std::vector<Sym> clear_order(Sym container) const;
    std::vector<Sym> type_keys(Sym type) const;
    const std::vector<Sym>& freed_ids() const { return freed_ids_; }
    std::uint64_t live_objects() const { return live_objects_; }
    std::vector<MemoryUse> memory_use() const;  // heap_memory.cpp

  private:
    Handle live(Sym id) const { return id < id_to_object_.size() ? id_to_object_[id] : kNoHandle; }
    /// The object that holds an instance's references: itself, or its dict.
    Handle holder(Handle h) const {
        return (objects_[h].flags & flag::kMaterialized) ? edge(h, 0).target : h;
    }
    // --- events (heap_events.cpp) ---
    std::optional<Diagnostic> dispatch(const Event& ev);  // the handler of ev.kind
    std::optional<Diagnostic> on_type(const Event& ev);
    std::optional<Diagnostic> on_alloc(const Event& ev);
    std::optional<Diagnostic> on_bind(const Event& ev);
    std::optional<Diagnostic> on_unbind(const Event& ev);
    std::optional<Diagnostic> on_append(const Event& ev);
    std::optional<Diagnostic> on_set(const Event& ev);
    std::optional<Diagnostic> on_unset(const Event& ev);
    std::optional<Diagnostic> on_remove(const Event& ev);
    std::optional<Diagnostic> on_clear(const Event& ev);
    std::optional<Diagnostic> on_drop(const Event& ev);
    std::optional<Diagnostic> on_weakref(const Event& ev);
    std::optional<Diagnostic> on_collect(const Event& ev);
    std::optional<Diagnostic> on_gc(const Event& ev);
    std::optional<Diagnostic> on_threshold(const Event& ev);
    std::optional<Diagnostic> on_expect(const Event& ev);
    /// `expect collection`: why the latest collection differs, if it does.
    std::optional<std::string> check_collection(const Event& ev);
    Diagnostic error(const Event& ev, ErrorKind kind, std::string message) const;
    /// `out` = the live object `id` names; else the diagnostic (not_live).
    /// Inline: every event checks one or two ids.
    std::optional<Diagnostic> check_live(const Event& ev, Sym id, const char* what,
                                         Handle& out) const {
        out = live(id);
        if (out != kNoHandle) [[likely]]
            return std::nullopt;
        return not_live(ev, id, what);
    }
    Diagnostic not_live(const Event& ev, Sym id, const char* what) const;
    std::optional<Diagnostic> check_container(const Event& ev, Handle h) const;
    std::string quote(Sym s) const;
    /// Id forgetting (SymbolTable::forget_dead_ids): after each event.
    void forget_ids(const Event& ev, bool failed);
    bool ever_allocated(Sym id) const;

    // --- object life (heap_objects.cpp) ---
    Handle new_object(TypeId type, Sym id, Sym site, std::uint64_t bytes, bool hidden);
    /// The allocation site of a live object (not stored in Object: its
    /// SiteStats entry names it).
    Sym site_of(Handle h) const {
        const std::uint32_t word = objects_[h].profile;
        if ((word & SiteStats::kIndexMask) != SiteStats::kNoEntry || uncounted_sites_.empty())
            [[likely]]
            return site_stats_.site_of(word);
        const auto it = uncounted_sites_.find(h);
        return it == uncounted_sites_.end() ? kNoSym : it->second;
    }
    /// _PyObject_GC_Link: count0++; past the trigger the policy decides
    /// (collect now, or schedule). One compare per allocation.
    /// heap_size counts every GC allocation (Python/gc.c:_PyObject_GC_Link of
    /// 3.14.0; the incremental collector sizes its increments by it). The
    /// free-threaded builds count per thread instead (record_allocation).
    void gc_link() {
        ++heap_size_;
        if (uncounted_) return;  // `gc uncounted`: a recorded free-list block
        if (free_threaded_) return ft_record_allocation();
        if (static_cast<std::int64_t>(++gc_.count[0]) > trigger_at_) threshold_crossed();
    }
    /// PyObject_GC_Del: count0 -1, never below zero (free-threaded:
    /// record_deallocation).
    void gc_unlink_count() {
        --heap_size_;
        if (uncounted_) return;  // `gc uncounted`: a recorded free-list block
        if (free_threaded_) return ft_record_deallocation();
        if (gc_.count[0] > 0) --gc_.count[0];
    }
    void threshold_crossed();
    /// The count0 above which an allocation triggers the collector: the
    /// threshold, or "never" while the collector is disabled, collecting,
    /// at threshold 0 or absent (refcount). Call after any of those change.
    void refresh_trigger();
    void set_collecting(bool on) {
        gc_.collecting = on;
        refresh_trigger();
    }
    /// An eval-breaker check of the interpreter (3.12+): runs the collection
    /// an earlier allocation scheduled. Free when nothing is scheduled.
    void safe_point() {
        if (gc_scheduled_ && !explicit_safe_points_) run_scheduled();
    }
    void run_scheduled();
    bool freelist_pop(TypeId type, std::uint32_t items);
    void track(Handle h) { objects_.append(kGen0, h); }
    /// Whether a new display ([..], (..), {..}, {..:..}) is tracked at creation.
    bool track_display(Handle h, Layout layout, bool trackable) const {
        if (layout == Layout::Dict) return trackable || traits_.dicts_tracked_at_creation;
        if (layout == Layout::Tuple && traits_.tuple_display_tracks_by_item_type)
            return has_gc_item(h);
        return true;
    }
    bool has_gc_item(Handle h) const;  // some item's type is a GC type (3.14+ tuples)
    bool may_be_tracked(Handle h) const;
    void take_ref(Handle h);              // a new reference, taking over the creation one
    void release_creation_ref(Handle h);  // after a store that took its own reference
    void store_from_stack(Handle container, Sym key, Handle value);
    void incref(Handle h) { ++objects_[h].refcnt; }
    // Edges.
    std::uint32_t edge_count(Handle h) const { return objects_[h].nedges; }
    // A container with tombstones (deleted by key, sim/key_index.h) is
    // compacted before anything reads a position: readers see the dense
    // order. Compacting changes no logical position, so the const reader
    // may do it (Heaps are never const objects).
    Edge& edge(Handle h, std::uint32_t i) {
        if (objects_[h].flags & flag::kSparseEdges) [[unlikely]]
            compact_keyed(h);
        return refs_.at(objects_[h].edges)[i];
    }
    const Edge& edge(Handle h, std::uint32_t i) const {
        if (objects_[h].flags & flag::kSparseEdges) [[unlikely]]
            const_cast<Heap*>(this)->compact_keyed(h);
        return refs_.at(objects_[h].edges)[i];
    }
    void insert_edge(Handle h, std::uint32_t pos, Edge e);
    Edge erase_edge(Handle h, std::uint32_t pos);
    void release_edges(Handle h);
    std::optional<std::uint32_t> find_key(Handle h, Sym key) const;
    std::optional<std::uint32_t> find_target(Handle h, Handle target) const;
    // Keyed lookups (heap_key_index.cpp): O(1) through a side index once a
    // container holds more than kIndexAbove references, a scan below.
    static constexpr std::uint32_t kIndexAbove = 16;
    Edge* keyed_edge(Handle h, Sym key);  // the reference stored under key, or null
    bool has_key(Handle h, Sym key) const;
    std::optional<Edge> erase_key(Handle h, Sym key);  // del c[key]; nullopt if absent
    bool indexable(Handle h) const;
    void index_keys(Handle h);
    void unindex_keys(Handle h);
    void drop_key_index(Handle h);  // the container's references are being released
    void compact_keyed(Handle h);
    /// End of run: every container back to its dense edge array, the key
    /// indexes freed (nothing stores or deletes by key after the last event).
    std::size_t drop_key_indexes();
    std::size_t references_held() const;  // for memory_use()
    void append_indexed(Handle h, Edge e);
    // Stores a reference under `key` (dicts, instances, functions, generic),
    // stealing one reference to `value` that the caller already counted.
    void store_keyed(Handle h, Sym key, Handle value);
    void maintain_dict_tracking(Handle dict, Handle value);
    Handle materialize_dict(Handle instance);
    Sym auto_key(Handle h);
    /// The symbol of "0", "1", ...: the keys of displays, positional
    /// attributes and appends, interned once per run instead of per use.
    Sym index_key(std::uint32_t i) const {
        if (i < index_keys_.size() && index_keys_[i] != kNoSym) return index_keys_[i];
        return intern_index_key(i);
    }
    Sym intern_index_key(std::uint32_t i) const;
    /// The trace's size= if given, else the type's size and its items'.
    /// Inline: every alloc sizes its object.
    std::uint64_t object_bytes(TypeId type, std::uint32_t items, std::int64_t size_opt) const {
        if (size_opt >= 0) return static_cast<std::uint64_t>(size_opt);
        const TypeInfo& t = types_[type];
        // Free-threaded: a 32-byte PyObject header (Include/object.h@v3.13.0,
        // Py_GIL_DISABLED) and no PyGC_Head (_PyType_PreHeaderSize,
        // Include/internal/pycore_object.h@v3.13.0): non-GC objects 16 more.
        const std::uint64_t header = free_threaded_ && !t.gc ? 16 : 0;
        return header + t.base_size + t.item_size * items;
    }

    // --- freeing (dealloc.cpp) ---
    void decref(Handle h);
    bool frees_at_once(const Object& o) const;
    void free_at_once(Handle h);
    void run_deallocs(std::size_t base);
    bool dealloc_inline(Handle h);
    bool dealloc_step(std::size_t frame);
    Handle clear_weakrefs_on_death(Handle h);
    void detach_weakref(Handle wr);
    void free_object(Handle h);
    void release_all(Handle h);  // clear: drop every reference, clear order
    /// Position of the n-th reference of h in the order its type visits,
    /// clears and releases them (tp_traverse, tp_clear, tp_dealloc).
    std::uint32_t visit_position(Handle h, std::uint32_t n) const;
    void record_finalizer(Handle h);
    void record_callback(Handle wr);

    // --- collector (collector.cpp) ---
    std::uint64_t collect_generations();
    std::uint64_t collect_with_stats(int generation, Trigger trigger);
    /// Returns the references subtract_refs traversed.
    void deduce_unreachable(ListId young, ListId unreachable);
    void untrack_tuples(ListId young);
    void untrack_dicts(ListId young);
    void move_legacy_finalizers();
    std::uint64_t handle_weakrefs(ListId old);
    void finalize_garbage();
    // Collection hooks (collection_hooks.cpp): `gc finalizer` / `gc callback`.
    struct CollectionHook {
        GcAction kind;
        Handle obj;
        Sym name;
    };
    std::optional<Diagnostic> on_collection_hook(const Event& ev);
    void queue_hook_callbacks();
    bool run_hook(GcAction kind, Handle h);
    bool run_hook_callback(Handle wr);
    void handle_resurrected_objects(ListId old);
    void delete_garbage(ListId old);
    void clear_freelists();
    std::uint64_t freelist_entries() const;
    void traverse_collecting(Handle h, std::vector<Handle>& out) const;
    struct RegionOutcome {
        std::uint64_t collected = 0, uncollectable = 0;
        std::uint64_t finalizers = 0, callbacks = 0;  // run by this collection (pause model)
    };
    RegionOutcome collect_unreachable(ListId old);
    void record_collection(int generation, Trigger trigger, std::uint64_t scanned,
                           std::uint64_t promoted, RegionOutcome out,
                           const std::array<std::uint64_t, 3>& gen_sizes, std::uint64_t marked,
                           bool mark_only);
    /// gc.collect(generation) or an automatic run, under the policy's collector.
    std::uint64_t collect(int generation, Trigger trigger);
    /// gc.get_count() as the policy's interpreter reports it.
    std::array<std::int64_t, 3> get_count();

    // --- 3.14.0's incremental collector (collector_incremental.cpp) ---
    ListId visited_list() const { return static_cast<ListId>(kGen1 + visited_space_); }
    ListId pending_list() const { return static_cast<ListId>(kGen1 + (visited_space_ ^ 1)); }
    bool not_visited(Handle h) const {
        const std::uint8_t l = objects_[h].list;
        return l == kGen0 || l == pending_list();
    }
    std::uint64_t incremental_collect(int generation, Trigger trigger);
    std::uint64_t collect_young(Trigger trigger);
    std::uint64_t collect_increment(Trigger trigger);
    std::uint64_t collect_full(Trigger trigger);
    std::int64_t assess_work_to_do();
    std::uint64_t mark_at_start();
    std::uint64_t mark_all_reachable();
    std::uint64_t expand_region_transitively_reachable(Handle from);
    void completed_scavenge();

    // --- free-threaded collectors (collector_free_threaded.cpp) ---
    void ft_record_allocation();
    void ft_record_deallocation();
    bool ft_should_collect();
    bool ft_mem_usage_grew();
    std::uint64_t ft_collect(int generation, Trigger trigger, bool automatic);
    void gc_clear(Handle h);

    // --- end of run (leak_analysis.cpp, statistics.cpp) ---
    void analyse_leaks(RunResult& r);  // uses marks_ and gc_refs as scratch
    LeakRecord leak_record(Handle h, std::uint8_t mark, Sym held_by) const;
    void add_retention(LeakReason reason, Handle h, const RetentionForest& f, PathBuilder& b,
                       PathRef& path, std::string& finalizer) const;
    void compute_statistics(RunResult& r) const;
    /// After every event: one mask test inline, the sample itself out of line.
    void sample_timeline() {
        if ((event_number_ & (timeline_stride_ - 1)) == 0) add_timeline_sample();
    }
    void add_timeline_sample();
    // --- reports (timeline.cpp, retention_paths.cpp) ---
    /// Marks everything the roots reach; returns the live bytes they do not
    /// (cyclic garbage held), exact at this moment.
    std::uint64_t measure_garbage();
    bool garbage_budget_allows() const;
    /// A name got bound: list it for measure_garbage (once while listed).
    void note_bound(Sym name) {
        if (name_listed_.size() <= name) name_listed_.resize(std::size_t{name} + 1, 0);
        if (name_listed_[name]) return;
        name_listed_[name] = 1;
        bound_names_.push_back(name);
    }
    TimelineSample timeline_sample();
    /// A new object holding its creation reference: a root until it stores it.
    void note_root(Handle h) {
        if (root_listed_.size() <= h) root_listed_.resize(std::size_t{h} + 1, 0);
        if (root_listed_[h]) return;
        root_listed_[h] = 1;
        roots_.push_back(h);
        if (roots_.size() > roots_compact_at_) compact_roots();
    }
    void compact_roots();
    RetentionForest retention();  // ends the run: reuses the GC list links
    PathRef retention_path(const RetentionForest& f, PathBuilder& b, Handle h) const;
    PathRef reachable_path(const RetentionForest& f, PathBuilder& b, Handle h) const;
    PathRef path_step(PathBuilder& b, PathRef at, Handle h, Sym key) const;
    PathRef append_steps(PathBuilder& b, PathRef at, const std::vector<std::pair<Handle, Sym>>& nodes,
                         std::uint64_t elided, std::size_t head) const;

    SimOptions options_;
    SymbolTable& symbols_;
    TypeTable types_;
    ObjectTable objects_;
    RefStore refs_;
    std::unordered_map<Handle, KeyedEdges> key_indexes_;  // containers flagged kKeyIndexed
    std::vector<WeakInfo> weak_infos_;
    std::vector<std::uint32_t> free_weak_infos_;
    // By id symbol, one entry per symbol: mapped, so growing holds no second copy.
    MappedVector<Handle> id_to_object_;        // kNoHandle = not live
    MappedVector<std::uint8_t> id_seen_;       // ever allocated
    std::vector<Sym> dead_ids_;          // died since the last forget_ids batch
    static constexpr std::size_t kForgetBatch = 1 << 10;
    std::size_t forget_at_ = kForgetBatch;  // batch size that triggers forget_ids
    bool forget_ids_ = false;               // symbols_.forgets_dead_ids(), fixed per run
    std::vector<Handle> names_;          // by name symbol; kNoHandle = unbound
    std::vector<Handle> garbage_;        // gc.garbage
    GcState gc_;
    FreeLists free_lists_;
    const PolicyTraits& traits_;   // the version's data (policy.h)
    std::int64_t trigger_at_ = 0;  // see refresh_trigger
    bool gc_scheduled_ = false;    // 3.12+: a collection waits for a safe point
    std::uint64_t references_traversed_ = 0;  // by this collection's subtract_refs (pause model)
    // Recorded traces (heapsim import, events mode; docs/trace-format.md):
    // after the first `gc safepoint`, only `gc safepoint` events are safe
    // points; `gc uncounted` makes the next event leave count0 alone.
    bool explicit_safe_points_ = false;
    bool uncounted_next_ = false;
    bool uncounted_ = false;
    bool free_threaded_ = false;   // traits_.collector == FreeThreaded
    std::int64_t heap_size_ = 0;   // GC objects allocated and not yet freed (gcstate->heap_size)
    // 3.14.0 (gcstate): which old space is "visited", the work budget, the phase.
    int visited_space_ = 0;
    std::int64_t work_to_do_ = 0;
    bool mark_phase_ = true;
    // Free-threaded (gcstate / _gc_thread_state): the one thread's buffered
    // count, and 3.14t's memory test state (process memory modelled as the
    // trace's live bytes, in KiB).
    std::int64_t ft_alloc_count_ = 0;
    std::int64_t ft_last_mem_kib_ = 0;
    std::int64_t ft_deferred_count_ = 0;

    // Dealloc cascade: explicit frames instead of C++ recursion.
    struct Frame {
        Handle obj;
        std::uint32_t next_edge;
        std::uint8_t phase;
        bool counted;  // entered the trashcan (nesting was incremented)
    };
    std::vector<Frame> frames_;
    std::vector<Handle> trash_later_;  // trashcan's delete-later chain (LIFO)
    int trash_nesting_ = 0;
    int trash_limit_;                // traits_.trashcan_limit; INT_MAX = none
    int trash_drain_at_ = 0;         // traits_.trashcan_drain_at
    std::vector<Handle> scratch_;    // detached references awaiting release (stack)
    std::vector<Handle> work_;       // collector traversal scratch
    std::vector<Handle> survivors_;  // garbage that outlived its own clear
    std::vector<CollectionHook> hooks_;  // for the next collection
    std::size_t collections_checked_ = 0;  // collections_.size() at the last `expect collection`
    bool hook_bound_ = false;            // a finalizer hook bound a name in this collection

    // Run bookkeeping.
    std::uint64_t event_number_ = 0;
    std::uint64_t time_ns_ = 0;
    std::uint64_t last_collect_result_ = 0;
    bool have_collect_result_ = false;
    Summary summary_;
    std::uint64_t live_objects_ = 0, live_bytes_ = 0;
    std::vector<CollectionRecord> collections_;
    std::vector<WeakrefCallbackRecord> callbacks_;
    std::vector<FinalizerRecord> finalizers_;
    std::vector<ExpectFailure> expect_failures_;
    std::array<std::uint64_t, kErrorKindCount> skipped_{};
    std::array<std::vector<std::uint64_t>, kErrorKindCount>
        skipped_lines_{};  // the first few, ascending
    std::array<std::uint64_t, 2> promoted_{};
    std::vector<TimelineSample> timeline_;
    std::uint64_t timeline_stride_ = 1;
    std::uint64_t bytes_freed_in_collection_ = 0;
    std::uint64_t threshold_events_ = 0, threshold_events_applied_ = 0;

    // Report statistics (site_stats.h, timeline.cpp).
    SiteStats site_stats_;
    std::unordered_map<Handle, Sym> uncounted_sites_;  // site_of for objects SiteStats has no entry for
    std::uint64_t peak_live_bytes_event_ = 0;
    PeakPoint peak_garbage_;
    GarbageMarking marking_;
    std::uint64_t last_garbage_ = 0, last_garbage_event_ = 0;
    std::vector<std::uint8_t> marks_;  // by handle, reused by every measurement
    std::vector<Handle> mark_stack_;
    // measure_garbage's other roots: every object given a creation reference
    // since it last looked (new_object lists it, once per handle); it drops
    // the ones that no longer hold it.
    std::vector<Handle> roots_;
    std::vector<std::uint8_t> root_listed_;  // by handle: in roots_
    static constexpr std::size_t kRootsCompactMin = std::size_t{1} << 16;
    std::size_t roots_compact_at_ = kRootsCompactMin;  // compact_roots past this size
    std::vector<Sym> bound_names_;           // names bound since the last measurement, or still bound
    std::vector<std::uint8_t> name_listed_;  // by name symbol: in bound_names_
    std::vector<Sym> freed_ids_;  // SimOptions::record_frees
    mutable std::vector<Sym> index_keys_;  // index_key's cache, by index
    std::vector<MemoryUse> analysis_use_;   // analyse_leaks' scratch at its largest
};

}  // namespace heapsim

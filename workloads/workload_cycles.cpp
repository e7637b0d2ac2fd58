// `gen --profile cycles`: a program whose garbage is mostly cyclic.
//
// It builds doubly linked lists (some closed into rings), binary trees with
// parent pointers (slotted nodes), graphs that hold a list of their nodes,
// each node pointing back, and self-referencing resources with __del__.
// Some structures are kept under a name for a while, the rest are let go at
// once; either way they become garbage that only the collector frees. Weakref
// watchers with callbacks observe some objects, and finalizer chains freed
// by reference counting exercise the trashcan. The program calls
// gc.collect(0/1/2), changes thresholds and disables the collector for
// stretches. The ids of garbage cycles are reused after each full collect.
#include <algorithm>
#include <array>
#include <ostream>
#include <vector>

#include "workloads/seeded_rng.h"
#include "workloads/workload.h"
#include "workloads/workload_writer.h"

namespace heapsim {
namespace {

using workload::Id;
using workload::WorkloadWriter;
using workload::Tok;

constexpr std::size_t kKeepSlots = 8;
constexpr std::size_t kWatchers = 16;
constexpr std::uint64_t kMaxDepth = 7;
constexpr std::uint64_t kMaxDeferred = 4000;
constexpr std::uint64_t kSalt = 0x6379636c;  // "cycl"

class CyclesWorkload {
  public:
    CyclesWorkload(const WorkloadOptions& options, std::ostream& out)
        : options_(options), w_(out), rng_(options.seed ^ kSalt) {}

    WorkloadStats run();

  private:
    void step() { w_.tick(rng_.range(50, 500)); }
    Id atom(std::string_view site) { return w_.alloc(rng_.percent(60) ? "str" : "int", {}, site); }
    std::uint64_t budget(std::uint64_t lo, std::uint64_t hi);

    void setup();
    void action();
    void linked_list();
    void tree();
    void graph();
    void resource_cycle();
    void finalizer_chain();
    void watch(Id target);
    void unwatch();
    void keep_or_let_go(Tok name, Id head);
    void let_go_kept();
    void gc_control();
    void full_collect();

    WorkloadOptions options_;
    WorkloadWriter w_;
    SeededRng rng_;
    WorkloadStats stats_;

    std::vector<Id> built_;  // objects of the structure being built
    std::array<std::vector<Id>, kKeepSlots> kept_;  // structures kept under keepN
    std::array<Id, kWatchers> watchers_{};         // weakref bound to wN, or 0
    bool gc_disabled_ = false;
    std::uint64_t enable_at_ = 0;
};

/// A structure size in [lo, hi], smaller near the end of the trace.
std::uint64_t CyclesWorkload::budget(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t left =
        options_.events > w_.events() ? (options_.events - w_.events()) / 4 : 0;
    return std::max<std::uint64_t>(2, std::min(rng_.range(lo, hi), left));
}

void CyclesWorkload::setup() {
    w_.raw_line("# heapsim workload trace: profile cycles, seed " + std::to_string(options_.seed) +
                ", events " + std::to_string(options_.events));
    w_.raw_line("heaptrace 1");
    w_.raw_line(kEndRecordPromise);
    w_.type("Node instance");
    w_.type("TreeNode instance slots=3");
    w_.type("Graph instance");
    w_.type("Resource instance finalizer");
}

void CyclesWorkload::action() {
    if (gc_disabled_ && w_.events() >= enable_at_) {
        w_.gc("enable");
        gc_disabled_ = false;
    }
    const auto r = rng_.below(100);
    if (r < 25) return linked_list();
    if (r < 45) return tree();
    if (r < 55) return graph();
    if (r < 67) return resource_cycle();
    if (r < 72) return finalizer_chain();
    if (r < 80) return let_go_kept();
    if (r < 88) return unwatch();
    gc_control();
}

/// cur = Node(); cur.prev = prv; prv.next = cur; prv = cur ... and
/// sometimes the tail is joined to the head.
void CyclesWorkload::linked_list() {
    const auto n = budget(3, 80);
    step();
    const Id head = w_.alloc("Node", {}, "cycles/dlist.py:10");
    w_.bind("head", head);
    w_.bind("prv", head);
    built_.push_back(head);
    Id prev = head;
    for (std::uint64_t i = 1; i < n; ++i) {
        step();
        const Id x = w_.alloc("Node", {}, "cycles/dlist.py:14");
        w_.bind("cur", x);
        w_.set(x, "prev", prev);
        w_.set(prev, "next", x);
        built_.push_back(x);
        if (rng_.percent(30)) {
            const Id data = atom("cycles/dlist.py:17");
            w_.set(x, "data", data);
            built_.push_back(data);
        }
        if (rng_.percent(4)) {
            const Id res = w_.alloc("Resource", {}, "cycles/dlist.py:19");
            w_.set(x, "res", res);
            built_.push_back(res);
        }
        if (rng_.percent(3)) watch(x);
        w_.bind("prv", x);
        prev = x;
    }
    if (n > 1 && rng_.percent(30)) {  // a ring
        w_.set(head, "prev", prev);
        w_.set(prev, "next", head);
    }
    if (n > 1) w_.unbind("cur");
    w_.unbind("prv");
    keep_or_let_go("head", head);
}

/// A binary tree with parent pointers, built depth first: the node at depth
/// k is bound to dk while its subtrees are built.
void CyclesWorkload::tree() {
    const auto cap = budget(4, 60);
    step();
    const Id root = w_.alloc("TreeNode", {}, "cycles/tree.py:8");
    w_.bind(Tok("d", 0), root);
    built_.push_back(root);
    std::array<Id, kMaxDepth + 1> path{};
    std::array<std::uint8_t, kMaxDepth + 1> next_side{};  // 0 left, 1 right, 2 done
    path[0] = root;
    std::uint64_t depth = 0, count = 1;
    for (;;) {
        if (next_side[depth] < 2) {
            const bool left = next_side[depth]++ == 0;
            if (count >= cap || depth + 1 > kMaxDepth || !rng_.percent(depth == 0 ? 95 : 75 - 8 * depth))
                continue;
            step();
            const Id child = w_.alloc("TreeNode", {}, "cycles/tree.py:15");
            w_.bind(Tok("d", depth + 1), child);
            w_.set(child, "parent", path[depth]);
            w_.set(path[depth], left ? "left" : "right", child);
            built_.push_back(child);
            if (rng_.percent(3)) watch(child);
            ++count;
            path[++depth] = child;
            next_side[depth] = 0;
            continue;
        }
        if (depth == 0) break;
        w_.unbind(Tok("d", depth));
        --depth;
    }
    keep_or_let_go(Tok("d", 0), root);
}

/// g.nodes = [Node(g), ...]: every node points back to its graph.
void CyclesWorkload::graph() {
    const auto n = budget(2, 30);
    step();
    const Id g = w_.alloc("Graph", {}, "cycles/graph.py:5");
    w_.bind("g", g);
    built_.push_back(g);
    const Id nodes = w_.alloc("list", {}, "cycles/graph.py:6");
    built_.push_back(nodes);
    for (std::uint64_t i = 0; i < n; ++i) {
        step();
        const Id v = w_.alloc("Node", {}, "cycles/graph.py:8");
        w_.set(v, "graph", g);
        if (rng_.percent(20)) {
            const Id weight = w_.alloc("float", {}, "cycles/graph.py:9");
            w_.set(v, "data", weight);
            built_.push_back(weight);
        }
        w_.append(nodes, v);
        built_.push_back(v);
    }
    w_.set(g, "nodes", nodes);
    keep_or_let_go("g", g);
}

/// r.self = r (or r1 <-> r2) with __del__: finalized by the collector.
void CyclesWorkload::resource_cycle() {
    step();
    const Id r = w_.alloc("Resource", {}, "cycles/res.py:20");
    if (rng_.percent(25)) watch(r);
    w_.bind("r", r);  // r.self = r would take over the creation reference
    if (rng_.percent(50)) {
        w_.set(r, "self", r);
        w_.unbind("r");
        w_.defer(r);
        return;
    }
    const Id other = w_.alloc("Resource", {}, "cycles/res.py:24");
    w_.set(other, "peer", r);
    w_.set(r, "peer", other);
    w_.unbind("r");
    w_.defer(r);
    w_.defer(other);
}

/// A singly linked chain of finalizers built tail first and dropped: freed
/// by reference counting, through the trashcan when long.
void CyclesWorkload::finalizer_chain() {
    const auto n = budget(10, 300);
    step();
    Id prev = w_.alloc("Resource", {}, "cycles/chain.py:9");
    built_.push_back(prev);
    for (std::uint64_t i = 1; i < n; ++i) {
        const Id x = w_.alloc("Resource", {}, "cycles/chain.py:11");
        w_.set(x, "next", prev);
        built_.push_back(x);
        prev = x;
    }
    w_.drop(prev);
    for (const Id id : built_) w_.release(id);
    built_.clear();
}

/// wN = weakref.ref(target, callback): rebinding wN frees the weakref it held.
void CyclesWorkload::watch(Id target) {
    const auto slot = rng_.below(kWatchers);
    const Id w = w_.weakref(target, rng_.percent(50) ? "on_dead" : "on_close");
    w_.bind(Tok("w", slot), w);
    if (watchers_[slot] != 0) w_.release(watchers_[slot]);
    watchers_[slot] = w;
}

void CyclesWorkload::unwatch() {
    const auto slot = rng_.below(kWatchers);
    if (watchers_[slot] == 0) return gc_control();
    step();
    w_.unbind(Tok("w", slot));
    w_.release(watchers_[slot]);
    watchers_[slot] = 0;
}

/// The structure is bound to `name`: keep it under a free keepN for a while,
/// or let it go now. Either way it is garbage once unbound.
void CyclesWorkload::keep_or_let_go(Tok name, Id head) {
    const auto slot = rng_.below(kKeepSlots);
    if (kept_[slot].empty() && rng_.percent(40)) {
        w_.bind(Tok("keep", slot), head);
        kept_[slot].swap(built_);
    } else {
        for (const Id id : built_) w_.defer(id);
    }
    built_.clear();
    w_.unbind(name);
    if (w_.deferred() >= kMaxDeferred) full_collect();
}

void CyclesWorkload::let_go_kept() {
    const auto slot = rng_.below(kKeepSlots);
    if (kept_[slot].empty()) return resource_cycle();
    step();
    w_.unbind(Tok("keep", slot));
    for (const Id id : kept_[slot]) w_.defer(id);
    kept_[slot].clear();
}

void CyclesWorkload::gc_control() {
    step();
    const auto r = rng_.below(100);
    if (r < 30) return full_collect();
    if (r < 60) return w_.collect(static_cast<int>(rng_.below(2)));
    if (r < 85) {
        if (rng_.percent(30)) return w_.threshold(700, 10, 10);
        return w_.threshold(rng_.range(100, 1000), rng_.range(5, 20), rng_.range(5, 20));
    }
    if (!gc_disabled_) {
        w_.gc("disable");
        gc_disabled_ = true;
        enable_at_ = w_.events() + rng_.range(100, 2000);
    }
}

void CyclesWorkload::full_collect() {
    w_.tick(rng_.range(20000, 400000));
    w_.collect(2);
}

WorkloadStats CyclesWorkload::run() {
    setup();
    while (w_.events() < options_.events) {
        action();
        stats_.peak_tracked = std::max(stats_.peak_tracked, w_.tracked());
    }
    if (gc_disabled_) w_.gc("enable");
    full_collect();  // counts at zero at the end (see workload_web.cpp)
    w_.finish(stats_);
    return stats_;
}

}  // namespace

WorkloadStats write_cycles_trace(const WorkloadOptions& options, std::ostream& out) {
    return CyclesWorkload(options, out).run();
}

}  // namespace heapsim

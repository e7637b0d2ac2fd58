// Retention paths at the end of the run (retention_paths.h).
#include "sim/retention_paths.h"

#include <algorithm>
#include <deque>

#include "sim/heap.h"

namespace heapsim {

namespace {
constexpr std::uint32_t kUnreached = RetentionForest::kUnreached;
}  // namespace

RetentionForest Heap::retention() {
    const std::size_t n = objects_.capacity();
    RetentionForest f;
    f.objects = &objects_;
    f.marks = &marks_;  // analyse_leaks' marks: depth codes start at 0 (unreached)
    const auto live = [&](Handle h) { return (objects_[h].flags & flag::kLive) != 0; };
    const auto deeper = [](std::uint8_t code) {
        return code == RetentionForest::kDeepCode ? code : static_cast<std::uint8_t>(code + 1);
    };

    // Reachable: one breadth-first pass from every root at once. At a root,
    // `via` holds its name (kNoSym for a temporary). The queue frees its
    // blocks as they are read, so it holds one frontier, not every
    // reachable object.
    std::deque<Handle> queue;
    const auto root = [&](Handle h, Sym name) {
        if (f.reachable(h)) return;
        f.set_depth_code(h, 1);
        f.set_tree(h, kNoHandle, name);
        queue.push_back(h);
    };
    for (Sym name = 0; name < names_.size(); ++name)
        if (names_[name] != kNoHandle) root(names_[name], name);
    for (Handle h = kListCount; h < n; ++h)
        if (live(h) && (objects_[h].flags & flag::kCreationRef)) root(h, kNoSym);
    std::size_t widest = queue.size();
    while (!queue.empty()) {
        const Handle h = queue.front();
        queue.pop_front();
        const std::uint8_t code = deeper(f.depth_code(h));
        for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
            const Handle t = edge(h, k).target;
            if (f.reachable(t)) continue;
            f.set_depth_code(t, code);
            f.set_tree(t, h, k);
            queue.push_back(t);
        }
        widest = std::max(widest, queue.size());
    }
    f.queue_bytes = widest * sizeof(Handle);
    // Garbage: dense indices, so its arrays cost nothing when there is none.
    std::vector<Handle>& gnode = f.gnode;
    for (Handle h = kListCount; h < n; ++h) {
        if (live(h) && !f.reachable(h)) {
            objects_[h].gc_refs = static_cast<std::uint32_t>(gnode.size());
            gnode.push_back(h);
        }
    }
    const std::size_t g = gnode.size();
    std::vector<Handle> gqueue;  // the garbage's queues are as small as it
    const auto gi = [&](Handle h) { return f.gidx(h); };
    // Strongly connected components: iterative Tarjan in handle order.
    f.comp.assign(g, kUnreached);
    std::vector<std::uint32_t> index(g, kUnreached), low(g, 0);
    std::vector<std::uint8_t> on_stack(g, 0);
    std::vector<std::uint32_t> stack;
    struct Frame {
        std::uint32_t v;
        std::uint32_t next;
    };
    std::vector<Frame> frames;
    std::uint32_t counter = 0;
    std::vector<std::uint32_t> comp_size;
    for (std::uint32_t s0 = 0; s0 < g; ++s0) {
        if (index[s0] != kUnreached) continue;
        frames.push_back(Frame{s0, 0});
        index[s0] = low[s0] = counter++;
        stack.push_back(s0);
        on_stack[s0] = 1;
        while (!frames.empty()) {
            Frame& fr = frames.back();
            const std::uint32_t v = fr.v;
            const Handle h = gnode[v];
            if (fr.next < objects_[h].nedges) {
                const std::uint32_t w = gi(edge(h, fr.next++).target);
                if (w == kUnreached) continue;  // reachable or dead: not garbage
                if (index[w] == kUnreached) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    on_stack[w] = 1;
                    frames.push_back(Frame{w, 0});
                } else if (on_stack[w]) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                const auto c = static_cast<std::uint32_t>(comp_size.size());
                comp_size.push_back(0);
                std::uint32_t m;
                do {
                    m = stack.back();
                    stack.pop_back();
                    on_stack[m] = 0;
                    f.comp[m] = c;
                    ++comp_size[c];
                } while (m != v);
            }
            frames.pop_back();
            if (!frames.empty()) low[frames.back().v] = std::min(low[frames.back().v], low[v]);
        }
    }
    const std::size_t ncomp = comp_size.size();
    f.cyclic.assign(ncomp, 0);
    f.rep.assign(ncomp, kNoHandle);
    f.first_pred.assign(ncomp, kNoHandle);
    f.first_pred_via.assign(ncomp, 0);
    for (std::uint32_t v = 0; v < g; ++v) {
        const Handle h = gnode[v];
        const std::uint32_t c = f.comp[v];
        if (f.rep[c] == kNoHandle) f.rep[c] = h;  // the lowest handle
        if (comp_size[c] > 1) f.cyclic[c] = 1;
        for (std::uint32_t k = 0; k < objects_[h].nedges; ++k)
            if (edge(h, k).target == h) f.cyclic[c] = 1;
    }
    // Reverse edges inside components (CSR), for the trees toward each representative.
    const auto same_comp = [&](std::uint32_t v, Handle t) {
        const std::uint32_t w = gi(t);
        return w != kUnreached && f.comp[w] == f.comp[v];
    };
    std::vector<std::uint32_t> rstart(g + 1, 0);
    for (std::uint32_t v = 0; v < g; ++v)
        for (std::uint32_t k = 0; k < objects_[gnode[v]].nedges; ++k)
            if (same_comp(v, edge(gnode[v], k).target)) ++rstart[gi(edge(gnode[v], k).target) + 1];
    for (std::size_t i = 0; i < g; ++i) rstart[i + 1] += rstart[i];
    std::vector<std::pair<Handle, std::uint32_t>> redges(rstart[g]);
    {
        std::vector<std::uint32_t> fill(rstart.begin(), rstart.end() - 1);
        for (std::uint32_t v = 0; v < g; ++v)
            for (std::uint32_t k = 0; k < objects_[gnode[v]].nedges; ++k) {
                const Handle t = edge(gnode[v], k).target;
                if (same_comp(v, t)) redges[fill[gi(t)]++] = {gnode[v], k};
            }
    }
    f.fpar.assign(g, kNoHandle);
    f.rnext.assign(g, kNoHandle);
    f.fvia.assign(g, 0);
    f.rvia.assign(g, 0);
    f.fdepth.assign(g, kUnreached);
    f.rdepth.assign(g, kUnreached);
    for (std::size_t c = 0; c < ncomp; ++c) {
        if (!f.cyclic[c]) continue;
        const Handle r = f.rep[c];
        gqueue.assign(1, r);
        f.fdepth[gi(r)] = 0;
        for (std::size_t i = 0; i < gqueue.size(); ++i) {
            const Handle h = gqueue[i];
            for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
                const Handle t = edge(h, k).target;
                if (!same_comp(gi(r), t) || f.fdepth[gi(t)] != kUnreached) continue;
                f.fdepth[gi(t)] = f.fdepth[gi(h)] + 1;
                f.fpar[gi(t)] = h;
                f.fvia[gi(t)] = k;
                gqueue.push_back(t);
            }
        }
        gqueue.assign(1, r);
        f.rdepth[gi(r)] = 0;
        for (std::size_t i = 0; i < gqueue.size(); ++i) {
            const Handle h = gqueue[i];
            for (std::uint32_t j = rstart[gi(h)]; j < rstart[gi(h) + 1]; ++j) {
                const auto [u, k] = redges[j];
                if (h == r && f.first_pred[c] == kNoHandle) {
                    f.first_pred[c] = u;
                    f.first_pred_via[c] = k;
                }
                if (f.rdepth[gi(u)] != kUnreached) continue;
                f.rdepth[gi(u)] = f.rdepth[gi(h)] + 1;
                f.rnext[gi(u)] = h;
                f.rvia[gi(u)] = k;
                gqueue.push_back(u);
            }
        }
    }
    // Garbage outside cycles: from the nearest member of a cycle.
    f.gpar.assign(g, kNoHandle);
    f.gvia.assign(g, 0);
    f.gdepth.assign(g, kUnreached);
    gqueue.clear();
    for (std::uint32_t v = 0; v < g; ++v) {
        if (f.cyclic[f.comp[v]]) {
            f.gdepth[v] = 0;
            gqueue.push_back(gnode[v]);
        }
    }
    for (std::size_t i = 0; i < gqueue.size(); ++i) {
        const Handle h = gqueue[i];
        for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
            const Handle t = edge(h, k).target;
            if (gi(t) == kUnreached || f.gdepth[gi(t)] != kUnreached) continue;
            f.gdepth[gi(t)] = f.gdepth[gi(h)] + 1;
            f.gpar[gi(t)] = h;
            f.gvia[gi(t)] = k;
            gqueue.push_back(t);
        }
    }
    // Uncollectable garbage: the nearest object with a legacy finalizer.
    f.finalizer.assign(g, kNoHandle);
    gqueue.clear();
    for (std::uint32_t v = 0; v < g; ++v) {
        if (types_[objects_[gnode[v]].type].legacy_finalizer) {
            f.finalizer[v] = gnode[v];
            gqueue.push_back(gnode[v]);
        }
    }
    for (std::size_t i = 0; i < gqueue.size(); ++i) {
        const Handle h = gqueue[i];
        for (std::uint32_t k = 0; k < objects_[h].nedges; ++k) {
            const Handle t = edge(h, k).target;
            if (gi(t) == kUnreached || f.finalizer[gi(t)] != kNoHandle) continue;
            f.finalizer[gi(t)] = f.finalizer[gi(h)];
            gqueue.push_back(t);
        }
    }
    return f;
}

// Climbs from h to the nearest ancestor whose depth is known (a shallow
// one: its depth code says it, and it is its own head) or memoized, then
// comes back down counting, memoizing every kCheckpoint-th level so that
// later climbs through the same chain stop within kCheckpoint steps.
RetentionForest::Place RetentionForest::locate(Handle h) const {
    climb.clear();
    Place at{};
    for (;;) {
        const std::uint8_t code = depth_code(h);
        if (code < kDeepCode) {
            at = Place{code - 1u, h};  // depth < kPathHead: its own head
            break;
        }
        if (const auto it = checkpoints.find(h); it != checkpoints.end()) {
            at = it->second;
            break;
        }
        climb.push_back(h);
        h = parent(h);
    }
    for (std::size_t i = climb.size(); i-- > 0;) {
        const Handle c = climb[i];
        at = Place{at.depth + 1, at.depth + 1 < kPathHead ? c : at.head};
        if (at.depth % kCheckpoint == 0) checkpoints.emplace(c, at);
    }
    return at;
}

// Appends nodes (handle, key of the reference into it) as steps, with one
// step standing for `elided` left out before node `head`. Hidden objects (a
// materialized __dict__) are no step of their own: the reference out of
// them is keyed, and that key is on the next step.
PathRef Heap::append_steps(PathBuilder& b, PathRef at,
                           const std::vector<std::pair<Handle, Sym>>& nodes, std::uint64_t elided,
                           std::size_t head) const {
    for (std::size_t i = 0; i <= nodes.size(); ++i) {
        if (i == head && elided > 0) at = b.store.elided(at, elided);
        if (i == nodes.size()) break;
        const auto [h, key] = nodes[i];
        if (!(objects_[h].flags & flag::kHidden)) at = path_step(b, at, h, key);
    }
    return at;
}

PathRef Heap::path_step(PathBuilder& b, PathRef at, Handle h, Sym key) const {
    const Object& o = objects_[h];
    return b.store.object(at, b.string(o.id), b.string(types_[o.type].name), b.string(key));
}

// The path of a reachable object at most kPathHead + kPathTail - 1 deep:
// its parent's path and one step, each made once (PathBuilder::memo).
PathRef Heap::reachable_path(const RetentionForest& f, PathBuilder& b, Handle x) const {
    std::vector<Handle>& chain = b.chain;
    chain.clear();
    Handle h = x;
    while (b.memo_of(h) == PathBuilder::kUnset) {
        chain.push_back(h);
        if (f.parent(h) == kNoHandle) break;
        h = f.parent(h);
    }
    PathRef at = b.memo_of(h);
    if (at == PathBuilder::kUnset) {  // h is the root: its name, then itself
        at = kEmptyPath;
        if (f.via(h) != kNoSym) at = b.store.name(at, b.string(f.via(h)));
        if (!(objects_[h].flags & flag::kHidden)) at = path_step(b, at, h, kNoSym);
        b.memo[h] = at;
        chain.pop_back();
    }
    for (std::size_t i = chain.size(); i-- > 0;) {
        const Handle c = chain[i];
        if (!(objects_[c].flags & flag::kHidden))
            at = path_step(b, at, c, edge(f.parent(c), f.via(c)).key);
        b.memo[c] = at;
    }
    return at;
}

PathRef Heap::retention_path(const RetentionForest& f, PathBuilder& b, Handle x) const {
    std::vector<std::pair<Handle, Sym>> nodes;
    const auto key_in = [&](Handle from, std::uint32_t pos) { return edge(from, pos).key; };
    if (f.reachable(x)) {
        // Root to x: the first kPathHead nodes (the path of head_end, shared),
        // one step for the elided ones, the last kPathTail from x.
        const std::uint64_t count = std::uint64_t{f.depth(x)} + 1;
        if (count <= kPathHead + kPathTail) return reachable_path(f, b, x);
        Handle h = x;
        for (std::size_t i = 0; i < kPathTail; ++i, h = f.parent(h))
            nodes.emplace_back(h, key_in(f.parent(h), f.via(h)));
        std::reverse(nodes.begin(), nodes.end());
        const PathRef head = reachable_path(f, b, f.head_end(x));
        return append_steps(b, head, nodes, count - kPathHead - kPathTail, 0);
    }
    // A cycle through x (x -> representative -> x), or the cycle of the
    // nearest member, then the chain from it to x.
    const auto cycle_nodes = [&](Handle o, std::vector<std::pair<Handle, Sym>>& out,
                                 std::uint64_t& elided, std::size_t& head_size) {
        const std::uint32_t c = f.comp[f.gidx(o)];
        const Handle r = f.rep[c];
        // Head: o toward r, at most kPathHead nodes.
        out.clear();
        Sym key = kNoSym;
        for (Handle h = o;;) {
            out.emplace_back(h, key);
            if (h == r || out.size() == kPathHead) break;
            key = key_in(h, f.rvia[f.gidx(h)]);
            h = f.rnext[f.gidx(h)];
        }
        head_size = out.size();
        // Tail: r's forward tree down to o (or, for r itself, to a member
        // referring to r, then r again), at most kPathTail nodes.
        const Handle end = o == r ? f.first_pred[c] : o;
        std::vector<std::pair<Handle, Sym>> down;
        for (Handle d = end; d != r && down.size() < kPathTail; d = f.fpar[f.gidx(d)])
            down.emplace_back(d, key_in(f.fpar[f.gidx(d)], f.fvia[f.gidx(d)]));
        out.insert(out.end(), down.rbegin(), down.rend());
        if (o == r) out.emplace_back(r, key_in(end, f.first_pred_via[c]));
        const std::uint64_t total =
            std::uint64_t{f.rdepth[f.gidx(o)]} + 1 + f.fdepth[f.gidx(end)] + (o == r ? 1 : 0);
        elided = total - out.size();
    };
    std::uint64_t elided = 0;
    std::size_t head_size = 0;
    if (f.comp[f.gidx(x)] != kUnreached && f.cyclic[f.comp[f.gidx(x)]]) {
        cycle_nodes(x, nodes, elided, head_size);
        return append_steps(b, kEmptyPath, nodes, elided, head_size);
    }
    if (f.gdepth[f.gidx(x)] == kUnreached) return path_step(b, kEmptyPath, x, kNoSym);
    Handle o = x;
    std::vector<std::pair<Handle, Sym>> chain;  // x up to (excluding) o, reversed
    std::uint64_t chain_elided = 0;
    while (f.gpar[f.gidx(o)] != kNoHandle) {
        if (chain.size() < kPathTail)
            chain.emplace_back(o, key_in(f.gpar[f.gidx(o)], f.gvia[f.gidx(o)]));
        else
            ++chain_elided;
        o = f.gpar[f.gidx(o)];
    }
    cycle_nodes(o, nodes, elided, head_size);
    const PathRef cycle = append_steps(b, kEmptyPath, nodes, elided, head_size);
    nodes.assign(chain.rbegin(), chain.rend());
    return append_steps(b, cycle, nodes, chain_elided, 0);
}

}  // namespace heapsim

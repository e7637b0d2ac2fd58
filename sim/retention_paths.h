#pragma once
// Why each object alive at the end is still alive, found once for the whole
// heap in time linear in it (no search per leak, no recursion):
//
// - reachable objects: one breadth-first pass from all roots at once (bound
//   names in symbol order, then temporaries in handle order) gives each a
//   shortest chain from a root;
// - garbage (what no root reaches): its strongly connected components
//   (iterative Tarjan); each cyclic component gets a forward and a reverse
//   breadth-first tree from one representative, so any member has a cycle
//   through it (member -> representative -> member); garbage outside every
//   cycle is reached from the nearest cycle by one more breadth-first pass;
//   uncollectable garbage is attributed to the nearest object with a legacy
//   finalizer (tp_del) that reaches it.
//
// Heap::retention() builds it; Heap::retention_path() reads one path off it
// into a RetentionPathStore (retention_path_store.h).

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "events/symbol_table.h"
#include "sim/object_table.h"
#include "sim/ref_store.h"
#include "sim/retention_path_store.h"

namespace heapsim {

struct RetentionForest {
    static constexpr std::uint32_t kUnreached = 0xFFFFFFFFu;
    // Reachable objects: breadth-first tree from the roots. Each one's parent
    // and the edge position in it (at a root: kNoHandle and its name) are in
    // its GC list links (Object::prev / next): the run is over, nothing
    // reads the lists again (Simulator::finish is called once), and the
    // run's memory peak is here, so the tree costs no array of its own.
    ObjectTable* objects = nullptr;
    std::vector<std::uint32_t> depth;  // kUnreached: garbage (or dead)
    // One array for two meanings that never meet (4 bytes a handle less at
    // the run's memory peak): a reachable object's ancestor at depth
    // kPathHead - 1 (or itself if shallower); a garbage object's dense index
    // (gidx). Read it through head_end() / gidx().
    std::vector<std::uint32_t> head_or_gidx;
    // Garbage, by dense index (gidx; gnode is the inverse), except the
    // per-component arrays (cyclic, rep, first_pred*).
    std::vector<Handle> gnode;
    std::vector<std::uint32_t> comp;   // strongly connected component, kUnreached if none
    std::vector<std::uint8_t> cyclic;  // by component: holds a cycle
    std::vector<Handle> rep;           // by component: its representative
    std::vector<Handle> fpar, rnext;   // forward tree parent / next hop toward the representative
    std::vector<std::uint32_t> fvia, rvia, fdepth, rdepth;
    std::vector<Handle> first_pred;  // by component: a member referring to the representative
    std::vector<std::uint32_t> first_pred_via;
    std::vector<Handle> gpar;  // outside cycles: parent toward the nearest cycle member
    std::vector<std::uint32_t> gvia, gdepth;
    std::vector<Handle> finalizer;  // the nearest legacy-finalizer object reaching it

    /// Reachable h: its parent in the tree, kNoHandle at a root.
    Handle parent(Handle h) const { return (*objects)[h].prev; }
    /// Reachable h: the position of the edge to it in its parent; at a root,
    /// the name that binds it (kNoSym for a temporary).
    std::uint32_t via(Handle h) const { return (*objects)[h].next; }
    void set_tree(Handle h, Handle parent_handle, std::uint32_t via_position) {
        (*objects)[h].prev = parent_handle;
        (*objects)[h].next = via_position;
    }
    /// Reachable h: its ancestor at depth kPathHead - 1, or itself if shallower.
    Handle head_end(Handle h) const { return head_or_gidx[h]; }
    /// h's index among the garbage; kUnreached when it is not garbage.
    std::uint32_t gidx(Handle h) const {
        return depth[h] == kUnreached ? head_or_gidx[h] : kUnreached;
    }

    std::size_t queue_bytes = 0;  // the breadth-first queue's, freed inside retention()
    /// Bytes of its arrays (sim/memory_use.h).
    std::size_t bytes() const {
        std::size_t b = 0;
        const auto add = [&](const auto& v) { b += v.capacity() * sizeof(v[0]); };
        add(depth), add(head_or_gidx), add(gnode), add(comp), add(cyclic), add(rep), add(fpar);
        add(rnext), add(fvia), add(rvia), add(fdepth), add(rdepth), add(first_pred);
        add(first_pred_via), add(gpar), add(gvia), add(gdepth), add(finalizer);
        return b;
    }

    /// A length to prefer one object's path by (shorter first).
    std::uint64_t length(Handle h) const {
        if (depth[h] != kUnreached) return depth[h];
        const std::uint32_t g = gidx(h);
        if (g == kUnreached) return 0;
        if (cyclic[comp[g]]) return std::uint64_t{rdepth[g]} + fdepth[g];
        return gdepth[g] == kUnreached ? 0 : std::uint64_t{1} << 32 | gdepth[g];
    }
};

/// Writes paths into a store: each symbol's string once, and the path of
/// each reachable object near a root once (`memo`), so paths through the
/// same chain share its nodes.
struct PathBuilder {
    static constexpr PathRef kUnset = 0xFFFFFFFFu;
    PathBuilder(RetentionPathStore& s, const SymbolTable& t) : store(s), symbols(t) {}
    std::uint32_t string(Sym sym) {
        if (sym == kNoSym) return RetentionPathStore::kNoString;
        const auto [it, fresh] = strings.try_emplace(sym, 0);
        if (fresh) it->second = store.add_string(symbols.str(sym));
        return it->second;
    }
    RetentionPathStore& store;
    const SymbolTable& symbols;
    std::unordered_map<Sym, std::uint32_t> strings;
    /// The path made for reachable object h, kUnset if none yet.
    PathRef memo_of(Handle h) const {
        const auto it = memo.find(h);
        return it == memo.end() ? kUnset : it->second;
    }
    // Only the objects on reported paths (a map, not an array by handle:
    // the reports name at most max_leak_records objects plus one a group).
    std::unordered_map<Handle, PathRef> memo;
    std::vector<Handle> chain;  // scratch
};

}  // namespace heapsim

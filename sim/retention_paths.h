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
    // Nothing here is an array by handle: the run's memory peak is at its
    // end, where this is built, so each object's part of the forest lives
    // in what the object already has and the run no longer needs.
    //
    // Reachable objects: breadth-first tree from the roots. Each one's parent
    // and the edge position in it (at a root: kNoHandle and its name) are in
    // its GC list links (Object::prev / next): the run is over, nothing
    // reads the lists again (Simulator::finish is called once).
    ObjectTable* objects = nullptr;
    // Its depth is in the upper five bits of its leak mark (Heap::marks_,
    // whose marks take the lower three): 0 unreached (garbage or dead),
    // d + 1 for depth d < kDeepCode - 1, kDeepCode deeper. A deeper one's
    // depth is counted up the tree to the nearest shallow ancestor or
    // memoized checkpoint (locate()).
    std::vector<std::uint8_t>* marks = nullptr;
    static constexpr unsigned kMarkBits = 3;
    static constexpr std::uint8_t kMarkMask = (1u << kMarkBits) - 1;  // the leak mark's bits
    static constexpr std::uint8_t kDeepCode = 31;
    static constexpr std::uint32_t kCheckpoint = 16;  // deep depths memoized every 16 levels
    // Garbage, by dense index (gidx, kept in the object's collector scratch
    // gc_refs, which the leak analysis reads for reachable objects only;
    // gnode is the inverse), except the per-component arrays (cyclic, rep,
    // first_pred*).
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
    std::uint8_t depth_code(Handle h) const { return (*marks)[h] >> kMarkBits; }
    void set_depth_code(Handle h, std::uint8_t code) {
        (*marks)[h] =
            static_cast<std::uint8_t>(((*marks)[h] & kMarkMask) | code << kMarkBits);
    }
    /// Whether a root reaches h.
    bool reachable(Handle h) const { return depth_code(h) != 0; }
    /// Reachable h: its depth and its ancestor at depth kPathHead - 1 (itself
    /// if shallower).
    struct Place {
        std::uint32_t depth;
        Handle head;
    };
    Place locate(Handle h) const;
    std::uint32_t depth(Handle h) const {
        const std::uint8_t code = depth_code(h);
        return code < kDeepCode ? code - 1u : locate(h).depth;
    }
    /// Reachable h: its ancestor at depth kPathHead - 1, or itself if shallower.
    Handle head_end(Handle h) const { return locate(h).head; }
    /// h's index among the garbage; kUnreached when it is not garbage.
    std::uint32_t gidx(Handle h) const {
        const Object& o = (*objects)[h];
        return depth_code(h) == 0 && (o.flags & flag::kLive) ? o.gc_refs : kUnreached;
    }
    mutable std::unordered_map<Handle, Place> checkpoints;  // deep objects' locate(), memoized
    mutable std::vector<Handle> climb;                      // locate()'s scratch

    std::size_t queue_bytes = 0;  // the breadth-first queue's, freed inside retention()
    /// Bytes of its arrays (sim/memory_use.h).
    std::size_t bytes() const {
        std::size_t b = 0;
        const auto add = [&](const auto& v) { b += v.capacity() * sizeof(v[0]); };
        b += checkpoints.size() * (sizeof(Handle) + sizeof(Place) + 2 * sizeof(void*));
        add(gnode), add(comp), add(cyclic), add(rep), add(fpar);
        add(rnext), add(fvia), add(rvia), add(fdepth), add(rdepth), add(first_pred);
        add(first_pred_via), add(gpar), add(gvia), add(gdepth), add(finalizer);
        return b;
    }

    /// A length to prefer one object's path by (shorter first).
    std::uint64_t length(Handle h) const {
        if (reachable(h)) return depth(h);
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

// Read-only questions about the heap between two events, asked by tools that
// replay the trace elsewhere (heapsim verify writes each event as Python and
// must say how the program reaches every object it touches).
#include <string>

#include "sim/heap.h"

namespace heapsim {

ObjectInfo Heap::describe(Sym id) const {
    ObjectInfo info;
    const Handle h = live(id);
    if (h == kNoHandle) return info;
    const Object& o = objects_[h];
    const TypeInfo& t = types_[o.type];
    info.live = true;
    info.type = t.name;
    info.layout = t.layout;
    info.creation_ref = o.flags & flag::kCreationRef;
    info.slotted = t.layout == Layout::Instance && t.slots >= 0;
    info.materialized = o.flags & flag::kMaterialized;
    info.references = objects_[holder(h)].nedges;
    return info;
}

// Breadth first from the roots (names in order of first appearance, then
// temporaries), through the containers Python can index or read attributes
// of. Sets cannot be indexed, so paths never go through them.
std::optional<AccessPath> Heap::access_path(Sym id) const {
    const Handle target = live(id);
    if (target == kNoHandle) return std::nullopt;
    if (objects_[target].flags & flag::kCreationRef) {
        AccessPath p;
        p.root_temp = id;
        return p;
    }
    struct Visit {
        Handle parent;
        PathStep step;
        Sym root_name, root_temp;
    };
    std::vector<Visit> visit(objects_.capacity(), Visit{kNoHandle, {}, kNoSym, kNoSym});
    std::vector<std::uint8_t> seen(objects_.capacity(), 0);
    std::vector<Handle> frontier, next;
    auto root = [&](Handle h, Sym name, Sym temp) {
        if (seen[h]) return;
        seen[h] = 1;
        visit[h] = Visit{kNoHandle, {}, name, temp};
        frontier.push_back(h);
    };
    for (Sym name = 0; name < names_.size(); ++name)
        if (names_[name] != kNoHandle) root(names_[name], name, kNoSym);
    for (Handle h = kListCount; h < objects_.capacity(); ++h)
        if ((objects_[h].flags & flag::kLive) && (objects_[h].flags & flag::kCreationRef))
            root(h, kNoSym, objects_[h].id);
    while (!frontier.empty() && !seen[target]) {
        next.clear();
        for (Handle h : frontier) {
            const Layout layout = types_[objects_[h].type].layout;
            const bool indexed = layout == Layout::List || layout == Layout::Tuple;
            if (!indexed && layout != Layout::Dict && layout != Layout::Instance) continue;
            const Handle from = holder(h);
            for (std::uint32_t k = 0; k < objects_[from].nedges; ++k) {
                const Edge& e = edge(from, k);
                if (seen[e.target]) continue;
                seen[e.target] = 1;
                PathStep step;
                step.kind = indexed ? PathStep::Index
                            : layout == Layout::Dict ? PathStep::Key : PathStep::Attribute;
                step.index = k;
                step.key = e.key;
                visit[e.target] = Visit{h, step, kNoSym, kNoSym};
                next.push_back(e.target);
            }
        }
        frontier.swap(next);
    }
    if (!seen[target]) return std::nullopt;
    AccessPath p;
    Handle h = target;
    while (visit[h].parent != kNoHandle) {
        p.steps.insert(p.steps.begin(), visit[h].step);
        h = visit[h].parent;
    }
    p.root_name = visit[h].root_name;
    p.root_temp = visit[h].root_temp;
    return p;
}

std::optional<std::uint32_t> Heap::position_of(Sym container, Sym ref) const {
    const Handle c = live(container), r = live(ref);
    if (c == kNoHandle || r == kNoHandle) return std::nullopt;
    return find_target(holder(c), r);
}

Sym Heap::key_at(Sym container, std::uint32_t position) const {
    const Handle c = live(container);
    if (c == kNoHandle || position >= objects_[holder(c)].nedges) return kNoSym;
    return edge(holder(c), position).key;
}

Sym Heap::next_append_key(Sym container) const {
    const Handle c = live(container);
    if (c == kNoHandle) return kNoSym;
    const Handle from = holder(c);
    for (std::uint32_t n = objects_[from].nedges;; ++n) {
        const Sym k = index_key(n);
        if (!has_key(from, k)) return k;
    }
}

std::vector<Sym> Heap::clear_order(Sym container) const {
    std::vector<Sym> keys;
    const Handle c = live(container);
    if (c == kNoHandle) return keys;
    const Handle from = holder(c);
    for (std::uint32_t k = 0; k < objects_[from].nedges; ++k)
        keys.push_back(edge(from, visit_position(from, k)).key);
    return keys;
}

std::vector<Sym> Heap::type_keys(Sym type) const {
    std::vector<Sym> keys;
    const auto t = types_.find(type);
    if (!t) return keys;
    keys.resize(types_[*t].key_index.size());
    for (const auto& [key, index] : types_[*t].key_index) keys[index] = key;
    return keys;
}

}  // namespace heapsim

// Compact storage of retention paths (retention_path_store.h).
#include "sim/retention_path_store.h"

#include <algorithm>

namespace heapsim {

RetentionPathStore::RetentionPathStore() : nodes_(1, Node{0, 0, 0, 0, Kind::Name}), ends_(1, 0) {}

std::uint32_t RetentionPathStore::add_string(std::string_view s) {
    chars_.append(s);
    ends_.push_back(static_cast<std::uint32_t>(chars_.size()));
    return static_cast<std::uint32_t>(ends_.size() - 2);
}

std::string_view RetentionPathStore::string(std::uint32_t index) const {
    return std::string_view(chars_).substr(ends_[index], ends_[index + 1] - ends_[index]);
}

PathRef RetentionPathStore::push(const Node& n) {
    nodes_.push_back(n);
    return static_cast<PathRef>(nodes_.size() - 1);
}

PathRef RetentionPathStore::name(PathRef prev, std::uint32_t name) {
    return push(Node{prev, name, 0, 0, Kind::Name});
}

PathRef RetentionPathStore::object(PathRef prev, std::uint32_t id, std::uint32_t type,
                                   std::uint32_t key) {
    return push(Node{prev, id, type, key, Kind::Object});
}

PathRef RetentionPathStore::elided(PathRef prev, std::uint64_t count) {
    return push(Node{prev, static_cast<std::uint32_t>(count),
                     static_cast<std::uint32_t>(count >> 32), 0, Kind::Elided});
}

PathRef RetentionPathStore::add(const RetentionPath& path) {
    PathRef at = kEmptyPath;
    for (const RetentionStep& s : path) {
        if (s.elided > 0)
            at = elided(at, s.elided);
        else if (!s.name.empty())
            at = name(at, add_string(s.name));
        else
            at = object(at, add_string(s.id), add_string(s.type),
                        s.has_key ? add_string(s.key) : kNoString);
    }
    return at;
}

RetentionStep RetentionPathStore::step(const Node& n) const {
    RetentionStep s;
    switch (n.kind) {
        case Kind::Name:
            s.name = std::string(string(n.a));
            break;
        case Kind::Elided:
            s.elided = std::uint64_t{n.a} | std::uint64_t{n.b} << 32;
            break;
        case Kind::Object:
            s.id = std::string(string(n.a));
            s.type = std::string(string(n.b));
            if (n.c != kNoString) {
                s.key = std::string(string(n.c));
                s.has_key = true;
            }
            break;
    }
    return s;
}

RetentionPath RetentionPathStore::path(PathRef ref) const {
    RetentionPath out;
    for (PathRef at = ref; at != kEmptyPath; at = nodes_[at].prev) out.push_back(step(nodes_[at]));
    std::reverse(out.begin(), out.end());
    return out;
}

std::size_t RetentionPathStore::bytes() const {
    return nodes_.capacity() * sizeof(Node) + chars_.capacity() +
           ends_.capacity() * sizeof(std::uint32_t);
}

}  // namespace heapsim

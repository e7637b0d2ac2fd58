#pragma once
// The retention paths of a run's leak records and groups, stored compactly
// (docs/report.md, "Leaks with retention paths"). A path is a reference to
// its last node; each node is one step and the node before it, so the paths
// through one chain from a root share that chain's nodes (10^5 leaked
// entries of the dicts one name holds cost one node each), and each string
// is stored once, in one buffer. Steps are materialized as RetentionSteps
// only while a report is written, one path at a time.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/run_profile.h"

namespace heapsim {

using PathRef = std::uint32_t;
inline constexpr PathRef kEmptyPath = 0;  // a never-stored object's path: no step

class RetentionPathStore {
  public:
    static constexpr std::uint32_t kNoString = 0xFFFFFFFFu;

    RetentionPathStore();

    /// Stores a string (callers intern: the same index for the same string).
    std::uint32_t add_string(std::string_view s);
    std::string_view string(std::uint32_t index) const;

    /// `prev` followed by one step: a root name, an object (type and id,
    /// `key` the slot through which the previous step refers to it, or
    /// kNoString), or `count` objects left out.
    PathRef name(PathRef prev, std::uint32_t name);
    PathRef object(PathRef prev, std::uint32_t id, std::uint32_t type, std::uint32_t key);
    PathRef elided(PathRef prev, std::uint64_t count);
    /// A whole materialized path, its strings stored anew (hand-made results, tests).
    PathRef add(const RetentionPath& path);

    /// The steps of `ref`, first to last.
    RetentionPath path(PathRef ref) const;
    /// Bytes held (nodes and strings), for the record in docs/report.md.
    std::size_t bytes() const;

  private:
    enum class Kind : std::uint8_t { Name, Object, Elided };
    struct Node {
        PathRef prev;
        std::uint32_t a, b, c;  // name: a; object: id a, type b, key c; elided: count a | b << 32
        Kind kind;
    };
    PathRef push(const Node& n);
    RetentionStep step(const Node& n) const;

    std::vector<Node> nodes_;  // nodes_[0]: the empty path
    std::string chars_;
    std::vector<std::uint32_t> ends_;  // string i is chars_[ends_[i] .. ends_[i + 1])
};

}  // namespace heapsim

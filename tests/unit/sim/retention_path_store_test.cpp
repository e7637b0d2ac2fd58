// Compact retention paths: shared prefixes, strings stored once, steps
// materialized on demand (sim/retention_path_store.h).
#include <doctest/doctest.h>

#include <string>

#include "sim/retention_path_store.h"
#include "trace_runner.h"

namespace heapsim {

TEST_CASE("retention path store: a path is its steps, first to last, whatever their kind") {
    RetentionPathStore store;
    CHECK(store.path(kEmptyPath).empty());
    const std::uint32_t cache = store.add_string("cache"), d = store.add_string("d"),
                        dict = store.add_string("dict"), k = store.add_string("k");
    const PathRef root = store.name(kEmptyPath, cache);
    const PathRef at_d = store.object(root, d, dict, RetentionPathStore::kNoString);
    const PathRef gap = store.elided(at_d, (std::uint64_t{1} << 40) + 3);
    const PathRef end = store.object(gap, k, dict, k);
    const RetentionPath p = store.path(end);
    REQUIRE(p.size() == 4);
    CHECK(p[0].name == "cache");
    CHECK((p[1].id == "d" && p[1].type == "dict" && !p[1].has_key));
    CHECK(p[2].elided == (std::uint64_t{1} << 40) + 3);
    CHECK((p[3].id == "k" && p[3].key == "k" && p[3].has_key));
    // Paths share the nodes of their common beginning.
    CHECK(store.path(at_d).size() == 2);
    // A materialized path stored whole reads back the same.
    CHECK(store.path(store.add(p)).size() == 4);
    CHECK(store.path(store.add(p))[3].key == "k");
}

TEST_CASE("retention path store: 1,000 leaked entries of one dict cost one node each") {
    std::string trace = "alloc cache dict\nbind cache cache\nalloc d dict\nset cache inner d\n";
    for (int i = 0; i < 1000; ++i)
        trace += "alloc e" + std::to_string(i) + " list\nset d k" + std::to_string(i) + " e" +
                 std::to_string(i) + "\n";
    const RunResult r = test::run_ok(trace);
    REQUIRE(r.leaks.size() == 1002);
    for (const LeakRecord& l : r.leaks) {
        if (l.id != "e999") continue;
        const RetentionPath p = r.paths.path(l.path);
        REQUIRE(p.size() == 4);
        CHECK(p[0].name == "cache");
        CHECK(p[2].key == "inner");
        CHECK(p[3].key == "k999");
    }
    // Per entry: one 20-byte node and its id and key strings (~20 bytes with
    // their offsets), at most twice that with the vectors' growth, not four
    // materialized steps (~600 bytes).
    CHECK(r.paths.bytes() < 1002 * 80);
}

}  // namespace heapsim

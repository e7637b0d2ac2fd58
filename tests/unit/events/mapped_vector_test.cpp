// MappedVector (events/mapped_vector.h): the growable array of the heap's
// per-object tables, grown by mremap instead of copy.
#include "events/mapped_vector.h"

#include <cstdint>
#include <utility>

#include <doctest/doctest.h>

namespace heapsim {

TEST_CASE("mapped vector: grows past several mappings, keeping every element") {
    MappedVector<std::uint32_t> v;
    CHECK(v.empty());
    // 64 KiB is the first mapping: 16k elements; 1M needs six regrowths.
    for (std::uint32_t i = 0; i < 1'000'000; ++i) v.push_back(i * 3u);
    REQUIRE(v.size() == 1'000'000);
    bool all = true;
    for (std::uint32_t i = 0; i < 1'000'000; ++i) all = all && v[i] == i * 3u;
    CHECK(all);
    CHECK(v.mapped_bytes() >= 4'000'000);
    CHECK(v.mapped_bytes() < 8'400'000);  // doubling: at most twice what is used
}

TEST_CASE("mapped vector: resize fills new elements with the value, shrink keeps the rest") {
    MappedVector<std::uint32_t> v;
    v.resize(10, 0xFFFFFFFFu);
    CHECK(v[0] == 0xFFFFFFFFu);
    CHECK(v[9] == 0xFFFFFFFFu);
    v[3] = 7;
    v.resize(100'000);  // default value: zero
    CHECK(v[3] == 7);
    CHECK(v[10] == 0);
    CHECK(v[99'999] == 0);
    v.resize(4);
    CHECK(v.size() == 4);
    CHECK(v[3] == 7);
    v.resize(6, 5);  // regrown elements take the new value, not their old one
    CHECK(v[4] == 5);
    CHECK(v[5] == 5);
}

TEST_CASE("mapped vector: copies are deep, moves take the mapping") {
    MappedVector<std::uint8_t> a;
    a.resize(70'000, 1);
    MappedVector<std::uint8_t> b = a;
    b[0] = 2;
    CHECK(a[0] == 1);
    CHECK(b.size() == 70'000);
    CHECK(b[69'999] == 1);
    MappedVector<std::uint8_t> c = std::move(b);
    CHECK(c.size() == 70'000);
    CHECK(c[0] == 2);
    a = c;
    CHECK(a[0] == 2);
}

}  // namespace heapsim

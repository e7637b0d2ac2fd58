// Grids: values, ranges, the Cartesian product in order, and the errors.
#include "sweep/grid.h"

#include <doctest/doctest.h>

using namespace heapsim::sweep;

namespace {
std::vector<std::int64_t> range(const char* text) {
    const auto r = parse_range(text);
    REQUIRE_MESSAGE(r.ok(), r.error());
    return *r;
}
std::string axis_error(const char* text) {
    const auto a = parse_grid_axis(text);
    REQUIRE(!a.ok());
    return a.error();
}
std::vector<std::string> specs(const std::vector<const char*>& grid,
                               const char* base = "cpython-3.11") {
    std::vector<GridAxis> axes;
    for (const char* g : grid) {
        const auto a = parse_grid_axis(g);
        REQUIRE_MESSAGE(a.ok(), a.error());
        axes.push_back(*a);
    }
    const auto b = parse_configuration_spec(base);
    REQUIRE(b.ok());
    const auto configs = expand_grid(*b, axes);
    REQUIRE_MESSAGE(configs.ok(), configs.error());
    std::vector<std::string> out;
    for (const Configuration& c : *configs) out.push_back(canonical_spec(c));
    return out;
}
}  // namespace

TEST_CASE("ranges: N integers from LO to HI, evenly or log spaced") {
    CHECK(range("100..500:5") == std::vector<std::int64_t>{100, 200, 300, 400, 500});
    CHECK(range("100..500:lin:3") == std::vector<std::int64_t>{100, 300, 500});
    CHECK(range("100..100000:log:4") == std::vector<std::int64_t>{100, 1000, 10000, 100000});
    CHECK(range("1..3:3") == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("malformed ranges are refused") {
    for (const char* bad : {"100..50:3", "100..500", "100-500:3", "a..5:2", "1..5:1", "1..5:x",
                            "1..5:log:", "0..100:log:3", "1..3:5", "1..5:geo:3", "-1..5:2"}) {
        CAPTURE(bad);
        const auto r = parse_range(bad);
        CHECK_FALSE(r.ok());
        if (!r.ok()) CHECK(r.error().starts_with("malformed range '"));
    }
}

TEST_CASE("axes: names, values, errors") {
    CHECK(axis_error("gen0=1,2") ==
          "unknown grid axis 'gen0' (valid: policy, threshold0, threshold1, threshold2)");
    CHECK(axis_error("threshold0") ==
          "invalid --grid 'threshold0': expected AXIS=VALUES, e.g. threshold0=700,2000,5000");
    CHECK(axis_error("threshold0=") == "--grid threshold0= has no values");
    CHECK(axis_error("threshold0=1,,2").starts_with("--grid threshold0: invalid value ''"));
    CHECK(
        axis_error("policy=cpython-3.11,pypy").starts_with("--grid policy: unknown policy 'pypy'"));
    CHECK(
        axis_error("threshold1=5..1:3").starts_with("--grid threshold1: malformed range '5..1:3'"));
}

TEST_CASE("the grid is the Cartesian product, first axis slowest") {
    CHECK(specs({"threshold0=100,200", "threshold1=5,20"}) ==
          std::vector<std::string>{
              "cpython-3.11:threshold=100,5,10", "cpython-3.11:threshold=100,20,10",
              "cpython-3.11:threshold=200,5,10", "cpython-3.11:threshold=200,20,10"});
    CHECK(specs({"policy=cpython-3.11,refcount", "threshold2=3"}) ==
          std::vector<std::string>{"cpython-3.11:threshold=700,10,3", "refcount"});
    CHECK(specs({"threshold0=100"}, "cpython-3.13:trace-thresholds=ignore") ==
          std::vector<std::string>{"cpython-3.13:threshold=100,10,10:trace-thresholds=ignore"});
}

TEST_CASE("an axis given twice, an oversized grid") {
    const auto a = parse_grid_axis("threshold0=1,2");
    const auto base = parse_configuration_spec("cpython-3.11");
    REQUIRE((a.ok() && base.ok()));
    const auto twice = expand_grid(*base, {*a, *a});
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error() == "--grid threshold0 given twice");
    const auto b = parse_grid_axis("threshold1=1,2,3");
    REQUIRE(b.ok());
    const auto big = expand_grid(*base, {*a, *b}, 5);
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().starts_with("the grid has more than 5 configurations"));
}

// The Pareto frontier and the recommendation.
#include "sweep/pareto.h"

#include <doctest/doctest.h>

using namespace heapsim::sweep;

namespace {
RunPoint point(std::uint64_t run, const char* config, std::uint64_t gc, std::uint64_t peak,
               std::uint64_t p99, bool ok = true, std::uint64_t trace = 0) {
    return RunPoint{run, trace, config, gc, peak, p99, ok};
}
}  // namespace

TEST_CASE("the frontier keeps the runs nothing beats on all three measures") {
    const std::vector<RunPoint> points = {
        point(0, "cpython-3.11:threshold=100,10,10", 500, 100, 10),   // least memory
        point(1, "cpython-3.11:threshold=700,10,10", 300, 120, 10),   // trade-off
        point(2, "cpython-3.11:threshold=800,10,10", 300, 130, 10),   // beaten by 1
        point(3, "cpython-3.11:threshold=5000,10,10", 100, 200, 30),  // least GC time
        point(4, "cpython-3.11:threshold=6000,10,10", 100, 200, 30),  // equal to 3: both kept
    };
    CHECK(pareto_frontier(points) == std::vector<std::uint64_t>{0, 1, 3, 4});
}

TEST_CASE("the frontier is per trace") {
    const std::vector<RunPoint> points = {
        point(0, "a", 10, 10, 10, true, 0), point(1, "b", 20, 20, 20, true, 0),
        point(2, "a", 50, 50, 50, true, 1), point(3, "b", 40, 40, 40, true, 1)};
    CHECK(pareto_frontier(points) == std::vector<std::uint64_t>{0, 3});
}

TEST_CASE("the recommendation: least GC time within budgets, weighed against the default") {
    const std::vector<RunPoint> points = {
        point(0, "cpython-3.11:threshold=700,10,10", 2000000, 1048576, 100000),
        point(1, "cpython-3.11:threshold=2000,10,10", 1000000, 2097152, 150000),
        point(2, "cpython-3.11:threshold=9000,10,10", 500000, 8388608, 400000, false),
    };
    const auto r = recommend(points);
    REQUIRE(r.has_value());
    CHECK(r->run == 1);
    CHECK(r->why ==
          "cpython-3.11:threshold=2000,10,10 spends the least time in collections of the 2 "
          "configurations within "
          "the budgets: 1.00 ms, p99 pause 150 µs, peak live 2.00 MiB; against the default "
          "cpython-3.11:threshold=700,10,10: GC time 2.00 ms -> 1.00 ms (-50.0%), peak live 1.00 "
          "MiB -> 2.00 MiB "
          "(+100.0%), p99 pause 100 µs -> 150 µs (+50.0%).");
}

TEST_CASE("recommendations without a default, of the default, and none") {
    auto r = recommend({point(0, "cpython-3.11:threshold=100,10,10", 5, 5, 5)});
    REQUIRE(r.has_value());
    CHECK(r->why.ends_with(
        "; the default cpython-3.11:threshold=700,10,10 is not in the grid to weigh it against."));
    r = recommend({point(0, "cpython-3.11:threshold=700,10,10", 5, 5, 5),
                   point(1, "cpython-3.11:threshold=1,10,10", 9, 5, 5)});
    REQUIRE(r.has_value());
    CHECK(r->run == 0);
    CHECK(r->why.ends_with("; it is the default, and no other setting does better."));
    CHECK_FALSE(recommend({point(0, "a", 1, 1, 1, false)}).has_value());
}

TEST_CASE("over several traces a configuration must keep its budgets on every one") {
    const std::vector<RunPoint> points = {
        point(0, "cpython-3.11:threshold=700,10,10", 10, 1, 1, true, 0),
        point(1, "cpython-3.11:threshold=5000,10,10", 1, 1, 1, true, 0),
        point(2, "cpython-3.11:threshold=700,10,10", 10, 1, 1, true, 1),
        point(3, "cpython-3.11:threshold=5000,10,10", 1, 1, 1, false, 1),
    };
    const auto r = recommend(points);
    REQUIRE(r.has_value());
    CHECK(r->run == 0);
    CHECK(r->why.find(": 20 ns over 2 traces,") != std::string::npos);
}

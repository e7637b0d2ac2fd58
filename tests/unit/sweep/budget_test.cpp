// Budgets: units, checks against a run's metrics, and what a broken one says.
#include "sweep/budget.h"

#include <doctest/doctest.h>

using namespace heapsim::sweep;

TEST_CASE("durations, sizes and fractions") {
    CHECK(*parse_duration("250ns") == 250);
    CHECK(*parse_duration("2us") == 2000);
    CHECK(*parse_duration("1.5ms") == 1500000);
    CHECK(*parse_duration("2s") == 2000000000);
    CHECK(*parse_size("4096") == 4096);
    CHECK(*parse_size("512K") == 512 * 1024);
    CHECK(*parse_size("3M") == 3 * 1024 * 1024);
    CHECK(*parse_size("2G") == 2ULL << 30);
    CHECK(*parse_fraction("0.05") == doctest::Approx(0.05));
    CHECK(*parse_fraction("5%") == doctest::Approx(0.05));
    CHECK(*parse_fraction("1") == 1.0);
    for (const char* bad : {"10", "10 ms", "10min", "ms", "-1ms", "1..5ms", ".5ms", "1e3ns"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration(bad).ok());
    }
    CHECK(
        parse_duration("10").error() ==
        "invalid duration '10': expected a number and a unit (ns, us, ms, s), e.g. 500us or 1.5ms");
    for (const char* bad :
         {"10KB", "1.5M", "M", "10k", "-1", "99999999999999999999", "16777216T"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_size(bad).ok());
    }
    for (const char* bad : {"1.5", "150%", "-0.1", "x", "%"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_fraction(bad).ok());
    }
}

TEST_CASE("budgets are checked in one order and say by how much they broke") {
    Budgets budgets;
    budgets.add({BudgetKind::FailOnLeak, 0, 0});
    budgets.add({BudgetKind::MaxP99Pause, 10000, 0});
    budgets.add({BudgetKind::MaxPeakBytes, 1 << 20, 0});
    budgets.add({BudgetKind::MaxGcTimeShare, 0, 0.01});
    RunMetrics m;
    m.p99_pause_ns = 12000;
    m.peak_live_bytes = 1000;
    m.gc_time_ns = 5;
    m.end_time_ns = 1000;
    m.leaked_objects = 0;
    const std::vector<BudgetCheck> checks = check_budgets(budgets, m);
    REQUIRE(checks.size() == 4);
    CHECK(checks[0].kind == BudgetKind::MaxP99Pause);
    CHECK_FALSE(checks[0].ok);
    CHECK(checks[0].describe() ==
          "p99 pause 12.0 µs (12,000 ns), limit 10.0 µs (10,000 ns): over by 2.00 µs (+20%)");
    CHECK(checks[1].kind == BudgetKind::MaxGcTimeShare);
    CHECK(checks[1].ok);
    CHECK(checks[1].describe() == "gc time share 0.5%, limit 1%");
    CHECK(checks[2].ok);
    CHECK(checks[3].kind == BudgetKind::FailOnLeak);
    CHECK(checks[3].ok);
    m.leaked_objects = 3;
    m.end_time_ns = 0;
    const std::vector<BudgetCheck> again = check_budgets(budgets, m);
    CHECK_FALSE(again[1].ok);
    CHECK(again[1].describe() == "gc time share unknown: the trace has no timestamps, limit 1%");
    CHECK_FALSE(again[3].ok);
    CHECK(again[3].describe() == "3 leaked objects (garbage at the end), limit 0");
}

TEST_CASE("a budget given twice keeps the last value") {
    Budgets budgets;
    budgets.add({BudgetKind::MaxPeakBytes, 1, 0});
    budgets.add({BudgetKind::MaxPeakBytes, 2, 0});
    REQUIRE(budgets.list.size() == 1);
    CHECK(budgets.list[0].limit == 2);
}

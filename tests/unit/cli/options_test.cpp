#include <doctest/doctest.h>

#include "cli/options.h"

using namespace heapsim;
using namespace heapsim::cli;

TEST_CASE("parse_thresholds accepts one to three non-negative ints") {
    auto one = parse_thresholds("500");
    REQUIRE(one);
    CHECK(one->count == 1);
    CHECK(one->values[0] == 500);

    auto three = parse_thresholds("1000,20,5");
    REQUIRE(three);
    CHECK(three->count == 3);
    CHECK(three->values == std::array<std::int64_t, 3>{1000, 20, 5});

    auto zero = parse_thresholds("0");
    REQUIRE(zero);
    CHECK(zero->values[0] == 0);
}

TEST_CASE("parse_thresholds rejects malformed lists") {
    for (const char* bad : {"", ",", "1,", ",1", "1,2,3,4", "-1", "x", "7,x", "1 2", "2147483648", "1.5"}) {
        CAPTURE(bad);
        auto p = parse_thresholds(bad);
        REQUIRE_FALSE(p);
        CHECK(p.error().find("invalid threshold '" + std::string(bad) + "'") == 0);
    }
}

TEST_CASE("resolve_policy applies threshold overrides and keeps the rest") {
    auto p = resolve_policy("cpython-3.11", ThresholdOverride{{100, 5, 0}, 2});
    REQUIRE(p);
    CHECK(std::string(p->name()) == "cpython-3.11");
    CHECK(p->thresholds == std::array<std::int64_t, 3>{100, 5, 10});

    auto defaults = resolve_policy("cpython-3.11", std::nullopt);
    REQUIRE(defaults);
    CHECK(defaults->thresholds == std::array<std::int64_t, 3>{700, 10, 10});

    auto rc = resolve_policy("refcount", std::nullopt);
    REQUIRE(rc);
    CHECK_FALSE(rc->collects());
}

TEST_CASE("an unknown policy is rejected with the valid names") {
    auto p = resolve_policy("cpython-2.7", std::nullopt);
    REQUIRE_FALSE(p);
    CHECK(p.error() == "unknown policy 'cpython-2.7' (valid: cpython-3.11, cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.14.0, cpython-3.15, cpython-3.13t, cpython-3.14t, refcount)");
    CHECK(check_policy_name("refcount") == std::nullopt);
    CHECK(check_policy_name("") == std::optional<std::string>("unknown policy '' (valid: cpython-3.11, cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.14.0, cpython-3.15, cpython-3.13t, cpython-3.14t, refcount)"));
}

TEST_CASE("parse_byte_size reads plain bytes and binary suffixes") {
    CHECK(*parse_byte_size("0") == 0);
    CHECK(*parse_byte_size("4096") == 4096);
    CHECK(*parse_byte_size("512K") == 512u * 1024);
    CHECK(*parse_byte_size("2M") == 2u * 1024 * 1024);
    CHECK(*parse_byte_size("2MiB") == 2u * 1024 * 1024);
    CHECK(*parse_byte_size("1GB") == 1024u * 1024 * 1024);
    CHECK(*parse_byte_size("3t") == 3ull << 40);
    CHECK(*parse_byte_size("10B") == 10);
    for (const char* bad : {"", "K", "12X", "1KX", "-5", "1.5G", "99999999999999999999", "20000000000000000T"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_byte_size(bad));
    }
}

TEST_CASE("report formats") {
    CHECK((*parse_report_format("text"))->name == "text");
    CHECK((*parse_report_format("json"))->name == "json");
    CHECK((*parse_report_format("markdown"))->name == "markdown");
    CHECK((*parse_report_format("md"))->name == "markdown");
    CHECK((*parse_report_format("csv"))->name == "csv");
    CHECK((*parse_report_format("html"))->name == "html");
    auto bad = parse_report_format("pdf");
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == "unknown format 'pdf' (valid: text, json, markdown, csv, html)");
}

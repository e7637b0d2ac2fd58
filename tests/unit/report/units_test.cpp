#include <doctest/doctest.h>

#include "report/units.h"

using namespace heapsim;

TEST_CASE("with_commas groups thousands") {
    CHECK(with_commas(0) == "0");
    CHECK(with_commas(90) == "90");
    CHECK(with_commas(999) == "999");
    CHECK(with_commas(12345) == "12,345");
    CHECK(with_commas(1000) == "1,000");
    CHECK(with_commas(1234567) == "1,234,567");
    CHECK(with_commas(100000) == "100,000");
}

TEST_CASE("human_bytes uses binary units and three significant digits") {
    CHECK(human_bytes(0) == "0 B");
    CHECK(human_bytes(1023) == "1023 B");
    CHECK(human_bytes(1024) == "1.00 KiB");
    CHECK(human_bytes(1536) == "1.50 KiB");
    CHECK(human_bytes(50400) == "49.2 KiB");
    CHECK(human_bytes(1536000) == "1.46 MiB");
    CHECK(human_bytes(1024ull * 1024 * 1024 * 3) == "3.00 GiB");
}

TEST_CASE("human_duration picks ns, µs, ms or s") {
    CHECK(human_duration(0) == "0 ns");
    CHECK(human_duration(999) == "999 ns");
    CHECK(human_duration(1000) == "1.00 µs");
    CHECK(human_duration(42000) == "42.0 µs");
    CHECK(human_duration(1500000) == "1.50 ms");
    CHECK(human_duration(123456789) == "123 ms");
    CHECK(human_duration(2000000000) == "2.00 s");
}

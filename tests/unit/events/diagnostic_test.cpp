#include "events/diagnostic.h"

#include <doctest/doctest.h>

using namespace heapsim;

TEST_CASE("format_diagnostic: FILE:LINE: message, or FILE: message without a line") {
    CHECK(format_diagnostic("t.trace", 3, "unknown id 'x'") == "t.trace:3: unknown id 'x'");
    CHECK(format_diagnostic("-", 7, "bad") == "<stdin>:7: bad");
    CHECK(format_diagnostic("gone.trace", 0, "cannot open") == "gone.trace: cannot open");
}

TEST_CASE("display_path names standard input") {
    CHECK(display_path("-") == "<stdin>");
    CHECK(display_path("a/b.trace") == "a/b.trace");
}

// The exit status each stopping diagnostic maps to (docs/cli.md, "Exit status").
#include "cli/exit_status.h"

#include <doctest/doctest.h>

using namespace heapsim;
using namespace heapsim::cli;

TEST_CASE("a limit exits 3, an internal error 70, anything else 2") {
    CHECK(exit_status_for(Diagnostic{ErrorKind::Limit, 0, 0, "out of memory", true}) == 3);
    CHECK(exit_status_for(Diagnostic{ErrorKind::Internal, 0, 0, "internal error: x", true}) == 70);
    CHECK(exit_status_for(Diagnostic{ErrorKind::Truncated, 3, 3, "truncated trace", false}) == 2);
    CHECK(exit_status_for(Diagnostic{ErrorKind::Syntax, 1, 1, "bad", false}) == 2);
}

#include "cli/exit_status.h"

#include <doctest/doctest.h>

using namespace heapsim;
using namespace heapsim::cli;

TEST_CASE("a limit diagnostic exits 3, every other one 2") {
    Diagnostic d;
    d.kind = ErrorKind::Limit;
    CHECK(exit_status_for(d) == 3);
    d.kind = ErrorKind::UnknownId;
    CHECK(exit_status_for(d) == 2);
    d.kind = ErrorKind::Io;
    CHECK(exit_status_for(d) == 2);
}

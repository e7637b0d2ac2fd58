// Configuration SPECs: parsed, resolved against the policy's defaults and
// printed back canonically; every bad SPEC is one line naming the problem.
#include "sweep/configuration.h"

#include <doctest/doctest.h>

using namespace heapsim;
using namespace heapsim::sweep;

namespace {
std::string canonical(const char* spec) {
    const auto c = parse_configuration(spec);
    REQUIRE_MESSAGE(c.ok(), c.error());
    return canonical_spec(*c);
}
std::string error_of(const char* spec) {
    const auto c = parse_configuration(spec);
    REQUIRE(!c.ok());
    return c.error();
}
}  // namespace

TEST_CASE("a SPEC prints back in canonical form") {
    CHECK(canonical("cpython-3.11") == "cpython-3.11:threshold=700,10,10");
    CHECK(canonical("cpython-3.11:threshold=2000") == "cpython-3.11:threshold=2000,10,10");
    CHECK(canonical("cpython-3.11:trace-thresholds=ignore:threshold=2000,5,5") ==
          "cpython-3.11:threshold=2000,5,5:trace-thresholds=ignore");
    CHECK(canonical("cpython-3.11:trace-thresholds=follow") == "cpython-3.11:threshold=700,10,10");
    CHECK(canonical("cpython-3.13:threshold=5000:freeze-at=120000") ==
          "cpython-3.13:threshold=5000,10,10:freeze-at=120000");
    CHECK(canonical("refcount") == "refcount");
}

TEST_CASE("a SPEC sets the replay options") {
    const auto c =
        parse_configuration("cpython-3.12:threshold=100,2,3:trace-thresholds=ignore:freeze-at=7");
    REQUIRE(c.ok());
    const ReplayOptions o = replay_options(*c, true);
    CHECK(o.sim.policy.kind == PolicyKind::CPython312);
    CHECK(o.sim.policy.thresholds == std::array<std::int64_t, 3>{100, 2, 3});
    CHECK_FALSE(o.sim.policy.follow_trace_thresholds);
    CHECK(o.sim.freeze_at == 7);
    CHECK(o.lenient);
    CHECK(canonical_spec(default_of(*c)) ==
          "cpython-3.12:threshold=700,10,10:freeze-at=7:trace-thresholds=ignore");
}

TEST_CASE("bad SPECs are refused with one line") {
    CHECK(error_of("cpython-2.7")
              .starts_with("configuration 'cpython-2.7': unknown policy 'cpython-2.7' (valid: "));
    CHECK(error_of("cpython-3.11:speed=fast") ==
          "configuration 'cpython-3.11:speed=fast': unknown option 'speed' (valid: threshold, "
          "freeze-at, "
          "trace-thresholds)");
    CHECK(error_of("cpython-3.11:threshold") ==
          "configuration 'cpython-3.11:threshold': option 'threshold' is not KEY=VALUE");
    CHECK(error_of("cpython-3.11:threshold=1,2,3,4").find("invalid threshold '1,2,3,4'") !=
          std::string::npos);
    CHECK(error_of("cpython-3.11:threshold=-5").find("invalid threshold") != std::string::npos);
    CHECK(error_of("cpython-3.11:threshold=").find("invalid threshold") != std::string::npos);
    CHECK(error_of("cpython-3.11:trace-thresholds=maybe").find("(valid: follow, ignore)") !=
          std::string::npos);
    CHECK(error_of("cpython-3.11:freeze-at=0").find("invalid freeze-at '0'") != std::string::npos);
    CHECK(error_of("cpython-3.11:threshold=1:threshold=2").find("given twice") !=
          std::string::npos);
    CHECK(error_of("refcount:threshold=100").find("does not apply to refcount") !=
          std::string::npos);
    CHECK(error_of("").find("unknown policy ''") != std::string::npos);
}

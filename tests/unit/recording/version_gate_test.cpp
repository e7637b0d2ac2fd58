// The recorder's version gate (recorder/src/version_gate.h), fed versions
// that no interpreter on this machine has: the one line each refused
// release gets (docs/recording.md, "Installing").
#include <doctest/doctest.h>

#include <string>

#include "recorder/src/version_gate.h"

namespace heapsim {
namespace {

// sys.hexversion of a final release X.Y.Z.
constexpr unsigned long final_release(unsigned x, unsigned y, unsigned z) {
    return (static_cast<unsigned long>(x) << 24) | (y << 16) | (z << 8) | 0xF0;
}

std::string refusal(unsigned long hexversion, bool early_313_allowed = false) {
    const char* why = hsr_version_refusal(hexversion, early_313_allowed ? 1 : 0);
    return why ? why : "";
}

TEST_CASE("CPython 3.14.0-3.14.4 are refused with their one line, 3.14.5 on are recorded") {
    const std::string line =
        "CPython 3.14.0-3.14.4 collect incrementally (no generations to record); use 3.14.5 or "
        "newer";
    for (unsigned z = 0; z <= 4; ++z) {
        CAPTURE(z);
        CHECK(refusal(final_release(3, 14, z)) == line);
        CHECK(refusal(final_release(3, 14, z), true) == line);  // the 3.13 escape does not apply
    }
    CHECK(refusal(0x030E00A1) == line);  // 3.14.0a1
    CHECK(refusal(0x030E04C1) == line);  // 3.14.4rc1
    CHECK(refusal(final_release(3, 14, 5)).empty());
    CHECK(refusal(final_release(3, 14, 10)).empty());
}

TEST_CASE("the other refused versions, and the supported ones") {
    CHECK(refusal(final_release(3, 10, 13)) == "CPython older than 3.11 is not supported");
    const std::string early =
        "CPython 3.13.0-3.13.2 do not report every object destruction to PyRefTracer; use 3.13.3 "
        "or newer";
    for (unsigned z = 0; z <= 2; ++z) {
        CHECK(refusal(final_release(3, 13, z)) == early);
        CHECK(refusal(final_release(3, 13, z), true).empty());  // HEAPSIM_RECORD_ALLOW_EARLY_313
    }
    CHECK(refusal(final_release(3, 15, 0)) ==
          "CPython 3.15+ is not supported by this version of the recorder yet");
    CHECK(refusal(0x030F00A1) == refusal(final_release(3, 15, 2)));
    for (const unsigned long ok :
         {final_release(3, 11, 0), final_release(3, 11, 7), final_release(3, 12, 1),
          final_release(3, 13, 3), final_release(3, 13, 18)})
        CHECK(refusal(ok).empty());
}

}  // namespace
}  // namespace heapsim

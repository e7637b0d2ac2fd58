#include "calibrate/shipped_pause_models.h"

namespace heapsim {

namespace {

// Fitted by `heapsim calibrate` on pyenv's CPython 3.11.7 (docs/pauses.md).
constexpr char kCpython3117[] =
#include "embedded/models/pause/cpython-3.11.7.json.inc"
    ;

constexpr ShippedPauseModel kShipped[] = {
    {"cpython-3.11.7", {kCpython3117, sizeof kCpython3117 - 1}},
};

}  // namespace

std::span<const ShippedPauseModel> shipped_pause_models() {
    return kShipped;
}

}  // namespace heapsim

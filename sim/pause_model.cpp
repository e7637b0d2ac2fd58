#include "sim/pause_model.h"

#include <cmath>

namespace heapsim {

std::uint64_t PauseModel::pause_ns(const CollectionCost& c) const {
    const double ns = base_ns + per_scanned_ns * static_cast<double>(c.scanned) +
                      per_reference_ns * static_cast<double>(c.references) +
                      per_freed_ns * static_cast<double>(c.freed) +
                      per_finalizer_ns * static_cast<double>(c.finalizers) +
                      per_callback_ns * static_cast<double>(c.callbacks);
    // Coefficients are non-negative (the fit constrains them), so is the sum.
    return ns <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(ns));
}

}  // namespace heapsim

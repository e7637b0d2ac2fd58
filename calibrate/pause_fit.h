#pragma once
// Fitting a PauseModel to measured collections: non-negative least squares
// on relative residuals, so a 50 µs collection weighs as much as a 5 ms one
// and the fit's quality reads as a percentage (docs/pauses.md).

#include <optional>
#include <string>
#include <vector>

#include "sim/pause_model.h"

namespace heapsim {

/// One measured collection: the work it did and how long it took.
struct PauseSample {
    CollectionCost cost;
    double pause_ns = 0;
};

/// The coefficients (base, per scanned object, per reference, per freed
/// object, per finalizer, per callback), all >= 0, minimising
/// sum(((predicted - measured) / measured)^2). `model`'s name and source are
/// kept. nullopt when there are no samples or one has a pause <= 0.
std::optional<PauseModel> fit_pause_model(const std::vector<PauseSample>& samples,
                                          PauseModel model = {});

/// |predicted - measured| / measured.
double relative_error(const PauseModel& model, const PauseSample& sample);

}  // namespace heapsim

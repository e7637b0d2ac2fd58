#pragma once
// Pause models as files (schema heapsim-pause-model/1, docs/pauses.md) and
// the models shipped with heapsim, compiled in from models/pause/.

#include <optional>
#include <string>
#include <vector>

#include "sim/pause_model.h"

namespace heapsim {

inline constexpr const char* kPauseModelSchema = "heapsim-pause-model/1";

/// How well a fitted model predicted heaps it was not fitted on.
struct FitQuality {
    std::size_t training_heaps = 0;
    std::size_t held_out_heaps = 0;
    double held_out_mean_error = 0;  // mean |predicted - measured| / measured
    double held_out_max_error = 0;
};

/// The model file: name, source, coefficients, and the fit's quality.
std::string pause_model_document(const PauseModel& model, const FitQuality& quality);

/// Parses a model file's text; nullopt with `error` set ("no 'coefficients_ns'
/// object") when it is not one.
std::optional<PauseModel> parse_pause_model(const std::string& text, std::string& error);

/// Names of the models compiled in: kBuiltinPauseModel and models/pause/*.json.
std::vector<std::string> pause_model_names();

/// `run --pause-model NAME|FILE`: a compiled-in model by name, else the file
/// at that path; nullopt with a one-line `error`.
std::optional<PauseModel> load_pause_model(const std::string& name_or_path, std::string& error);

}  // namespace heapsim

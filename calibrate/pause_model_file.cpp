#include "calibrate/pause_model_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "calibrate/shipped_pause_models.h"

namespace heapsim {

namespace {

using nlohmann::ordered_json;

// Coefficient names in the file, in PauseModel's order.
struct Term {
    const char* key;
    double PauseModel::*field;
};
constexpr Term kTerms[] = {{"base", &PauseModel::base_ns},
                           {"per_scanned", &PauseModel::per_scanned_ns},
                           {"per_reference", &PauseModel::per_reference_ns},
                           {"per_freed", &PauseModel::per_freed_ns},
                           {"per_finalizer", &PauseModel::per_finalizer_ns},
                           {"per_callback", &PauseModel::per_callback_ns}};

/// Coefficients are written to 0.001 ns: enough for any pause, and a file
/// that diffs cleanly between calibrations.
double rounded(double v) {
    return static_cast<double>(static_cast<long long>(v * 1000 + 0.5)) / 1000;
}

}  // namespace

std::string pause_model_document(const PauseModel& model, const FitQuality& quality) {
    ordered_json coefficients;
    for (const Term& t : kTerms) coefficients[t.key] = rounded(model.*t.field);
    ordered_json doc{{"schema", kPauseModelSchema},
                     {"name", model.name},
                     {"source", model.source},
                     {"coefficients_ns", coefficients},
                     {"fit",
                      {{"training_heaps", quality.training_heaps},
                       {"held_out_heaps", quality.held_out_heaps},
                       {"held_out_mean_error", rounded(quality.held_out_mean_error)},
                       {"held_out_max_error", rounded(quality.held_out_max_error)}}}};
    return doc.dump(2) + "\n";
}

std::optional<PauseModel> parse_pause_model(const std::string& text, std::string& error) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    if (doc.value("schema", "") != kPauseModelSchema) {
        error = std::string("'schema' is not \"") + kPauseModelSchema + "\"";
        return std::nullopt;
    }
    PauseModel m;
    if (!doc.contains("name") || !doc["name"].is_string() ||
        doc["name"].get<std::string>().empty()) {
        error = "no 'name' string";
        return std::nullopt;
    }
    m.name = doc["name"].get<std::string>();
    m.source = doc.contains("source") && doc["source"].is_string()
                   ? doc["source"].get<std::string>()
                   : std::string();
    if (!doc.contains("coefficients_ns") || !doc["coefficients_ns"].is_object()) {
        error = "no 'coefficients_ns' object";
        return std::nullopt;
    }
    const nlohmann::json& c = doc["coefficients_ns"];
    for (const Term& t : kTerms) {
        if (!c.contains(t.key) || !c[t.key].is_number() || c[t.key].get<double>() < 0) {
            error = std::string("coefficients_ns.") + t.key + " is not a number >= 0";
            return std::nullopt;
        }
        m.*t.field = c[t.key].get<double>();
    }
    return m;
}

std::vector<std::string> pause_model_names() {
    std::vector<std::string> names{kBuiltinPauseModel};
    for (const ShippedPauseModel& s : shipped_pause_models()) names.emplace_back(s.name);
    return names;
}

std::optional<PauseModel> load_pause_model(const std::string& name_or_path, std::string& error) {
    if (name_or_path == kBuiltinPauseModel) return PauseModel{};
    for (const ShippedPauseModel& s : shipped_pause_models()) {
        if (name_or_path != s.name) continue;
        auto m = parse_pause_model(std::string(s.text), error);
        if (!m) error = "shipped pause model " + std::string(s.name) + ": " + error;
        return m;
    }
    std::ifstream in(name_or_path, std::ios::binary);
    if (!in) {
        std::string names;
        for (const std::string& n : pause_model_names()) names += (names.empty() ? "" : ", ") + n;
        error =
            "--pause-model " + name_or_path + ": no such model (" + names + ") and no such file";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto m = parse_pause_model(text.str(), error);
    if (!m) error = name_or_path + ": not a pause model: " + error;
    return m;
}

}  // namespace heapsim

#include <doctest/doctest.h>

#include "calibrate/calibration_heaps.h"
#include "calibrate/calibration_run.h"
#include "calibrate/pause_fit.h"
#include "calibrate/pause_model_file.h"

namespace heapsim {

namespace {

PauseModel known() {
    PauseModel m;
    m.name = "known";
    m.base_ns = 3000;
    m.per_scanned_ns = 21.5;
    m.per_reference_ns = 4.25;
    m.per_freed_ns = 33;
    m.per_finalizer_ns = 70;
    m.per_callback_ns = 110;
    return m;
}

/// The pauses `model` predicts for every training heap, times `noise(i)`.
template <typename Noise>
std::vector<PauseSample> samples_from(const PauseModel& model, Noise noise) {
    std::vector<PauseSample> samples;
    const std::vector<HeapShape> heaps = training_heaps();
    for (std::size_t i = 0; i < heaps.size(); ++i) {
        const CollectionCost c = cost_of(heaps[i]);
        samples.push_back({c, static_cast<double>(model.pause_ns(c)) * noise(i)});
    }
    return samples;
}

}  // namespace

TEST_CASE("the fit recovers known coefficients from exact pauses") {
    const auto fitted = fit_pause_model(samples_from(known(), [](std::size_t) { return 1.0; }),
                                        PauseModel{"fitted", "test"});
    REQUIRE(fitted);
    CHECK(fitted->name == "fitted");
    CHECK(fitted->base_ns == doctest::Approx(3000).epsilon(0.01));
    CHECK(fitted->per_scanned_ns == doctest::Approx(21.5).epsilon(0.01));
    CHECK(fitted->per_reference_ns == doctest::Approx(4.25).epsilon(0.01));
    CHECK(fitted->per_freed_ns == doctest::Approx(33).epsilon(0.01));
    CHECK(fitted->per_finalizer_ns == doctest::Approx(70).epsilon(0.01));
    CHECK(fitted->per_callback_ns == doctest::Approx(110).epsilon(0.01));
    for (const HeapShape& h : held_out_heaps()) {
        const PauseSample s{cost_of(h), static_cast<double>(known().pause_ns(cost_of(h)))};
        CHECK(relative_error(*fitted, s) < 0.001);
    }
}

TEST_CASE("with ±5 % noise the fit predicts held-out heaps within 10 %") {
    const auto noisy = [](std::size_t i) { return i % 2 ? 1.05 : 0.95; };
    const auto fitted = fit_pause_model(samples_from(known(), noisy));
    REQUIRE(fitted);
    for (const HeapShape& h : held_out_heaps()) {
        const PauseSample s{cost_of(h), static_cast<double>(known().pause_ns(cost_of(h)))};
        CHECK(relative_error(*fitted, s) < 0.10);
    }
}

TEST_CASE("coefficients stay non-negative where least squares would make one negative") {
    // Pauses that fall as the references grow: unconstrained least squares
    // gives per_reference < 0; the fit sets it to 0 instead.
    PauseModel truth = known();
    truth.per_reference_ns = 0;
    auto samples = samples_from(truth, [](std::size_t) { return 1.0; });
    for (PauseSample& s : samples) s.pause_ns -= 2.0 * static_cast<double>(s.cost.references);
    for (PauseSample& s : samples) s.pause_ns = std::max(s.pause_ns, 1000.0);
    const auto fitted = fit_pause_model(samples);
    REQUIRE(fitted);
    CHECK(fitted->per_reference_ns == 0);
    CHECK(fitted->base_ns >= 0);
    CHECK(fitted->per_scanned_ns >= 0);
    CHECK(fitted->per_freed_ns >= 0);
}

TEST_CASE("no fit without samples or with a pause of 0") {
    CHECK_FALSE(fit_pause_model({}));
    CHECK_FALSE(fit_pause_model({PauseSample{CollectionCost{10, 10, 0, 0, 0}, 0}}));
}

TEST_CASE("the built-in model keeps the constants heapsim always used") {
    const PauseModel m;
    CHECK(m.name == "builtin-2025");
    CHECK(m.pause_ns(CollectionCost{9, 100, 0, 3, 4}) == 5000 + 45 * 9);
    CHECK(m.pause_ns(CollectionCost{10, 0, 2, 0, 0}) == 5000 + 45 * 10 + 80 * 2);
}

TEST_CASE("a model file round-trips and bad ones are refused with a reason") {
    PauseModel m = known();
    m.source = "test";
    std::string error;
    const auto back =
        parse_pause_model(pause_model_document(m, FitQuality{26, 10, 0.1, 0.2}), error);
    REQUIRE(back);
    CHECK(back->name == "known");
    CHECK(back->source == "test");
    CHECK(back->per_reference_ns == 4.25);
    CHECK(back->per_callback_ns == 110);
    CHECK_FALSE(parse_pause_model("[]", error));
    CHECK(error == "not a JSON object");
    CHECK_FALSE(parse_pause_model(R"({"schema":"heapsim-pause-model/1","name":"x",
        "coefficients_ns":{"base":1,"per_scanned":-1,"per_reference":0,"per_freed":0,
        "per_finalizer":0,"per_callback":0}})",
                                  error));
    CHECK(error == "coefficients_ns.per_scanned is not a number >= 0");
}

TEST_CASE("every shipped model loads, by name") {
    for (const std::string& name : pause_model_names()) {
        std::string error;
        const auto m = load_pause_model(name, error);
        REQUIRE_MESSAGE(m, error);
        CHECK(m->name == name);
        CHECK(m->per_scanned_ns > 0);
    }
    std::string error;
    CHECK_FALSE(load_pause_model("/nonexistent/model.json", error));
    CHECK(error.find("no such model") != std::string::npos);
}

TEST_CASE("the interpreter's timings are read back, and a short log is refused") {
    std::string error;
    const auto t = parse_timings("heap 1 2000\nheap 0 1500\ndone\n", 2, error);
    REQUIRE(t);
    CHECK((*t)[0] == 1500);
    CHECK((*t)[1] == 2000);
    CHECK_FALSE(parse_timings("heap 0 1500\ndone\n", 2, error));
    CHECK_FALSE(parse_timings("heap 0 1500\nheap 1 3\n", 2, error));
    CHECK_FALSE(parse_timings("Traceback (most recent call last):\n", 1, error));
    CHECK(error.find("Traceback") != std::string::npos);
}

TEST_CASE("the calibration program builds and times every heap") {
    const std::string p = calibration_program({{10, 2, 3, 4, 5}, {7, 1, 0, 0, 0}}, 3);
    CHECK(p.find("(10, 2, 3, 4, 5),") != std::string::npos);
    CHECK(p.find("for _ in range(3):") != std::string::npos);
    CHECK(p.find("gc.callbacks.append(timer)") != std::string::npos);
}

}  // namespace heapsim

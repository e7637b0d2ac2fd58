#include "calibrate/pause_fit.h"

#include <array>
#include <cmath>
#include <limits>

namespace heapsim {

namespace {

constexpr std::size_t kTerms = 6;
using Row = std::array<double, kTerms>;

Row features(const CollectionCost& c) {
    return {1.0,
            static_cast<double>(c.scanned),
            static_cast<double>(c.references),
            static_cast<double>(c.freed),
            static_cast<double>(c.finalizers),
            static_cast<double>(c.callbacks)};
}

PauseModel with_coefficients(PauseModel m, const Row& x) {
    m.base_ns = x[0];
    m.per_scanned_ns = x[1];
    m.per_reference_ns = x[2];
    m.per_freed_ns = x[3];
    m.per_finalizer_ns = x[4];
    m.per_callback_ns = x[5];
    return m;
}

/// Solves the normal equations restricted to the terms in `mask` by Gaussian
/// elimination with partial pivoting; false when they are singular.
bool solve_subset(const std::vector<Row>& a, const std::vector<double>& b, unsigned mask, Row& x) {
    std::array<std::size_t, kTerms> idx{};
    std::size_t n = 0;
    for (std::size_t j = 0; j < kTerms; ++j)
        if (mask & (1u << j)) idx[n++] = j;
    std::array<std::array<double, kTerms + 1>, kTerms> m{};
    for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t c = 0; c < n; ++c)
            for (std::size_t i = 0; i < a.size(); ++i) m[r][c] += a[i][idx[r]] * a[i][idx[c]];
        for (std::size_t i = 0; i < a.size(); ++i) m[r][n] += a[i][idx[r]] * b[i];
    }
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::fabs(m[r][col]) > std::fabs(m[pivot][col])) pivot = r;
        if (std::fabs(m[pivot][col]) < 1e-12) return false;
        std::swap(m[pivot], m[col]);
        for (std::size_t r = 0; r < n; ++r) {
            if (r == col) continue;
            const double f = m[r][col] / m[col][col];
            for (std::size_t c = col; c <= n; ++c) m[r][c] -= f * m[col][c];
        }
    }
    x.fill(0);
    for (std::size_t r = 0; r < n; ++r) x[idx[r]] = m[r][n] / m[r][r];
    return true;
}

}  // namespace

// Non-negative least squares with six unknowns: the optimum is the
// unconstrained least-squares solution on some subset of the terms (its
// non-zero ones), so trying all 63 subsets and keeping the best solution
// with no negative coefficient finds it exactly, without an iterative
// active-set method. Columns are scaled to unit norm first: the counts run
// from 1 to 10^6 and the normal equations would otherwise lose precision.
std::optional<PauseModel> fit_pause_model(const std::vector<PauseSample>& samples,
                                          PauseModel model) {
    if (samples.empty()) return std::nullopt;
    std::vector<Row> a;
    std::vector<double> b;
    for (const PauseSample& s : samples) {
        if (!(s.pause_ns > 0)) return std::nullopt;
        Row r = features(s.cost);
        for (double& v : r) v /= s.pause_ns;  // relative residuals
        a.push_back(r);
        b.push_back(1.0);
    }
    Row scale{};
    for (std::size_t j = 0; j < kTerms; ++j) {
        double sum = 0;
        for (const Row& r : a) sum += r[j] * r[j];
        scale[j] = sum > 0 ? std::sqrt(sum) : 1.0;
        for (Row& r : a) r[j] /= scale[j];
    }
    double best_residual = std::numeric_limits<double>::infinity();
    Row best{};
    for (unsigned mask = 1; mask < (1u << kTerms); ++mask) {
        Row x;
        if (!solve_subset(a, b, mask, x)) continue;
        bool feasible = true;
        for (double v : x) feasible = feasible && v >= 0;
        if (!feasible) continue;
        double residual = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            double p = 0;
            for (std::size_t j = 0; j < kTerms; ++j) p += a[i][j] * x[j];
            residual += (p - b[i]) * (p - b[i]);
        }
        if (residual < best_residual) {
            best_residual = residual;
            best = x;
        }
    }
    if (best_residual == std::numeric_limits<double>::infinity()) return std::nullopt;
    for (std::size_t j = 0; j < kTerms; ++j) best[j] /= scale[j];
    return with_coefficients(std::move(model), best);
}

double relative_error(const PauseModel& model, const PauseSample& sample) {
    const Row f = features(sample.cost);
    const double predicted = model.base_ns + model.per_scanned_ns * f[1] +
                             model.per_reference_ns * f[2] + model.per_freed_ns * f[3] +
                             model.per_finalizer_ns * f[4] + model.per_callback_ns * f[5];
    return std::fabs(predicted - sample.pause_ns) / sample.pause_ns;
}

}  // namespace heapsim

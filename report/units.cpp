#include "report/units.h"

#include <array>
#include <cstdio>

namespace heapsim {

namespace {

/// `value` (>= 1) with three significant digits and `unit` appended.
std::string three_digits(double value, const char* unit) {
    char buf[48];
    if (value < 9.995) {
        std::snprintf(buf, sizeof buf, "%.2f %s", value, unit);
    } else if (value < 99.95) {
        std::snprintf(buf, sizeof buf, "%.1f %s", value, unit);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f %s", value, unit);
    }
    return buf;
}

}  // namespace

std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string human_bytes(std::uint64_t bytes) {
    static constexpr std::array<const char*, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    // Move up while the rounded value would print as 1000 or more.
    while (unit + 1 < kUnits.size() && value >= 999.5) {
        value /= 1024.0;
        ++unit;
    }
    return three_digits(value, kUnits[unit]);
}

std::string human_duration(std::uint64_t ns) {
    if (ns < 1000) return std::to_string(ns) + " ns";
    double value = static_cast<double>(ns) / 1000.0;
    if (value < 999.5) return three_digits(value, "µs");
    value /= 1000.0;
    if (value < 999.5) return three_digits(value, "ms");
    return three_digits(value / 1000.0, "s");
}

}  // namespace heapsim

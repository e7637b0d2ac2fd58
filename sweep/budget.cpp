#include "sweep/budget.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "report/units.h"

namespace heapsim::sweep {

namespace {

/// A non-negative decimal number ("12", "1.5"), all of `text`.
std::optional<double> parse_decimal(std::string_view text) {
    if (text.empty() || text.find_first_not_of("0123456789.") != std::string_view::npos ||
        text.front() == '.' || text.back() == '.' || std::count(text.begin(), text.end(), '.') > 1)
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g%%", fraction * 100.0);
    return buf;
}

std::string over_by(std::uint64_t actual, std::uint64_t limit, std::string (*unit)(std::uint64_t),
                    const char* raw_unit) {
    // Three significant digits can show a broken limit as kept ("10.0 µs,
    // limit 10.0 µs"): the exact numbers follow in parentheses.
    std::string out = unit(actual) + " (" + with_commas(actual) + raw_unit + "), limit " +
                      unit(limit) + " (" + with_commas(limit) + raw_unit + ")";
    if (actual <= limit) return out;
    out += ": over by " + unit(actual - limit);
    if (limit != 0) out += " (+" + percent(double(actual - limit) / double(limit)) + ")";
    return out;
}

}  // namespace

const char* budget_name(BudgetKind kind) {
    switch (kind) {
        case BudgetKind::MaxP99Pause:
            return "max-p99-pause";
        case BudgetKind::MaxGcTimeShare:
            return "max-gc-time-share";
        case BudgetKind::MaxPeakBytes:
            return "max-peak-bytes";
        case BudgetKind::MaxLeakedBytes:
            return "max-leaked-bytes";
        case BudgetKind::FailOnLeak:
            return "fail-on-leak";
    }
    return "?";
}

void Budgets::add(Budget budget) {
    std::erase_if(list, [&](const Budget& b) { return b.kind == budget.kind; });
    list.push_back(budget);
    std::stable_sort(list.begin(), list.end(),
                     [](const Budget& a, const Budget& b) { return a.kind < b.kind; });
}

Checked<std::uint64_t> parse_duration(std::string_view text) {
    const auto bad = [&] {
        return Checked<std::uint64_t>::failure("invalid duration '" + std::string(text) +
                                               "': expected a number and a unit (ns, us, ms, s), "
                                               "e.g. 500us or 1.5ms");
    };
    const std::size_t unit_at = text.find_first_not_of("0123456789.");
    if (unit_at == std::string_view::npos || unit_at == 0) return bad();
    const std::string_view unit = text.substr(unit_at);
    double scale = 0;
    if (unit == "ns")
        scale = 1;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else
        return bad();
    const auto value = parse_decimal(text.substr(0, unit_at));
    if (!value || *value * scale > 9.2e18) return bad();
    return static_cast<std::uint64_t>(std::llround(*value * scale));
}

Checked<std::uint64_t> parse_size(std::string_view text) {
    const auto bad = [&] {
        return Checked<std::uint64_t>::failure("invalid size '" + std::string(text) +
                                               "': expected bytes with an optional unit K, M or G "
                                               "(powers of 1024), e.g. 512M");
    };
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 18) return bad();
    const std::string_view unit = text.substr(digits);
    int shift = 0;
    if (unit == "K")
        shift = 10;
    else if (unit == "M")
        shift = 20;
    else if (unit == "G")
        shift = 30;
    else if (!unit.empty())
        return bad();
    std::uint64_t value = 0;
    std::from_chars(text.data(), text.data() + digits, value);
    if (value > (std::numeric_limits<std::uint64_t>::max() >> shift)) return bad();
    return value << shift;
}

Checked<double> parse_fraction(std::string_view text) {
    const bool pct = text.ends_with('%');
    const auto value = parse_decimal(pct ? text.substr(0, text.size() - 1) : text);
    const double f = value ? (pct ? *value / 100.0 : *value) : -1;
    if (!value || f > 1.0)
        return Checked<double>::failure("invalid fraction '" + std::string(text) +
                                        "': expected a number from 0 to 1 or a percentage, e.g. "
                                        "0.05 or 5%");
    return f;
}

std::vector<BudgetCheck> check_budgets(const Budgets& budgets, const RunMetrics& m) {
    std::vector<BudgetCheck> out;
    for (const Budget& b : budgets.list) {
        BudgetCheck c;
        c.kind = b.kind;
        c.limit = b.limit;
        switch (b.kind) {
            case BudgetKind::MaxP99Pause:
                c.actual = m.p99_pause_ns;
                break;
            case BudgetKind::MaxPeakBytes:
                c.actual = m.peak_live_bytes;
                break;
            case BudgetKind::MaxLeakedBytes:
                c.actual = m.leaked_bytes;
                break;
            case BudgetKind::FailOnLeak:
                c.actual = m.leaked_objects;
                break;
            case BudgetKind::MaxGcTimeShare:
                c.share_limit = b.share;
                c.measurable = m.end_time_ns != 0;
                c.share_actual = c.measurable ? double(m.gc_time_ns) / double(m.end_time_ns) : 0;
                c.ok = c.measurable && c.share_actual <= c.share_limit;
                break;
        }
        if (b.kind != BudgetKind::MaxGcTimeShare) c.ok = c.actual <= c.limit;
        out.push_back(c);
    }
    return out;
}

std::string BudgetCheck::describe() const {
    switch (kind) {
        case BudgetKind::MaxP99Pause:
            return "p99 pause " + over_by(actual, limit, human_duration, " ns");
        case BudgetKind::MaxPeakBytes:
            return "peak live " + over_by(actual, limit, human_bytes, " B");
        case BudgetKind::MaxLeakedBytes:
            return "leaked " + over_by(actual, limit, human_bytes, " B");
        case BudgetKind::FailOnLeak:
            return actual == 0
                       ? "no leaked objects"
                       : with_commas(actual) + " leaked objects (garbage at the end), limit 0";
        case BudgetKind::MaxGcTimeShare: {
            if (!measurable)
                return "gc time share unknown: the trace has no timestamps, limit " +
                       percent(share_limit);
            std::string out =
                "gc time share " + percent(share_actual) + ", limit " + percent(share_limit);
            if (!ok) out += ": over by " + percent(share_actual - share_limit) + " points";
            return out;
        }
    }
    return {};
}

}  // namespace heapsim::sweep

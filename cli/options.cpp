#include "cli/options.h"

#include <charconv>
#include <limits>

namespace heapsim::cli {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

/// All of `text` as a non-negative integer no larger than `max`.
std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t max) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

}  // namespace

Checked<ThresholdOverride> parse_thresholds(std::string_view text) {
    const auto bad = [&] {
        return Checked<ThresholdOverride>::failure(
            "invalid threshold '" + std::string(text) +
            "': expected 1 to 3 comma-separated non-negative integers, e.g. 700,10,10");
    };
    ThresholdOverride out;
    std::string_view rest = text;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        if (out.count == 3) return bad();
        const auto value = parse_uint(item, std::numeric_limits<int>::max());
        if (!value) return bad();
        out.values[out.count++] = static_cast<std::int64_t>(*value);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

std::optional<std::string> check_policy_name(std::string_view name) {
    if (policy_by_name(name)) return std::nullopt;
    return "unknown policy '" + std::string(name) + "' (valid: " + join(policy_names(), ", ") + ")";
}

Checked<Policy> resolve_policy(std::string_view name, const std::optional<ThresholdOverride>& thresholds) {
    std::optional<Policy> policy = policy_by_name(name);
    if (!policy) return Checked<Policy>::failure(*check_policy_name(name));
    if (thresholds) {
        for (int i = 0; i < thresholds->count; ++i) policy->thresholds[i] = thresholds->values[i];
    }
    return *policy;
}

Checked<std::uint64_t> parse_count(std::string_view text, std::string_view flag, std::uint64_t min) {
    const bool digits =
        !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
    const auto value =
        digits ? parse_uint(text, std::numeric_limits<std::uint64_t>::max()) : std::nullopt;
    if (!value || *value < min) {
        return Checked<std::uint64_t>::failure(
            "invalid " + std::string(flag) + " '" + std::string(text) +
            "': expected a whole number from " + std::to_string(min) + " to 18446744073709551615");
    }
    return *value;
}

Checked<std::uint64_t> parse_byte_size(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    std::string_view suffix = text.substr(digits);
    int shift = 0;
    if (!suffix.empty()) {
        switch (suffix[0]) {
            case 'k': case 'K': shift = 10; break;
            case 'm': case 'M': shift = 20; break;
            case 'g': case 'G': shift = 30; break;
            case 't': case 'T': shift = 40; break;
            case 'b': case 'B': shift = 0; break;
            default: shift = -1;
        }
        std::string_view tail = suffix.substr(1);
        if (shift > 0 && !tail.empty() && tail != "iB" && tail != "B") shift = -1;
        if (shift == 0 && !tail.empty()) shift = -1;
    }
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max() >> (shift > 0 ? shift : 0);
    const auto value = parse_uint(text.substr(0, digits), max);
    if (!value || shift < 0) {
        return Checked<std::uint64_t>::failure("invalid size '" + std::string(text) +
                                              "': expected bytes, e.g. 4096, 512K, 2G");
    }
    return *value << shift;
}

Checked<ReportFormat> parse_report_format(std::string_view name) {
    if (ReportFormat format = find_report_format(name)) return format;
    return Checked<ReportFormat>::failure("unknown format '" + std::string(name) + "' (valid: " +
                                         report_format_names() + ")");
}

std::string policy_names_text() {
    std::string out;
    for (const std::string& name : policy_names()) out += (out.empty() ? "" : ", ") + name;
    return out;
}

}  // namespace heapsim::cli

#include "trace_formats/end_record.h"

#include <charconv>

namespace heapsim {

namespace {

constexpr std::string_view kPrefix = "# end events=";

}  // namespace

namespace {

std::string_view trimmed(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    line.remove_prefix(first);
    return line.substr(0, line.find_last_not_of(" \t") + 1);
}

}  // namespace

bool is_end_record_promise(std::string_view line) {
    return trimmed(line) == kEndRecordPromise;
}

std::string end_record_line(std::uint64_t events) {
    return std::string(kPrefix) + std::to_string(events);
}

std::optional<std::uint64_t> parse_end_record(std::string_view line) {
    line = trimmed(line);
    if (!line.starts_with(kPrefix)) return std::nullopt;
    const std::string_view digits = line.substr(kPrefix.size());
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
        return std::nullopt;
    return n;
}

}  // namespace heapsim

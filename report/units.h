#pragma once
// Number formatting for the human-facing reports (text, markdown). The JSON
// and CSV reports always carry raw integers.

#include <cstdint>
#include <string>

namespace heapsim {

/// 1234567 -> "1,234,567".
std::string with_commas(std::uint64_t n);
/// Bytes with three significant digits in binary units: "512 B", "1.50 KiB", "12.3 MiB".
std::string human_bytes(std::uint64_t bytes);
/// Nanoseconds with three significant digits: "850 ns", "12.3 µs", "1.05 ms", "2.00 s".
std::string human_duration(std::uint64_t ns);

}  // namespace heapsim

#pragma once
// The data the HTML report embeds: the JSON report, its growing arrays
// thinned to what the page shows (html_data.cpp, docs/report.md "HTML").

#include <cstddef>

#include <nlohmann/json.hpp>

#include "sim/run_result.h"

namespace heapsim {

/// Collections embedded at most (the longest pauses of each generation over
/// the run), and rows of leaks and of leak groups (the page's tables show
/// that many).
inline constexpr std::size_t kHtmlCollections = 2000, kHtmlRows = 200;

nlohmann::ordered_json html_report_data(const RunResult& result);

}  // namespace heapsim

// `--format html`: one self-contained page. The template (report/report.html,
// compiled in at build time) carries the styles and the script that draws
// the charts; the only thing a run adds is its JSON report, embedded as data
// (thinned to what the page shows: html_data.cpp).
#include <string>
#include <string_view>

#include "report/html_data.h"
#include "report/report.h"

namespace heapsim {

namespace {

constexpr char kTemplate[] =
#include "embedded/report/report.html.inc"
    ;
constexpr std::string_view kPlaceholder = "@HEAPSIM_REPORT_JSON@";

/// The JSON report made safe inside <script>: '<', '>' and '&' occur only in
/// strings, where their \u escapes mean the same, and without them no site
/// or label can close the element ("</script>") or open a comment ("<!--").
std::string script_safe(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (const char c : json) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

void write_html_report(const RunResult& result, std::ostream& out, const ReportOptions&) {
    const std::string_view page(kTemplate, sizeof kTemplate - 1);
    const std::size_t at = page.find(kPlaceholder);
    // Sites and labels are arbitrary bytes: replace invalid UTF-8 rather than throw.
    const std::string json =
        html_report_data(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out << page.substr(0, at) << script_safe(json) << page.substr(at + kPlaceholder.size());
}

}  // namespace heapsim

#include "sweep/junit.h"

#include "events/diagnostic.h"

namespace heapsim::sweep {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (c >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') out += ch;
        }
    }
    return out;
}

void write_junit(const SweepReport& report, const std::string& command, std::ostream& out) {
    std::size_t tests = 0, failures = 0;
    for (const SweepRun& r : report.runs) {
        tests += r.budgets.empty() ? 1 : r.budgets.size();
        for (const BudgetCheck& c : r.budgets) failures += c.ok ? 0 : 1;
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites name=\"" << xml_escape(command) << "\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" errors=\"0\">\n";
    for (std::size_t t = 0; t < report.traces.size(); ++t) {
        std::size_t suite_tests = 0, suite_failures = 0;
        for (const SweepRun& r : report.runs) {
            if (r.trace != t) continue;
            suite_tests += r.budgets.empty() ? 1 : r.budgets.size();
            for (const BudgetCheck& c : r.budgets) suite_failures += c.ok ? 0 : 1;
        }
        const std::string path = display_path(report.traces[t].path);
        out << "  <testsuite name=\"" << xml_escape(command + " " + path) << "\" tests=\""
            << suite_tests << "\" failures=\"" << suite_failures
            << "\" errors=\"0\" skipped=\"0\">\n";
        for (const SweepRun& r : report.runs) {
            if (r.trace != t) continue;
            const std::string run = "run " + std::to_string(r.run) + " " + r.spec;
            if (r.budgets.empty()) {
                out << "    <testcase classname=\"" << xml_escape(path) << "\" name=\""
                    << xml_escape(run) << "\"/>\n";
                continue;
            }
            for (const BudgetCheck& c : r.budgets) {
                out << "    <testcase classname=\"" << xml_escape(path) << "\" name=\""
                    << xml_escape(run + " " + budget_name(c.kind)) << "\"";
                if (c.ok) {
                    out << "/>\n";
                    continue;
                }
                out << ">\n      <failure type=\"budget\" message=\"" << xml_escape(c.describe())
                    << "\">" << xml_escape(broken_budget_line(c, path + ", " + run))
                    << "</failure>\n    </testcase>\n";
            }
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
}

}  // namespace heapsim::sweep

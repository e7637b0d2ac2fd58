#pragma once
// `--junit FILE`: a JUnit XML file for CI test reports, one test case per
// run and budget (one per run when no budget is given), a broken budget
// a <failure> carrying its numbers.

#include <ostream>
#include <string>

#include "sweep/sweep_report.h"

namespace heapsim::sweep {

/// `command` names the suite ("heapsim sweep").
void write_junit(const SweepReport& report, const std::string& command, std::ostream& out);

/// `text` with XML's five special characters escaped and the characters
/// XML 1.0 cannot carry (controls other than tab and newlines) dropped.
std::string xml_escape(const std::string& text);

}  // namespace heapsim::sweep

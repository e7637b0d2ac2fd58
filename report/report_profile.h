#pragma once
// The human forms (text, Markdown) of the run's profile (sim/run_profile.h):
// retention paths, promotions and survivor ages, memory over time, what was
// live at the peak, temporaries and what-if lines. Each writer prints one
// section; report_text.cpp and report_markdown.cpp place them.

#include <ostream>
#include <string>

#include "report/report.h"

namespace heapsim {

/// "cache → dict c ['users'] → list u → Session s1 ['root'] → Node n1":
/// a root name, then "TYPE ID" per object, the key through which an object
/// refers to the next in brackets after it; "… N more …" for an elision.
std::string path_text(const RetentionPath& path);

/// Lines of at most `width` columns: `text` broken after " → ", each
/// continuation line indented by `indent` spaces.
std::string wrap_path(const std::string& text, std::size_t first_indent, std::size_t indent,
                      std::size_t width);

void write_retention_text(const RunResult& r, std::ostream& out, std::size_t top);
void write_promotions_text(const RunResult& r, std::ostream& out, std::size_t top);
void write_memory_text(const RunResult& r, std::ostream& out);
void write_at_peak_text(const RunResult& r, std::ostream& out, std::size_t top);
void write_temporaries_text(const RunResult& r, std::ostream& out, std::size_t top);
void write_what_if_text(const RunResult& r, std::ostream& out);

/// The same sections, compact, for the Markdown report.
void write_profile_markdown(const RunResult& r, std::ostream& out, std::size_t top);

}  // namespace heapsim

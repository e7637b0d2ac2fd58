#pragma once
// A table of strings rendered as aligned text, Markdown or CSV: the one
// layout behind every sweep and comparison table.

#include <ostream>
#include <string>
#include <vector>

namespace heapsim::sweep {

struct Table {
    std::vector<std::string> header;
    std::vector<bool> numeric;  // per column: right-aligned
    std::vector<std::vector<std::string>> rows;

    /// Columns padded to their widest cell, two spaces apart.
    void write_text(std::ostream& out) const;
    /// A GitHub-flavoured Markdown table; pipes in cells escaped.
    void write_markdown(std::ostream& out) const;
    /// RFC 4180: a cell with a comma, quote or newline is quoted.
    void write_csv(std::ostream& out) const;
};

}  // namespace heapsim::sweep

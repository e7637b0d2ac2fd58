#include "sweep/table.h"

#include <algorithm>

namespace heapsim::sweep {

namespace {

/// Display width: UTF-8 continuation bytes take no column ("µs").
std::size_t width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

}  // namespace

void Table::write_text(std::ostream& out) const {
    std::vector<std::size_t> widths(header.size(), 0);
    for (std::size_t c = 0; c < header.size(); ++c) widths[c] = width(header[c]);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], width(row[c]));
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(widths[c] - width(cells[c]), ' ');
            const bool right = c < numeric.size() && numeric[c];
            if (c != 0) text += "  ";
            text += right ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : "");
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
}

void Table::write_markdown(std::ostream& out) const {
    out << '|';
    for (const std::string& h : header) out << ' ' << md_cell(h) << " |";
    out << "\n|";
    for (std::size_t c = 0; c < header.size(); ++c)
        out << (c < numeric.size() && numeric[c] ? "--:|" : "---|");
    out << '\n';
    for (const auto& row : rows) {
        out << '|';
        for (const std::string& cell : row) out << ' ' << md_cell(cell) << " |";
        out << '\n';
    }
}

void Table::write_csv(std::ostream& out) const {
    const auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_cell(cells[c]);
        out << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
}

}  // namespace heapsim::sweep

#include "trace_formats/interpreter_record.h"

#include <vector>

namespace heapsim {

namespace {

constexpr std::string_view kPrefix = "# interpreter:";
constexpr std::string_view kBuildOption = "build=";

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = text.find_first_not_of(" \t", i);
        if (start == std::string_view::npos) break;
        const std::size_t end = std::min(text.find_first_of(" \t", start), text.size());
        tokens.push_back(text.substr(start, end - start));
        i = end;
    }
    return tokens;
}

/// "3.12.1": digits and dots, starting and ending with a digit.
bool is_version(std::string_view v) {
    if (v.empty() || v.front() == '.' || v.back() == '.') return false;
    for (const char c : v)
        if ((c < '0' || c > '9') && c != '.') return false;
    return true;
}

bool is_build(std::string_view b) {
    if (b.empty()) return false;
    for (const char c : b)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

}  // namespace

std::string interpreter_text(const TraceInterpreter& interpreter) {
    return interpreter.implementation + " " + interpreter.version + " " +
           std::string(kBuildOption) + interpreter.build;
}

std::string interpreter_record_line(const TraceInterpreter& interpreter) {
    return std::string(kPrefix) + " " + interpreter_text(interpreter);
}

std::optional<TraceInterpreter> parse_interpreter_text(std::string_view text) {
    const std::vector<std::string_view> tokens = split(text);
    if (tokens.size() != 3 || tokens[0] != "cpython" || !is_version(tokens[1]) ||
        !tokens[2].starts_with(kBuildOption) || !is_build(tokens[2].substr(kBuildOption.size())))
        return std::nullopt;
    return TraceInterpreter{std::string(tokens[0]), std::string(tokens[1]),
                            std::string(tokens[2].substr(kBuildOption.size()))};
}

std::optional<TraceInterpreter> parse_interpreter_record(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::nullopt;
    line.remove_prefix(first);
    if (!line.starts_with(kPrefix)) return std::nullopt;
    return parse_interpreter_text(line.substr(kPrefix.size()));
}

std::optional<TraceInterpreter> interpreter_from_recording(std::string_view text) {
    const std::vector<std::string_view> tokens = split(text);
    if (tokens.size() < 2 || tokens[0] != "cpython" || !is_version(tokens[1])) return std::nullopt;
    // The recorder runs on default (GIL) builds only; a free-threaded
    // recording would need its own marker in the recording header.
    return TraceInterpreter{"cpython", std::string(tokens[1]), "default"};
}

std::string describe(const TraceInterpreter& interpreter) {
    return interpreter.implementation + " " + interpreter.version + " (" + interpreter.build +
           " build)";
}

}  // namespace heapsim

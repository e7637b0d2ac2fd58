#pragma once
// Checks on where `run` is asked to write, before any work is done: a
// document that would be lost (two documents to one file, an empty file
// name) is a usage error, never a silent success.

#include <optional>
#include <string>

namespace heapsim::cli {

/// A file option as given: whether it was on the command line, and its value.
struct OutputOption {
    const char* flag;  // "--json", "-o"
    bool given = false;
    std::string path;
};

/// The message for a usage error, or nullopt when the outputs are usable:
/// an empty FILE is rejected ("-" means standard output), and two options
/// naming the same file (also through another spelling or a link) are too,
/// since the second document would replace the first.
std::optional<std::string> check_output_paths(const OutputOption& a, const OutputOption& b);

/// Whether two paths name the same file (the file need not exist).
bool same_file(const std::string& a, const std::string& b);

}  // namespace heapsim::cli

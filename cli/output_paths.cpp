#include "cli/output_paths.h"

#include <filesystem>
#include <system_error>

namespace heapsim::cli {

bool same_file(const std::string& a, const std::string& b) {
    namespace fs = std::filesystem;
    std::error_code ea, eb;
    if (fs::equivalent(a, b, ea) && !ea) return true;
    const fs::path ca = fs::weakly_canonical(a, ea);
    const fs::path cb = fs::weakly_canonical(b, eb);
    if (ea || eb) return fs::path(a).lexically_normal() == fs::path(b).lexically_normal();
    return ca == cb;
}

std::optional<std::string> check_output_paths(const OutputOption& a, const OutputOption& b) {
    for (const OutputOption* o : {&a, &b}) {
        if (o->given && o->path.empty())
            return std::string(o->flag) +
                   " needs a file name (or - for standard output), not an empty string";
    }
    if (a.given && b.given && a.path != "-" && b.path != "-" && same_file(a.path, b.path)) {
        return std::string(a.flag) + " and " + b.flag + " both name '" + b.path +
               "': the second document would replace the first; give each its own file";
    }
    return std::nullopt;
}

}  // namespace heapsim::cli

#include "calibrate/calibration_run.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "platform/child_process.h"

namespace heapsim {

namespace {

/// A new empty file in $TMPDIR (or /tmp); "" when none can be made.
std::string temp_file(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern =
        std::string(dir && *dir ? dir : "/tmp") + "/heapsim-calibrate-XXXXXX" + suffix;
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const int fd = mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    if (fd < 0) return "";
    close(fd);
    return buf.data();
}

}  // namespace

std::optional<std::vector<double>> parse_timings(const std::string& log, std::size_t heaps,
                                                 std::string& error) {
    std::vector<double> ns(heaps, -1);
    std::istringstream in(log);
    std::string line;
    bool done = false;
    while (std::getline(in, line)) {
        if (line == "done") {
            done = true;
            continue;
        }
        std::istringstream fields(line);
        std::string word;
        std::size_t heap = 0;
        long long t = -1;
        if (!(fields >> word >> heap >> t) || word != "heap" || heap >= heaps || t < 0) {
            error = "unexpected output from the interpreter: " + line.substr(0, 400);
            return std::nullopt;
        }
        ns[heap] = static_cast<double>(t);
    }
    for (std::size_t i = 0; i < heaps; ++i) {
        if (ns[i] < 0 || !done) {
            error = "the interpreter stopped before timing every heap:\n" + log.substr(0, 4000);
            return std::nullopt;
        }
    }
    return ns;
}

std::optional<std::vector<double>> time_collections(const std::string& python,
                                                    const std::vector<HeapShape>& heaps,
                                                    int repeats, std::string& error) {
    const std::string script = temp_file(".py"), log = temp_file(".log");
    if (script.empty() || log.empty()) {
        error = "cannot create a temporary file (set TMPDIR to a writable directory)";
        return std::nullopt;
    }
    std::ofstream(script) << calibration_program(heaps, repeats);
    const ChildResult child = run_child({python, script}, log);
    std::ifstream in(log, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::remove(script.c_str());
    std::remove(log.c_str());
    if (!child.started) {
        error = child.error;
        return std::nullopt;
    }
    if (child.exit_status != 0) {
        error = "'" + python + "' exited with status " + std::to_string(child.exit_status) +
                (child.signal ? " (signal " + std::to_string(child.signal) + ")" : "") + ":\n" +
                text.str().substr(0, 4000);
        return std::nullopt;
    }
    return parse_timings(text.str(), heaps.size(), error);
}

}  // namespace heapsim

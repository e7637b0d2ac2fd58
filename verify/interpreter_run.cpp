#include "verify/interpreter_run.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "platform/child_process.h"

namespace heapsim {

namespace {

std::string temp_path(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern =
        std::string(dir && *dir ? dir : "/tmp") + "/heapsim-verify-XXXXXX" + suffix;
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const int fd = mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + pattern);
    close(fd);
    return buf.data();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::optional<InterpreterLog> interpret(const std::string& python, const std::string& program,
                                        std::string& error, bool* diverged) {
    const std::string script = temp_path(".py"), log = temp_path(".log");
    std::ofstream(script) << program;
    const ChildResult child = run_child({python, script}, log);
    const std::string text = read_file(log);
    std::remove(script.c_str());
    std::remove(log.c_str());
    if (!child.started) {
        error = child.error;
        return std::nullopt;
    }
    InterpreterLog parsed = parse_interpreter_log(text);
    if (diverged) *diverged = parsed.started && (!parsed.exception.empty() || !parsed.finished);
    if (!parsed.exception.empty()) {
        error =
            "the interpreter raised an exception while replaying the trace (heapsim's model and "
            "the interpreter disagree on which objects are alive):\n" +
            parsed.exception;
        return std::nullopt;
    }
    if (!parsed.started || !parsed.finished) {
        error = "'" + python + "' did not run the program to the end (exit status " +
                std::to_string(child.exit_status) +
                (child.signal ? ", signal " + std::to_string(child.signal) : "") + "):\n" +
                text.substr(0, 4000);
        return std::nullopt;
    }
    return parsed;
}

std::optional<std::string> python_version(const std::string& python, std::string& error) {
    const std::string script = temp_path(".py"), log = temp_path(".log");
    std::ofstream(script) << "import os, sys\nos.write(2, sys.version.split()[0].encode())\n";
    const ChildResult child = run_child({python, script}, log);
    const std::string text = read_file(log);
    std::remove(script.c_str());
    std::remove(log.c_str());
    if (!child.started) {
        error = child.error;
        return std::nullopt;
    }
    if (child.exit_status != 0 || text.empty() || text.find('\n') != std::string::npos) {
        error = "'" + python + "' did not report its version (exit status " +
                std::to_string(child.exit_status) + "): " + text.substr(0, 400);
        return std::nullopt;
    }
    return text;
}

}  // namespace heapsim

#pragma once
// Runs another program (the Python interpreter, for verify) and waits for it.

#include <string>
#include <vector>

namespace heapsim {

struct ChildResult {
    bool started = false;
    int exit_status = -1;  // the child's exit status, or -1
    int signal = 0;        // the signal that ended it, or 0
    std::string error;     // why it could not be started
};

/// Runs `argv` with standard input from /dev/null, standard output discarded
/// and standard error written to `stderr_path`.
ChildResult run_child(const std::vector<std::string>& argv, const std::string& stderr_path);

}  // namespace heapsim

#include "verify/interpreter_log.h"

#include <cstdio>
#include <sstream>

namespace heapsim {
namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

InterpreterLog parse_interpreter_log(const std::string& text) {
    InterpreterLog log;
    std::istringstream in(text);
    std::string line;
    std::uint64_t event = 0;
    ObservedCollection current;
    bool in_exception = false;
    bool in_teardown = false;  // after the trace: only the final count and errors matter
    std::uint64_t seq = 0;
    while (std::getline(in, line)) {
        ++seq;
        if (in_exception) {
            log.exception += line + "\n";
            continue;
        }
        if (line == "Z" || line == "T") {
            in_teardown = true;  // the trace is over (Z), main() is being left (T)
            continue;
        }
        if (in_teardown && line != "X" && line[0] != 'C') continue;
        unsigned long long a = 0, b = 0, c = 0;
        int g = 0;
        if (starts_with(line, "gc: collecting generation ") &&
            std::sscanf(line.c_str(), "gc: collecting generation %d", &g) == 1) {
            current = ObservedCollection{};
            current.event = event;
            current.generation = g;
        } else if (std::sscanf(line.c_str(), "gc: objects in each generation: %llu %llu %llu", &a, &b,
                               &c) == 3) {
            current.gen_sizes = {a, b, c};
        } else if (std::sscanf(line.c_str(), "gc: objects in permanent generation: %llu", &a) == 1) {
            current.permanent = a;
        } else if (std::sscanf(line.c_str(), "gc: done, %llu unreachable, %llu uncollectable", &a, &b) ==
                   2) {
            current.uncollectable = b;
            current.collected = a - b;
            if (log.started) {
                log.collections.push_back(current);
            } else {
                log.interpreter_objects =
                    current.gen_sizes[0] + current.gen_sizes[1] + current.gen_sizes[2] - a;
            }
        } else if (line == "S") {
            log.started = true;
        } else if (line == "X") {
            in_exception = true;
        } else if (line.size() > 1 && line[0] == 'V') {
            log.version = line.substr(1);
        } else if (std::sscanf(line.c_str(), "E%llu", &a) == 1 && line[0] == 'E') {
            event = a;
        } else if (line[0] == 'A' && std::sscanf(line.c_str(), "A%llu", &a) == 1) {
            log.allocations.push_back({seq, event, a});
        } else if (line[0] == 'F' && std::sscanf(line.c_str(), "F%llu", &a) == 1) {
            log.finalizers.push_back(ObservedCall{seq, event, a, -1});
        } else if (line[0] == 'W' && std::sscanf(line.c_str(), "W%d %llu", &g, &a) == 2) {
            log.callbacks.push_back(ObservedCall{seq, event, a, g});
        } else if (line[0] == 'C' && std::sscanf(line.c_str(), "C%llu %llu %llu", &a, &b, &c) == 3) {
            log.final_count = std::array<std::uint64_t, 3>{a, b, c};
            log.finished = true;
        } else if (!line.empty()) {
            log.unexpected.push_back(line);
        }
    }
    return log;
}

}  // namespace heapsim

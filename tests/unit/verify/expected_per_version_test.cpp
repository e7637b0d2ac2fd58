// Each scenario trace and each bundled trace with its expected values per
// CPython version, without the interpreters: tests/policies/expected/
// holds, per interpreter, what that interpreter did on every trace
// (`heapsim verify --observed`, captured by tests/policies/capture.sh on the
// real interpreters, never from the model), and every trace is replayed here
// under that interpreter's policy and must show exactly the same
// collections, finalizers, weakref callbacks and final counts.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/buffered_replay.h"
#include "sim/policy.h"
#include "verify/model_run.h"
#include "verify/observation.h"

namespace heapsim {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = HEAPSIM_SOURCE_DIR;
const fs::path kExpected = kSource / "tests/policies/expected";

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Every trace the table must cover, relative to the source directory.
std::set<std::string> all_traces() {
    std::set<std::string> out;
    for (const char* dir : {"traces", "traces/scenarios"})
        for (const auto& e : fs::directory_iterator(kSource / dir))
            if (e.path().extension() == ".trace")
                out.insert(fs::relative(e.path(), kSource).generic_string());
    return out;
}

/// The first line where two observations differ, or "".
std::string first_difference(const std::string& expected, const std::string& model) {
    std::istringstream a(expected), b(model);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool ha = static_cast<bool>(std::getline(a, la)),
                   hb = static_cast<bool>(std::getline(b, lb));
        if (!ha && !hb) return "";
        if (!ha || !hb || la != lb)
            return "line " + std::to_string(line) + ": python '" + (ha ? la : "<end>") +
                   "', heapsim '" + (hb ? lb : "<end>") + "'";
    }
}

// Under the sanitizers the bundled traces above 200 kB are left out: they add
// length, not shapes, and cost most of this test's time there (a replay costs
// ~10x). Release checks every trace.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uintmax_t kMaxTraceBytes = 200000;
#else
constexpr std::uintmax_t kMaxTraceBytes = UINTMAX_MAX;
#endif

std::vector<fs::path> expected_files() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(kExpected))
        if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE(
    "expected values per version: a table for every verified interpreter, covering every trace") {
    std::set<std::string> policies;
    for (const fs::path& file : expected_files()) {
        std::string error;
        const auto observations = parse_observations(read_text(file), error);
        REQUIRE_MESSAGE(observations, file.string() << ":" << error);
        std::set<std::string> traces;
        for (const Observation& o : *observations) {
            traces.insert(o.trace);
            if (!o.refused.empty()) continue;
            const auto policy = policy_for_python(o.python);
            REQUIRE_MESSAGE(policy, file.string() << ": no policy for Python " << o.python);
            policies.insert(policy->name());
            CHECK_MESSAGE(o.final_count, file.string() << ": " << o.trace << " has no final count");
        }
        CHECK_MESSAGE(traces == all_traces(),
                      file.string() << " does not cover every trace (tests/policies/capture.sh)");
    }
    const std::set<std::string> verified{"cpython-3.11", "cpython-3.12", "cpython-3.13",
                                         "cpython-3.14", "cpython-3.15"};
    CHECK(policies == verified);
}

TEST_CASE(
    "expected values per version: every trace under every verified policy agrees with its "
    "interpreter") {
    for (const fs::path& file : expected_files()) {
        std::string error;
        const auto observations = parse_observations(read_text(file), error);
        REQUIRE(observations);
        std::size_t collections = 0;
        std::size_t left_out = 0;
        for (const Observation& expected : *observations) {
            if (fs::file_size(kSource / expected.trace) > kMaxTraceBytes) {
                ++left_out;
                continue;
            }
            LoadedTrace loaded = load_trace((kSource / expected.trace).string());
            REQUIRE_MESSAGE(!loaded.error, expected.trace);
            if (!expected.refused.empty()) {
                // verify refused it on that interpreter: the translation still does.
                ModelRun run = model_run(*policy_by_name("cpython-3.11"), loaded, 0);
                CHECK_MESSAGE(run.error, expected.trace << " was refused: " << expected.refused);
                continue;
            }
            const auto policy = policy_for_python(expected.python);
            REQUIRE(policy);
            ModelRun run = model_run(*policy, loaded, expected.interpreter_objects, false);
            REQUIRE_MESSAGE(run.result, expected.trace);
            Observation model = observation_of(*run.result, expected.trace);
            model.python = expected.python;
            model.interpreter_objects = expected.interpreter_objects;
            const std::string where =
                file.filename().string() + " " + expected.trace + " under " + policy->name();
            INFO(where);
            CHECK(first_difference(format_observation(expected), format_observation(model)) == "");
            collections += expected.collections.size();
        }
        MESSAGE(file.filename().string()
                << ": " << observations->size() - left_out << " traces, " << collections
                << " collections"
                << (left_out ? " (" + std::to_string(left_out) + " large ones left out)" : ""));
    }
}

}  // namespace heapsim

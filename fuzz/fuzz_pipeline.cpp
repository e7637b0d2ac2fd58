// Fuzz target: the whole `heapsim run` path in memory: reader -> Simulator
// -> RunResult -> every reporter, each into a string.
//
// Input: one control byte, then the trace.
//   bit 0     --lenient (skip bad events) or strict (stop at the first)
//   bit 1     policy refcount instead of cpython-3.11
//   bits 2-3  the name hint: .trace, .jsonl, .json, .htb
//   bit 4     thresholds 3,2,2 instead of 700,10,10 (collections every few
//             allocations, so short inputs reach the collector)
//   bit 5     run twice and require byte-identical reports (determinism)
// Object and memory limits stay small so no input can exhaust memory; a
// limit ends the run with a diagnostic, as --max-objects does.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/replay.h"
#include "fuzz/fuzz_support.h"
#include "report/report.h"

namespace {

constexpr std::uint64_t kMaxObjects = 4096;
constexpr std::uint64_t kMaxBytes = 16u << 20;

heapsim::ReplayOptions options_for(unsigned control) {
    heapsim::ReplayOptions options;
    options.lenient = (control & 1u) != 0;
    options.sim.policy = *heapsim::policy_by_name((control & 2u) != 0 ? "refcount" : "cpython-3.11");
    if ((control & 16u) != 0) options.sim.policy.thresholds = {3, 2, 2};
    options.sim.max_objects = kMaxObjects;
    options.sim.max_bytes = kMaxBytes;
    return options;
}

void check_result(const heapsim::RunResult& result) {
    const auto& per_generation = result.summary.collections;
    FUZZ_CHECK(per_generation[0] + per_generation[1] + per_generation[2] == result.collections.size());
    FUZZ_CHECK(result.summary.live_at_end <= result.summary.objects_allocated);
    FUZZ_CHECK(result.summary.expect_failures == result.expect_failures.size());
}

/// Every reporter's output, concatenated; the JSON one must parse back.
std::string all_reports(const heapsim::RunResult& result) {
    std::string all;
    for (const heapsim::Reporter& reporter : heapsim::reporters()) {
        std::ostringstream out;
        reporter.write(result, out, heapsim::ReportOptions{});
        FUZZ_CHECK(!out.str().empty());
        if (reporter.name == "json") {
            const auto doc = nlohmann::json::parse(out.str(), nullptr, /*allow_exceptions=*/false);
            FUZZ_CHECK(doc.is_object());
            FUZZ_CHECK(doc.value("schema", "") == heapsim::kReportSchema);
        }
        all += out.str();
    }
    return all;
}

/// The reports of one run, or the diagnostic that stopped it.
std::string run_once(const std::string& trace, const std::string& name, unsigned control) {
    const heapsim::ReplayOutcome outcome = heapsim::replay_buffer(trace, name, options_for(control));
    FUZZ_CHECK(outcome.result.has_value() != outcome.error.has_value());
    if (outcome.error) {
        FUZZ_CHECK(!outcome.error->message.empty());
        return heapsim::format_diagnostic(name, outcome.error->line, outcome.error->message);
    }
    check_result(*outcome.result);
    return all_reports(*outcome.result);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kNames[] = {"fuzz.trace", "fuzz.jsonl", "fuzz.json", "fuzz.htb"};
    const unsigned control = data[0];
    const std::string trace(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string name = kNames[(control >> 2) & 3u];
    const std::string first = run_once(trace, name, control);
    if ((control & 32u) != 0) FUZZ_CHECK(run_once(trace, name, control) == first);
    return 0;
}

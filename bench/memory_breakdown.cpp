// Memory per live object, structure by structure: replays one trace file
// as `heapsim run` does and prints what each structure holds at the end
// (and the end-of-run analysis' scratch at its largest), in bytes per peak
// live object, next to the process' peak RSS. The profile behind issue 13's
// "bytes per live object" target (docs/performance.md, "Session 7: memory
// per live object"):
//
//   heapsim-memory-breakdown [--forget-ids] TRACE [POLICY]
//
// --forget-ids forgets the ids of dead objects as the streaming `heapsim
// run` does (events/symbol_table.h), which is how bench/run.sh explains the
// RSS of a trace whose ids are never reused; TRACE `-` reads stdin. The last
// lines are malloc's own totals (mallinfo2), to tell the structures' bytes
// from the allocator's slack.

#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"

namespace {

class ReplaySink final : public heapsim::EventSink {
  public:
    explicit ReplaySink(heapsim::Simulator& sim) : sim_(sim) {}
    bool on_event(const heapsim::Event& ev) override {
        if (auto d = sim_.apply(ev)) {
            std::fprintf(stderr, "line %llu: %s\n", static_cast<unsigned long long>(d->line),
                         d->message.c_str());
            failed = true;
            return false;
        }
        return true;
    }
    bool on_error(const heapsim::Diagnostic& d) override {
        std::fprintf(stderr, "line %llu: %s\n", static_cast<unsigned long long>(d.line),
                     d.message.c_str());
        failed = true;
        return false;
    }
    bool failed = false;

  private:
    heapsim::Simulator& sim_;
};

// The process' peak RSS so far (VmHWM, KiB), 0 if /proc is not there.
double high_water_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool forget = argc > 1 && std::strcmp(argv[1], "--forget-ids") == 0;
    if (forget) --argc, ++argv;
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: heapsim-memory-breakdown [--forget-ids] TRACE [POLICY]\n");
        return 2;
    }
    heapsim::SymbolTable symbols;
    symbols.forget_dead_ids(forget);
    heapsim::SimOptions options;
    const auto policy = heapsim::policy_by_name(argc == 3 ? argv[2] : "cpython-3.11");
    if (!policy) {
        std::fprintf(stderr, "unknown policy %s\n", argv[2]);
        return 2;
    }
    options.policy = *policy;
    heapsim::Simulator sim(options, symbols);
    ReplaySink sink(sim);
    const heapsim::ReadSummary read = heapsim::read_trace(argv[1], symbols, sink);
    if (sink.failed) return 2;
    // The replay's own high-water mark: what finish() (the end-of-run
    // analysis) adds shows as the difference to the peak below.
    const double replay_peak = high_water_kib() * 1024.0;
    const heapsim::RunResult r = sim.finish(argv[1], read.events);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peak_rss = static_cast<double>(usage.ru_maxrss) * 1024.0;
    const double live = static_cast<double>(r.summary.peak_live_objects);
    std::printf("%s: %llu events, peak live %llu objects, peak RSS %.1f MiB = %.1f B/object\n",
                argv[1], static_cast<unsigned long long>(read.events),
                static_cast<unsigned long long>(r.summary.peak_live_objects), peak_rss / (1 << 20),
                peak_rss / live);
    std::printf(
        "replay's own peak RSS (before finish) %.1f MiB = %.1f B/object; finish adds %.1f "
        "B/object\n\n",
        replay_peak / (1 << 20), replay_peak / live, (peak_rss - replay_peak) / live);
    std::printf("%10s  %12s  %s\n", "B/object", "bytes", "structure");
    double total = 0;
    for (const heapsim::MemoryUse& use : sim.memory_use()) {
        total += static_cast<double>(use.bytes);
        std::printf("%10.2f  %12zu  %s\n", static_cast<double>(use.bytes) / live, use.bytes,
                    use.structure.c_str());
    }
    std::printf(
        "%10.2f  %12.0f  total of the above (the rest of the peak RSS: the report, the "
        "reader, the allocator's slack and the process)\n",
        total / live, total);
    const std::size_t records = r.finalizers.capacity() * sizeof(r.finalizers[0]) +
                                r.weakref_callbacks.capacity() * sizeof(r.weakref_callbacks[0]);
    std::printf(
        "%10.2f  %12zu  finalizer and callback records (in the result, listed in the report)\n",
        static_cast<double>(records) / live, records);
    const struct mallinfo2 m = mallinfo2();
    std::printf("%10.2f  %12zu  malloc: in use (mallinfo2 uordblks + hblkhd)\n",
                static_cast<double>(m.uordblks + m.hblkhd) / live, m.uordblks + m.hblkhd);
    std::printf("%10.2f  %12zu  malloc: free but held (fordblks)\n",
                static_cast<double>(m.fordblks) / live, m.fordblks);
    std::printf("symbols: %zu held, %zu numbers; retired ids: %zu intervals, %zu texts\n",
                symbols.live_size(), symbols.size(), symbols.retired_ids().intervals(),
                symbols.retired_ids().texts());
    return 0;
}

// The readers alone: reads one trace file into a sink that only counts, so
// `perf stat -e instructions:u heapsim-read-bench FILE` gives the reader's
// own instructions per event (bench/run.sh's reader rows; the difference
// from `heapsim run FILE` is the simulator's share).
//
//   heapsim-read-bench TRACE [TRACE...]

#include <cstdio>
#include <ctime>

#include "trace_formats/trace_reader.h"

namespace {

class CountingSink final : public heapsim::EventSink {
  public:
    bool on_event(const heapsim::Event&) override {
        ++events;
        return true;
    }
    bool on_error(const heapsim::Diagnostic& d) override {
        ++errors;
        std::fprintf(stderr, "line %llu: %s\n", static_cast<unsigned long long>(d.line),
                     d.message.c_str());
        return false;
    }
    unsigned long long events = 0, errors = 0;
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: heapsim-read-bench TRACE [TRACE...]\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        heapsim::SymbolTable symbols;
        CountingSink sink;
        const double start = cpu_seconds();
        heapsim::read_trace(argv[i], symbols, sink);
        const double seconds = cpu_seconds() - start;
        std::printf("%s: %llu events, %llu errors, %.3f s CPU, %.1fM events/s\n", argv[i],
                    sink.events, sink.errors, seconds,
                    seconds > 0 ? static_cast<double>(sink.events) / seconds / 1e6 : 0.0);
        if (sink.errors != 0) status = 1;
    }
    return status;
}

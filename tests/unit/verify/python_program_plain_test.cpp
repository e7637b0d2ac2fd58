// The uninstrumented program bench/run.sh times (`heapsim verify --plain`):
// the same operations as the instrumented one, without any marker.

#include <doctest/doctest.h>

#include <string>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"
#include "verify/python_program.h"

namespace heapsim {
namespace {

std::string translate(const std::string& trace, bool instrumented) {
    struct Sink final : EventSink {
        PythonProgram* program = nullptr;
        Simulator* sim = nullptr;
        bool on_event(const Event& ev) override {
            REQUIRE_FALSE(program->add(ev));
            REQUIRE_FALSE(sim->apply(ev));
            return true;
        }
        bool on_error(const Diagnostic& d) override {
            FAIL(d.message);
            return false;
        }
    };
    SymbolTable symbols;
    SimOptions options;
    options.record_frees = true;
    Simulator sim(options, symbols);
    PythonProgram program(symbols, sim, "t.trace", true, instrumented);
    Sink sink;
    sink.program = &program;
    sink.sim = &sim;
    read_trace_buffer(trace, "t.trace", symbols, sink);
    return program.finish();
}

const char* kTrace =
    "heaptrace 1\n"
    "type Node instance finalizer\n"
    "alloc a Node\n"
    "alloc b list\n"
    "set a next b\n"
    "bind x a\n"
    "weakref w a callback=cb\n"
    "drop w\n"
    "collect\n";

TEST_CASE("a plain program performs the operations and times main() without markers") {
    const std::string plain = translate(kTrace, false);
    CHECK(plain.find("_w(2") == std::string::npos);
    CHECK(plain.find("DEBUG_STATS") == std::string::npos);
    CHECK(plain.find("    c_a = T_Node()\n") != std::string::npos);
    CHECK(plain.find("    c_a.k_next = c_b\n") != std::string::npos);
    CHECK(plain.find("    _collect(2)\n") != std::string::npos);
    CHECK(plain.find("_events = 8\n") != std::string::npos);
    CHECK(plain.find("    _t0 = _ns()\n") != std::string::npos);
    CHECK(plain.find("    _elapsed = _ns() - _t0\n") != std::string::npos);
    CHECK(plain.find("print('events=%d elapsed_ns=%d' % (_events, _elapsed))") != std::string::npos);
}

TEST_CASE("the instrumented program keeps its markers and the same operations") {
    const std::string instrumented = translate(kTrace, true);
    CHECK(instrumented.find("_w(2, b'V'") != std::string::npos);
    CHECK(instrumented.find("_w(2, b'E3\\n')") != std::string::npos);
    CHECK(instrumented.find("    c_a.k_next = c_b\n") != std::string::npos);
    CHECK(instrumented.find("import time") == std::string::npos);
    CHECK(instrumented.find("_elapsed") == std::string::npos);
}

}  // namespace
}  // namespace heapsim

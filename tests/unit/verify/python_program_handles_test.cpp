// Handles: the program names any live object through a non-owning slot of a
// ctypes array (docs/verify.md, "Naming without owning"), cleared when the
// model frees the object; the walk naming it replaces cannot name these.

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "sim/simulator.h"
#include "trace_formats/trace_reader.h"
#include "verify/python_program.h"

namespace heapsim {
namespace {

struct Translation {
    std::string program;
    std::optional<Diagnostic> refused;
};

Translation translate(const std::string& trace, PythonProgram::Naming naming) {
    struct Sink final : EventSink {
        PythonProgram* program = nullptr;
        Simulator* sim = nullptr;
        std::optional<Diagnostic> refused;
        bool on_event(const Event& ev) override {
            refused = program->add(ev);
            if (refused) return false;
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
    PythonProgram program(symbols, sim, "t.trace", true, true, naming);
    Sink sink;
    sink.program = &program;
    sink.sim = &sim;
    read_trace_buffer(trace, "t.trace", symbols, sink);
    return {sink.refused ? std::string() : program.finish(), sink.refused};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// o is reachable only through the set s; then only through its own cycle.
const char* kSetOnly =
    "heaptrace 1\n"
    "type Node instance\n"
    "alloc s set\n"
    "bind s s\n"
    "alloc o Node\n"
    "append s o\n"
    "set o self o\n"
    "weakref w o callback=cb\n"
    "bind w w\n"
    "remove s o\n"
    "set o x s\n"
    "collect\n";

TEST_CASE("every object gets a handle slot; one only a set reaches is named by it") {
    const Translation t = translate(kSetOnly, PythonProgram::Naming::Handle);
    REQUIRE_FALSE(t.refused);
    const std::string& p = t.program;
    CHECK(has(p,
              "import ctypes\n_hs = (ctypes.py_object * 3)()\n"
              "_ha = (ctypes.c_size_t * 3).from_buffer(_hs)\n"));
    CHECK(has(p, "    c_s = set()\n    _ha[0] = _id(c_s)\n    _w(2, b'A%d\\n' % _ha[0])\n"));
    CHECK(has(p, "    c_o = T_Node()\n    _ha[1] = _id(c_o)\n"));
    CHECK(has(p, "    _hs[1].k_self = _hs[1]\n"));
    CHECK(has(p, "    c_w = _ref(_hs[1], _cb_0)\n"));
    CHECK(has(p, "    v_s.remove(_hs[1])\n"));
    CHECK(has(p, "    _hs[1].k_x = v_s\n"));
}

TEST_CASE("a handle is cleared after the event that frees its object, and its slot reused") {
    const Translation t = translate(kSetOnly + std::string("alloc p list\nbind p p\n"),
                                    PythonProgram::Naming::Handle);
    REQUIRE_FALSE(t.refused);
    // The collection frees o: its slot is zeroed before the next event and
    // then given to p.
    CHECK(has(t.program,
              "    _collect(2)\n    _ha[1] = 0\n    _w(2, b'E12\\n')\n    c_p = []\n"
              "    _ha[1] = _id(c_p)\n"));
}

TEST_CASE("walk naming cannot name an object only a set reaches") {
    const Translation t = translate(kSetOnly, PythonProgram::Naming::Walk);
    REQUIRE(t.refused);
    CHECK(t.refused->event == 6);
    CHECK(has(t.refused->message, "not expressible in Python: no name or temporary reaches 'o'"));
}

TEST_CASE("walk naming writes the same setup and no handle reads or writes") {
    const char* reachable =
        "heaptrace 1\nalloc a list\nbind a a\nalloc b list\nappend a b\nappend b a\ncollect\n";
    const Translation walk = translate(reachable, PythonProgram::Naming::Walk);
    const Translation handle = translate(reachable, PythonProgram::Naming::Handle);
    REQUIRE_FALSE(walk.refused);
    CHECK(has(walk.program, "_ha = (ctypes.c_size_t * 2).from_buffer(_hs)\n"));
    CHECK(has(handle.program, "_ha = (ctypes.c_size_t * 2).from_buffer(_hs)\n"));
    CHECK_FALSE(has(walk.program, "_hs["));
    CHECK_FALSE(has(walk.program, "_ha["));
    CHECK(has(walk.program, "    _walk(v_a, (0, 0, )).append(v_a)\n"));
    CHECK(has(handle.program, "    _hs[1].append(v_a)\n"));
}

TEST_CASE("a set member Python cannot hash is refused, naming the event") {
    const Translation display =
        translate("heaptrace 1\nalloc l list\nalloc s set l\n", PythonProgram::Naming::Handle);
    REQUIRE(display.refused);
    CHECK(display.refused->event == 2);
    CHECK(display.refused->message ==
          "alloc: not expressible in Python: a Python set cannot hold 'l', a list (unhashable)");
    const Translation add =
        translate("heaptrace 1\nalloc s set\nbind s s\nalloc d dict\nappend s d\n",
                  PythonProgram::Naming::Handle);
    REQUIRE(add.refused);
    CHECK(add.refused->event == 4);
}

}  // namespace
}  // namespace heapsim

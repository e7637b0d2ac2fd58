// The packed in-memory trace must give back every event exactly as the reader
// produced it: every field, every reference list, in order.
#include "trace_formats/event_buffer.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "event_fields.h"
#include "recording_sink.h"
#include "workloads/random_trace.h"

using namespace heapsim;
using heapsim::test::RecordingSink;

namespace {

void check_same(const Event& a, const std::vector<Sym>& a_refs, const Event& b) {
    test::check_same_values(a, b);
    CHECK(a.line == b.line);
    for (const auto field : {&Event::id, &Event::ref, &Event::name, &Event::key, &Event::type,
                             &Event::site, &Event::label})
        CHECK(a.*field == b.*field);
    CHECK(std::vector<Sym>(b.refs.begin(), b.refs.end()) == a_refs);
}

/// Reads `bytes`, buffers every event, and compares the buffer's replay with
/// what the reader gave directly. Returns the number of events compared.
std::size_t round_trip(const std::string& bytes, const std::string& name) {
    SymbolTable symbols;
    RecordingSink sink;
    read_trace_buffer(bytes, name, symbols, sink);
    REQUIRE(sink.errors.empty());
    EventBuffer buffer;
    for (std::size_t i = 0; i < sink.events.size(); ++i) {
        Event e = sink.events[i];
        e.refs = sink.refs[i];
        buffer.push(e);
    }
    REQUIRE(buffer.size() == sink.events.size());
    Event out;
    std::size_t i = 0;
    for (EventBuffer::Cursor cursor = buffer.cursor(); cursor.next(out); ++i) {
        REQUIRE(i < sink.events.size());
        check_same(sink.events[i], sink.refs[i], out);
    }
    CHECK(i == sink.events.size());
    return i;
}

std::string slurp(const std::filesystem::path& p) {
    std::ostringstream out;
    out << std::ifstream(p, std::ios::binary).rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("every bundled trace replays from the buffer exactly as read") {
    std::size_t traces = 0;
    for (const char* dir : {"traces", "traces/scenarios"}) {
        for (const auto& entry : std::filesystem::directory_iterator(std::string(HEAPSIM_SOURCE_DIR) + "/" + dir)) {
            if (entry.path().extension() != ".trace") continue;
            CAPTURE(entry.path().string());
            CHECK(round_trip(slurp(entry.path()), entry.path().string()) > 0);
            ++traces;
        }
    }
    CHECK(traces >= 20);
}

TEST_CASE("a generated trace with every construct replays from the buffer exactly") {
    RandomTraceOptions options;
    options.events = 50000;
    options.seed = 11;
    options.legacy_finalizers = true;
    std::ostringstream out;
    write_random_trace(options, out);
    CHECK(round_trip(out.str(), "random.trace") > 50000);
}

TEST_CASE("sparse numbering, line jumps, timestamps and sizes survive packing") {
    const std::string text =
        "heaptrace 1\n"
        "# a comment moves the lines\n\n"
        "@5 type T instance finalizer slots=2 size=99\n"
        "alloc a list site=s\n"
        "@5 alloc b dict size=4096\n"
        "@1000000000000 alloc c tuple a b size=123\n"
        "set b k c\nweakref w a\nthreshold 1 2 3\ncollect 1\ngc freeze\n"
        "expect refcount a 2\n";
    CHECK(round_trip(text, "x.trace") == 10);
}

TEST_CASE("a common event takes 16 bytes when nothing about it is unusual") {
    EventBuffer buffer;
    Event e;
    e.kind = EventKind::Append;
    for (std::uint64_t i = 1; i <= 1000; ++i) {
        e.number = e.line = i;
        e.id = 1;
        e.ref = static_cast<Sym>(i);
        buffer.push(e);
    }
    CHECK(buffer.memory_bytes() <= 1000 * 16 * 2);  // vector growth at most doubles
    CHECK(buffer.memory_bytes() >= 1000 * 16);
}

// The interpreter record (interpreter_record.h): a trace names the
// interpreter it was recorded on in a comment line of the text form or an
// "interpreter" member of a JSON document, both invisible to v1 readers;
// readers hand it to the sink before the first event, the text writer keeps
// it across convert, and JSON Lines and .htb say they cannot carry it.
#include "trace_formats/interpreter_record.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "recording_sink.h"
#include "trace_codec.h"
#include "trace_formats/trace_writer.h"

using namespace heapsim;
using heapsim::test::read;
using heapsim::test::rewrite;

namespace {

const TraceInterpreter kPy312{"cpython", "3.12.1", "default"};

/// A sink that keeps the interpreter and where it came relative to events.
class InterpreterSink final : public test::RecordingSink {
  public:
    void on_interpreter(const TraceInterpreter& interpreter) override {
        named = interpreter;
        events_before = events.size();
    }
    std::optional<TraceInterpreter> named;
    std::size_t events_before = 0;
};

std::optional<TraceInterpreter> named_in(const std::string& bytes, const std::string& name,
                                         std::size_t* events = nullptr) {
    SymbolTable symbols;
    InterpreterSink sink;
    read_trace_buffer(bytes, name, symbols, sink);
    REQUIRE(sink.errors.empty());
    if (events) *events = sink.events.size();
    if (sink.named) CHECK(sink.events_before == 0);
    return sink.named;
}

const std::string kTextTrace =
    "heaptrace 1\n"
    "# interpreter: cpython 3.12.1 build=default\n"
    "alloc a list\n"
    "bind a a\n";

}  // namespace

TEST_CASE("the record line is written and parsed back") {
    CHECK(interpreter_record_line(kPy312) == "# interpreter: cpython 3.12.1 build=default");
    CHECK(parse_interpreter_record(interpreter_record_line(kPy312)) == kPy312);
    CHECK(parse_interpreter_record(" \t# interpreter:  cpython 3.13.0\tbuild=free-threaded ") ==
          TraceInterpreter{"cpython", "3.13.0", "free-threaded"});
    CHECK(describe(kPy312) == "cpython 3.12.1 (default build)");
}

TEST_CASE("any other comment stays a comment") {
    for (const char* line :
         {"# interpreter cpython 3.12.1 build=default", "# interpreter: pypy 3.10.0 build=default",
          "# interpreter: cpython 3.12.x build=default", "# interpreter: cpython 3.12.1",
          "# interpreter: cpython 3.12.1 default",
          "# interpreter: cpython 3.12.1 build=default extra",
          "# interpreter: cpython .3 build=default", "# a comment"}) {
        CAPTURE(line);
        CHECK_FALSE(parse_interpreter_record(line).has_value());
    }
}

TEST_CASE("a recording's interpreter string gives the version") {
    CHECK(interpreter_from_recording("cpython 3.12.1 got") == kPy312);
    CHECK(interpreter_from_recording("cpython 3.13.0 prerelease reftracer") ==
          TraceInterpreter{"cpython", "3.13.0", "default"});
    CHECK_FALSE(interpreter_from_recording("").has_value());
    CHECK_FALSE(interpreter_from_recording("cpython").has_value());
}

TEST_CASE("the text reader names the interpreter before the first event") {
    std::size_t events = 0;
    CHECK(named_in(kTextTrace, "x.trace", &events) == kPy312);
    CHECK(events == 2);  // the record is a comment, not an event
    CHECK(named_in(test::gzip(kTextTrace), "x.trace.gz") == kPy312);
    CHECK(named_in(test::zstd(kTextTrace), "x.trace") == kPy312);
}

TEST_CASE("a record after the first event is a plain comment") {
    CHECK_FALSE(named_in("alloc a list\n# interpreter: cpython 3.12.1 build=default\n", "x.trace")
                    .has_value());
    CHECK_FALSE(named_in("heaptrace 1\nalloc a list\n", "x.trace").has_value());
}

TEST_CASE("a JSON document names it in an \"interpreter\" member") {
    const std::string doc =
        R"({"format":"heaptrace","version":1,"interpreter":"cpython 3.12.1 build=default",)"
        R"("events":[{"ev":"alloc","id":"a","type":"list"}]})";
    std::size_t events = 0;
    CHECK(named_in(doc, "x.json", &events) == kPy312);
    CHECK(events == 1);
    CHECK_FALSE(
        named_in(R"({"format":"heaptrace","version":1,"events":[]})", "x.json").has_value());
}

TEST_CASE("a malformed \"interpreter\" member is a header error") {
    for (const char* value : {R"("cpython3.12")", "312", R"({"version":"3.12.1"})"}) {
        CAPTURE(value);
        const std::string doc = std::string(R"({"format":"heaptrace","version":1,"interpreter":)") +
                                value + R"(,"events":[]})";
        const auto result = read(doc, "x.json", test::Mode::Lenient);
        REQUIRE(result->errors().size() == 1);
        CHECK(result->error(0).kind == ErrorKind::Header);
        CHECK(result->error(0).message.find("\"interpreter\" must be") != std::string::npos);
    }
}

TEST_CASE("the text writer puts the record in the header; convert keeps it") {
    const std::string text = rewrite(kTextTrace, "x.trace", "y.trace");
    CHECK(
        text.starts_with("heaptrace 1\n# end-record: promised\n"
                         "# interpreter: cpython 3.12.1 build=default\nalloc a list\n"));
    CHECK(named_in(text, "y.trace") == kPy312);
    // Compressed text keeps it too, and a JSON document's member becomes the record.
    CHECK(named_in(rewrite(kTextTrace, "x.trace", "y.trace.zst"), "y.trace") == kPy312);
    const std::string doc =
        R"({"format":"heaptrace","version":1,"interpreter":"cpython 3.12.1 build=default",)"
        R"("events":[]})";
    CHECK(rewrite(doc, "x.json", "y.trace") ==
          "heaptrace 1\n# end-record: promised\n# interpreter: cpython 3.12.1 build=default\n"
          "# end events=0\n");
}

TEST_CASE("a trace without an interpreter is written as before") {
    CHECK(rewrite("alloc a list\n", "x.trace", "y.trace") ==
          "heaptrace 1\n# end-record: promised\nalloc a list\n# end events=1\n");
}

TEST_CASE("JSON Lines and .htb have no place for it, and say so") {
    for (const char* name : {"y.jsonl", "y.htb", "y.htb.gz", "y.trace", "y.trace.gz"}) {
        CAPTURE(name);
        SymbolTable symbols;
        std::ostringstream out;
        const auto writer = make_trace_writer(*encoding_from_name(name), out, symbols);
        const bool text = std::string(name).find(".trace") != std::string::npos;
        CHECK(writer->set_interpreter(kPy312) == text);
        CHECK(writer->finish());
    }
}

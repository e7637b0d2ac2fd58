#include "trace_formats/json_document_reader.h"

#include <doctest/doctest.h>

#include <string>

#include "recording_sink.h"

using namespace heapsim;
using heapsim::test::Mode;
using heapsim::test::read;

namespace {

std::unique_ptr<test::ReadResult> read_doc(const std::string& text, Mode mode = Mode::Strict) {
    return read(text, "trace.json", mode);
}

std::string doc(const std::string& events) {
    return R"({"format": "heaptrace", "version": 1, "events": [)" + events + "]}";
}

}  // namespace

TEST_CASE("json document: events stream out with their index as line") {
    const auto r = read_doc(R"({
  "format": "heaptrace",
  "version": 1,
  "events": [
    {"ev": "type", "name": "Node", "gc": true},
    {"ev": "alloc", "id": 1, "type": "Node", "refs": ["2", 3], "t": 5},
    {"ev": "bind", "name": "x", "id": "1"},
    {"ev": "expect", "what": "refcount", "id": "1", "values": [1]}
  ]
})");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 4);
    CHECK(r->summary.format == TraceFormat::JsonDocument);
    CHECK(r->summary.events == 4);
    CHECK_FALSE(r->summary.stopped);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(r->event(i).number == i + 1);
        CHECK(r->event(i).line == i + 1);
    }
    CHECK(r->event(0).decl.gc);
    CHECK(r->str(r->event(1).id) == "1");
    REQUIRE(r->sink.refs[1].size() == 2);
    CHECK(r->str(r->sink.refs[1][1]) == "3");
    CHECK(r->event(2).id == r->event(1).id);
    CHECK(r->event(2).time_ns == 5);
    CHECK(r->event(3).values[0] == 1);
}

TEST_CASE("json document: header members may follow the events") {
    const auto r = read_doc(R"({"events": [{"ev": "collect"}], "format": "heaptrace", "version": 1,
                                "generator": {"name": "tool", "args": [1, 2]}})");
    CHECK(r->errors().empty());
    REQUIRE(r->events().size() == 1);
    CHECK(r->event(0).kind == EventKind::Collect);
}

TEST_CASE("json document: header errors are fatal") {
    SUBCASE("another version") {
        const auto r =
            read_doc(R"({"format": "heaptrace", "version": 2, "events": [{"ev": "collect"}]})",
                     Mode::Lenient);
        CHECK(r->events().empty());
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Header);
        CHECK(r->error(0).message ==
              "unsupported heaptrace version '2' (this reader supports version 1)");
        CHECK(r->error(0).fatal);
        CHECK(r->summary.stopped);
    }
    SUBCASE("another format") {
        const auto r =
            read_doc(R"({"format": "speedscope", "version": 1, "events": []})", Mode::Lenient);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Header);
        CHECK(r->error(0).message ==
              "unsupported document format 'speedscope' (expected \"heaptrace\")");
        CHECK(r->error(0).fatal);
    }
    SUBCASE("a missing version, noticed at the end") {
        const auto r =
            read_doc(R"({"format": "heaptrace", "events": [{"ev": "collect"}]})", Mode::Lenient);
        CHECK(r->events().size() == 1);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Header);
        CHECK(r->error(0).message == "document lacks \"version\": 1");
        CHECK(r->error(0).fatal);
    }
    SUBCASE("events that are not an array") {
        const auto r = read_doc(R"({"format": "heaptrace", "version": 1, "events": {}})");
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).message == "\"events\" must be an array");
    }
}

TEST_CASE("json document: a bad event is reported by index and skipped when lenient") {
    const auto r = read_doc(doc(R"({"ev": "alloc", "id": "1", "type": "list"},
                                   {"ev": "bind", "name": "x"},
                                   42,
                                   [1, {"ev": "collect"}],
                                   {"ev": "drop", "id": "1"})"),
                            Mode::Lenient);
    REQUIRE(r->events().size() == 2);
    CHECK(r->event(1).kind == EventKind::Drop);
    CHECK(r->event(1).number == 5);
    CHECK(r->event(1).line == 5);
    REQUIRE(r->errors().size() == 3);
    CHECK(r->error(0).message == "bind: missing field 'id'");
    CHECK(r->error(0).line == 2);
    CHECK(r->error(0).event == 2);
    CHECK_FALSE(r->error(0).fatal);
    CHECK(r->error(1).message == "an event must be a JSON object, not 42");
    CHECK(r->error(1).event == 3);
    CHECK(r->error(2).message == "an event must be a JSON object, not an array");
    CHECK(r->error(2).event == 4);
    CHECK(r->summary.events == 5);
}

TEST_CASE("json document: strict reading stops at the first bad event") {
    const auto r = read_doc(doc(R"({"ev": "collect"}, {"ev": "nope"}, {"ev": "collect"})"));
    CHECK(r->events().size() == 1);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::UnknownEvent);
    CHECK(r->summary.stopped);
}

TEST_CASE("json document: a syntax error is fatal and located") {
    const auto r = read_doc(
        "{\"format\": \"heaptrace\", \"version\": 1, \"events\": [\n"
        "  {\"ev\": \"collect\"},\n"
        "  {\"ev\": \"collect\",}\n"
        "]}",
        Mode::Lenient);
    CHECK(r->events().size() == 1);
    REQUIRE(r->errors().size() == 1);
    const Diagnostic& d = r->error(0);
    CHECK(d.kind == ErrorKind::Syntax);
    CHECK(d.fatal);
    CHECK(d.event == 2);
    CHECK(d.line == 2);
    CHECK(d.message ==
          "malformed JSON at line 3, column 20: syntax error while parsing object key - "
          "unexpected '}'; expected string literal");
}

TEST_CASE("json document: a truncated document is a fatal syntax error") {
    const std::string full = doc(R"({"ev": "collect"}, {"ev": "collect"})");
    const auto r = read_doc(full.substr(0, full.size() - 10), Mode::Lenient);
    CHECK(r->events().size() == 1);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::Syntax);
    CHECK(r->error(0).fatal);
    CHECK(r->error(0).message.starts_with("malformed JSON at line 1, column "));
}

TEST_CASE("json document: the sink can stop it") {
    test::ReadResult r(Mode::Strict);
    r.sink.stop_after = 1;
    r.summary = read_trace_buffer(doc(R"({"ev": "collect"}, {"ev": "collect"})"), "t.json",
                                  r.symbols, r.sink);
    CHECK(r.events().size() == 1);
    CHECK(r.errors().empty());
    CHECK(r.summary.stopped);
}

TEST_CASE("json document: read across many chunks") {
    std::string events;
    const int count = 100000;
    for (int i = 0; i < count; ++i) {
        if (i > 0) events += ",\n";
        events += R"({"ev": "alloc", "id": )" + std::to_string(i) +
                  R"(, "type": "list", "refs": [)" + std::to_string(i + 1) + "]}";
    }
    const std::string text = doc(events);
    REQUIRE(text.size() > 4 * 1024 * 1024);
    const auto r = read_doc(text);
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == static_cast<std::size_t>(count));
    CHECK(r->str(r->event(count - 1).id) == std::to_string(count - 1));
    CHECK(r->str(r->sink.refs[count - 1][0]) == std::to_string(count));
    CHECK(r->event(count - 1).line == static_cast<std::uint64_t>(count));
}

#include "trace_formats/jsonl_reader.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "recording_sink.h"
#include "tests/unit/trace_formats/line_mutations.h"

using namespace heapsim;
using heapsim::test::Mode;
using heapsim::test::only_error;
using heapsim::test::read;

namespace {

std::unique_ptr<test::ReadResult> read_jsonl(const std::string& text, Mode mode = Mode::Strict) {
    return read(text, "t.jsonl", mode);
}

Diagnostic jsonl_error(const std::string& line) {
    return only_error("{\"ev\":\"alloc\",\"id\":\"0\",\"type\":\"list\"}\n" + line + "\n",
                      "t.jsonl");
}

}  // namespace

TEST_CASE("jsonl: the spec's example reads with every field filled") {
    const auto r = read_jsonl(R"({"ev":"type","name":"Node","instance":true}
{"ev":"alloc","id":"1","type":"Node","site":"app.py:12","t":1500}
{"ev":"alloc","id":"2","type":"list","refs":["1"]}
{"ev":"bind","name":"x","id":"2"}
{"ev":"set","id":"1","key":"next","ref":"1"}
{"ev":"weakref","id":"w","target":"1","callback":"on_gone"}
{"ev":"unbind","name":"x"}
{"ev":"collect","gen":2}
{"ev":"gc","action":"disable"}
{"ev":"threshold","values":[700,10,10]}
{"ev":"expect","what":"count","values":[0,0,0]}
)");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 11);
    CHECK(r->summary.format == TraceFormat::JsonLines);
    const Event* e = r->events().data();
    CHECK(e[0].kind == EventKind::Type);
    CHECK(r->str(e[0].name) == "Node");
    CHECK(e[0].decl.instance);
    CHECK_FALSE(e[0].decl.gc);
    CHECK(e[1].kind == EventKind::Alloc);
    CHECK(r->str(e[1].id) == "1");
    CHECK(r->str(e[1].type) == "Node");
    CHECK(r->str(e[1].site) == "app.py:12");
    CHECK(e[1].time_ns == 1500);
    CHECK(e[2].time_ns == 1500);  // inherited
    REQUIRE(r->sink.refs[2].size() == 1);
    CHECK(r->sink.refs[2][0] == e[1].id);
    CHECK(e[3].kind == EventKind::Bind);
    CHECK(r->str(e[3].name) == "x");
    CHECK(r->str(e[3].id) == "2");
    CHECK(e[4].kind == EventKind::Set);
    CHECK(r->str(e[4].key) == "next");
    CHECK(r->str(e[4].ref) == "1");
    CHECK(e[5].kind == EventKind::Weakref);
    CHECK(r->str(e[5].id) == "w");
    CHECK(r->str(e[5].ref) == "1");
    CHECK(r->str(e[5].label) == "on_gone");
    CHECK(e[6].kind == EventKind::Unbind);
    CHECK(e[7].kind == EventKind::Collect);
    CHECK(e[7].generation == 2);
    CHECK(e[8].kind == EventKind::GcControl);
    CHECK(e[8].action == GcAction::Disable);
    CHECK(e[9].kind == EventKind::Threshold);
    CHECK(e[9].nvalues == 3);
    CHECK(e[9].values[0] == 700);
    CHECK(e[9].values[2] == 10);
    CHECK(e[10].kind == EventKind::Expect);
    CHECK(e[10].expect == ExpectKind::Count);
    CHECK(e[10].nvalues == 3);
    for (std::size_t i = 0; i < r->events().size(); ++i) {
        CHECK(e[i].number == i + 1);
        CHECK(e[i].line == i + 1);
    }
}

TEST_CASE("jsonl: the remaining events and flags") {
    const auto r = read_jsonl(
        R"({"ev":"type","name":"T","gc":true,"weakrefable":true,"finalizer":true,"legacy_finalizer":true,"size":48,"slots":2}
{"ev":"alloc","id":"a","type":"T","size":64,"refs":[]}
{"ev":"append","id":"a","ref":"b"}
{"ev":"unset","id":"a","key":"k"}
{"ev":"remove","id":"a","ref":"b"}
{"ev":"clear","id":"a"}
{"ev":"drop","id":"a"}
{"ev":"weakref","id":"w","target":"a"}
{"ev":"collect"}
{"ev":"collect","gen":0}
{"ev":"gc","action":"enable"}
{"ev":"gc","action":"freeze"}
{"ev":"gc","action":"unfreeze"}
{"ev":"threshold","values":[5]}
{"ev":"expect","what":"alive","id":"a"}
{"ev":"expect","what":"freed","id":"b"}
{"ev":"expect","what":"refcount","id":"a","values":[2]}
{"ev":"expect","what":"collected","values":[7]}
)");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 18);
    const Event* e = r->events().data();
    CHECK(e[0].decl.gc);
    CHECK(e[0].decl.weakrefable);
    CHECK(e[0].decl.finalizer);
    CHECK(e[0].decl.legacy_finalizer);
    CHECK_FALSE(e[0].decl.instance);
    CHECK(e[0].decl.size == 48);
    CHECK(e[0].decl.slots == 2);
    CHECK(e[1].size == 64);
    CHECK(r->sink.refs[1].empty());
    CHECK(e[2].kind == EventKind::Append);
    CHECK(r->str(e[2].ref) == "b");
    CHECK(e[3].kind == EventKind::Unset);
    CHECK(r->str(e[3].key) == "k");
    CHECK(e[4].kind == EventKind::Remove);
    CHECK(e[5].kind == EventKind::Clear);
    CHECK(e[6].kind == EventKind::Drop);
    CHECK(e[7].label == kNoSym);
    CHECK(e[8].generation == 2);
    CHECK(e[9].generation == 0);
    CHECK(e[10].action == GcAction::Enable);
    CHECK(e[11].action == GcAction::Freeze);
    CHECK(e[12].action == GcAction::Unfreeze);
    CHECK(e[13].nvalues == 1);
    CHECK(e[13].values[0] == 5);
    CHECK(e[14].expect == ExpectKind::Alive);
    CHECK(r->str(e[14].id) == "a");
    CHECK(e[15].expect == ExpectKind::Freed);
    CHECK(e[16].expect == ExpectKind::Refcount);
    CHECK(e[16].nvalues == 1);
    CHECK(e[16].values[0] == 2);
    CHECK(e[17].expect == ExpectKind::Collected);
    CHECK(e[17].values[0] == 7);
}

TEST_CASE("jsonl: members in any order, whitespace and escapes") {
    const auto r =
        read_jsonl("  { \"id\" : \"n\\u00651\" , \"type\":\"list\", \"ev\" : \"alloc\" }  \r\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 1);
    CHECK(r->str(r->event(0).id) == "ne1");
}

TEST_CASE("jsonl: an integer id is the same object as its text id") {
    const auto r = read(
        "{\"ev\":\"alloc\",\"id\":7,\"type\":\"list\",\"refs\":[8,\"9\",0]}\n"
        "{\"ev\":\"bind\",\"name\":\"x\",\"id\":\"7\"}\n"
        "{\"ev\":\"weakref\",\"id\":18446744073709551615,\"target\":7}\n",
        "t.jsonl");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 3);
    CHECK(r->event(0).id == r->event(1).id);
    CHECK(r->str(r->event(0).id) == "7");
    REQUIRE(r->sink.refs[0].size() == 3);
    CHECK(r->str(r->sink.refs[0][0]) == "8");
    CHECK(r->str(r->sink.refs[0][1]) == "9");
    CHECK(r->str(r->sink.refs[0][2]) == "0");
    CHECK(r->str(r->event(2).id) == "18446744073709551615");
    CHECK(r->event(2).ref == r->event(0).id);
    // and the same symbol as the text form would give
    CHECK(r->symbols.find("7") == r->event(0).id);
}

TEST_CASE("jsonl: blank lines are skipped and not numbered; bad lines are") {
    const auto r = read_jsonl(
        "\n"
        "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\"}\n"  // line 2: event 1
        "   \n"
        "{\"ev\":\"alocc\"}\n"               // line 4: event 2, bad
        "{not json}\n"                       // line 5: event 3, bad
        "{\"ev\":\"drop\",\"id\":\"1\"}\n",  // line 6: event 4
        Mode::Lenient);
    REQUIRE(r->events().size() == 2);
    CHECK(r->event(0).line == 2);
    CHECK(r->event(0).number == 1);
    CHECK(r->event(1).line == 6);
    CHECK(r->event(1).number == 4);
    REQUIRE(r->errors().size() == 2);
    CHECK(r->error(0).kind == ErrorKind::UnknownEvent);
    CHECK(r->error(0).message == "unknown event 'alocc'");
    CHECK(r->error(0).line == 4);
    CHECK(r->error(0).event == 2);
    CHECK(r->error(1).kind == ErrorKind::Syntax);
    CHECK(r->error(1).line == 5);
    CHECK(r->error(1).event == 3);
    CHECK(r->summary.events == 4);
}

TEST_CASE("jsonl: strict reading stops at the first bad line") {
    const auto r = read_jsonl(
        "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\"}\n{]\n"
        "{\"ev\":\"drop\",\"id\":\"1\"}\n");
    CHECK(r->events().size() == 1);
    CHECK(r->errors().size() == 1);
    CHECK(r->summary.stopped);
}

TEST_CASE("jsonl: malformed JSON carries nlohmann's message") {
    const Diagnostic d = jsonl_error("{\"ev\":\"alloc\",\"id\":1,}");
    CHECK(d.kind == ErrorKind::Syntax);
    CHECK(d.message ==
          "malformed JSON at column 22: syntax error while parsing object key - unexpected '}'; "
          "expected string literal");
    CHECK(d.line == 2);
    CHECK(d.event == 2);
    CHECK_FALSE(d.fatal);
    CHECK(jsonl_error("{\"ev\":\"drop\",\"id\":\"1\"} {}").message ==
          "malformed JSON at column 24: syntax error while parsing value - unexpected '{'; "
          "expected end of input");
    // Raw input quoted by nlohmann is escaped: the message stays valid UTF-8.
    CHECK(jsonl_error("{\"ev\":\"drop\",\"id\":\"\xff\"}").message ==
          "malformed JSON at column 20: syntax error while parsing value - invalid string: "
          "ill-formed UTF-8 byte; last read: '\"\\xff'");
}

namespace {
struct ErrorCase {
    std::string line;
    ErrorKind kind;
    std::string message;
};
}  // namespace

TEST_CASE("jsonl: each error kind with its exact message") {
    const std::vector<ErrorCase> cases = {
        {"[1,2]", ErrorKind::Syntax, "a JSON Lines event must be a JSON object"},
        {"42", ErrorKind::Syntax, "a JSON Lines event must be a JSON object"},
        {R"({"id":"1"})", ErrorKind::Syntax, "missing field 'ev'"},
        {R"({"ev":3})", ErrorKind::Syntax, "field 'ev' must be a string"},
        {R"({"ev":"alocc","id":"1"})", ErrorKind::UnknownEvent, "unknown event 'alocc'"},
        {R"({"ev":"alloc","id":"1","type":"list","sise":3})", ErrorKind::Syntax,
         "alloc: unknown field 'sise'"},
        {R"({"ev":"alloc","id":"1","id":"2","type":"list"})", ErrorKind::Syntax,
         "alloc: duplicate field 'id'"},
        {R"({"ev":"bind","name":"x","id":"1","size":3})", ErrorKind::Syntax,
         "bind: unexpected field 'size'"},
        {R"({"ev":"bind","name":"x"})", ErrorKind::Syntax, "bind: missing field 'id'"},
        {R"({"ev":"bind","name":"x","id":true})", ErrorKind::Syntax,
         "bind: field 'id' must be a string or a non-negative integer"},
        {R"({"ev":"bind","name":7,"id":"1"})", ErrorKind::Syntax,
         "bind: field 'name' must be a string"},
        {R"({"ev":"bind","name":"x!","id":"1"})", ErrorKind::BadToken,
         "bind: bad name 'x!' (names are 1-256 characters of A-Za-z0-9_.:/-)"},
        {R"({"ev":"alloc","id":"!x","type":"list"})", ErrorKind::BadToken,
         "alloc: bad id '!x' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"alloc","id":-1,"type":"list"})", ErrorKind::BadToken,
         "alloc: bad id '-1' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"alloc","id":1.5,"type":"list"})", ErrorKind::BadToken,
         "alloc: bad id '1.5' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"alloc","id":"1","type":"list","refs":["2",-3]})", ErrorKind::BadToken,
         "alloc: bad ref '-3' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"alloc","id":"1","type":"list","refs":["a b"]})", ErrorKind::BadToken,
         "alloc: bad ref 'a b' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"alloc","id":"1","type":"list","refs":"2"})", ErrorKind::Syntax,
         "alloc: field 'refs' must be an array of ids"},
        {R"({"ev":"alloc","id":"1","type":"list","refs":[["2"]]})", ErrorKind::Syntax,
         "alloc: field 'refs' must be an array of ids"},
        {R"({"ev":"alloc","id":"1","type":"list","refs":[null]})", ErrorKind::Syntax,
         "alloc: field 'refs' must be an array of ids"},
        {R"({"ev":"alloc","id":"1","type":{"a":1}})", ErrorKind::Syntax,
         "alloc: field 'type' must be a string"},
        {R"({"ev":"alloc","id":"1","type":"list","size":-1})", ErrorKind::BadNumber,
         "alloc: bad size '-1' (expected a non-negative integer)"},
        {R"({"ev":"alloc","id":"1","type":"list","size":4294967296})", ErrorKind::BadNumber,
         "alloc: bad size '4294967296' (at most 4294967295)"},
        {R"({"ev":"alloc","id":"1","type":"list","size":"12"})", ErrorKind::Syntax,
         "alloc: field 'size' must be a non-negative integer"},
        {R"({"ev":"alloc","id":"1","type":"list","site":"a b"})", ErrorKind::BadToken,
         "alloc: bad site 'a b' (labels are 1-1024 bytes of UTF-8 without spaces or control "
         "characters)"},
        {R"({"ev":"alloc","id":"1","type":"list","site":3})", ErrorKind::Syntax,
         "alloc: field 'site' must be a string"},
        {R"({"ev":"alloc","id":"1","type":"list","t":99999999999999999999})", ErrorKind::BadNumber,
         "alloc: bad timestamp '99999999999999999999' (at most 18446744073709551615)"},
        {R"({"ev":"alloc","id":"1","type":"list","t":-5})", ErrorKind::BadNumber,
         "alloc: bad timestamp '-5' (expected a non-negative integer)"},
        {R"({"ev":"type","name":"T","gc":1})", ErrorKind::Syntax,
         "type: field 'gc' must be true or false"},
        {R"({"ev":"type","name":"T","slots":2147483648})", ErrorKind::BadNumber,
         "type: bad slots '2147483648' (at most 2147483647)"},
        {R"({"ev":"type","gc":true})", ErrorKind::Syntax, "type: missing field 'name'"},
        {R"({"ev":"weakref","id":"w","target":"t!"})", ErrorKind::BadToken,
         "weakref: bad target 't!' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {R"({"ev":"weakref","id":"w","target":"t","callback":""})", ErrorKind::BadToken,
         "weakref: bad callback '' (labels are 1-1024 bytes of UTF-8 without spaces or control "
         "characters)"},
        {R"({"ev":"collect","gen":3})", ErrorKind::InvalidGeneration,
         "collect: invalid generation '3' (expected 0, 1 or 2)"},
        {R"({"ev":"collect","gen":-1})", ErrorKind::InvalidGeneration,
         "collect: invalid generation '-1' (expected 0, 1 or 2)"},
        {R"({"ev":"collect","gen":1.5})", ErrorKind::BadNumber,
         "collect: bad generation '1.5' (expected 0, 1 or 2)"},
        {R"({"ev":"collect","gen":"2"})", ErrorKind::Syntax,
         "collect: field 'gen' must be an integer"},
        {R"({"ev":"gc","action":"stop"})", ErrorKind::Syntax,
         "gc: unknown action 'stop' (expected enable, disable, freeze, unfreeze, safepoint, "
         "uncounted, "
         "counts, longlived, finalizer or callback)"},
        {R"({"ev":"gc"})", ErrorKind::Syntax, "gc: missing field 'action'"},
        {R"({"ev":"threshold","values":[]})", ErrorKind::Syntax,
         "threshold: expected 1 to 3 values, got 0"},
        {R"({"ev":"threshold","values":[1,2,3,4]})", ErrorKind::Syntax,
         "threshold: expected 1 to 3 values, got 4"},
        {R"({"ev":"threshold","values":[700,2147483648]})", ErrorKind::BadNumber,
         "threshold: bad threshold '2147483648' (at most 2147483647)"},
        {R"({"ev":"threshold","values":[-1]})", ErrorKind::BadNumber,
         "threshold: bad threshold '-1' (expected a non-negative integer)"},
        {R"({"ev":"threshold","values":["1"]})", ErrorKind::Syntax,
         "threshold: field 'values' must be an array of non-negative integers"},
        {R"({"ev":"threshold","values":7})", ErrorKind::Syntax,
         "threshold: field 'values' must be an array of non-negative integers"},
        {R"({"ev":"threshold"})", ErrorKind::Syntax, "threshold: missing field 'values'"},
        {R"({"ev":"expect","what":"dead"})", ErrorKind::Syntax,
         "expect: unknown assertion 'dead' (expected alive, freed, refcount, count, collected or "
         "collection)"},
        {R"({"ev":"expect","id":"1"})", ErrorKind::Syntax, "expect: missing field 'what'"},
        {R"({"ev":"expect","what":"alive"})", ErrorKind::Syntax,
         "expect alive: missing field 'id'"},
        {R"({"ev":"expect","what":"alive","id":"1","values":[1]})", ErrorKind::Syntax,
         "expect alive: unexpected field 'values'"},
        {R"({"ev":"expect","what":"count","id":"1","values":[1,2,3]})", ErrorKind::Syntax,
         "expect count: unexpected field 'id'"},
        {R"({"ev":"expect","what":"count","values":[1,2]})", ErrorKind::Syntax,
         "expect count: expected 3 values, got 2"},
        {R"({"ev":"expect","what":"refcount","id":"1","values":[]})", ErrorKind::Syntax,
         "expect refcount: expected 1 value, got 0"},
        {R"({"ev":"expect","what":"refcount","id":"1","values":[1.5]})", ErrorKind::BadNumber,
         "expect refcount: bad refcount '1.5' (expected a non-negative integer)"},
        {R"({"ev":"expect","what":"collected","values":[9223372036854775808]})",
         ErrorKind::BadNumber,
         "expect collected: bad count '9223372036854775808' (at most 9223372036854775807)"},
    };
    for (const ErrorCase& c : cases) {
        CAPTURE(c.line);
        const Diagnostic d = jsonl_error(c.line);
        CHECK(d.kind == c.kind);
        CHECK(d.message == c.message);
        CHECK(d.line == 2);
        CHECK(d.event == 2);
        CHECK_FALSE(d.fatal);
    }
}

TEST_CASE("jsonl: timestamps are inherited and must not decrease") {
    const auto r = read_jsonl(
        "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\",\"t\":10}\n"
        "{\"ev\":\"drop\",\"id\":\"1\",\"t\":5}\n"
        "{\"ev\":\"alloc\",\"id\":\"2\",\"type\":\"list\"}\n",
        Mode::Lenient);
    REQUIRE(r->events().size() == 2);
    CHECK(r->event(1).time_ns == 10);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::Timestamp);
    CHECK(r->error(0).message == "drop: timestamp 5 is earlier than the previous event's 10");
}

TEST_CASE("jsonl: a line over 1 MiB is one bad event") {
    const std::string big = "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\",\"site\":\"" +
                            std::string(2 * 1024 * 1024, 's') + "\"}";
    const auto r = read_jsonl(big + "\n{\"ev\":\"drop\",\"id\":\"1\"}\n", Mode::Lenient);
    REQUIRE(r->events().size() == 1);
    CHECK(r->event(0).number == 2);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).message == "line too long (more than 1048576 bytes)");
    CHECK(r->error(0).event == 1);
}

TEST_CASE("jsonl: a bad event after a good one does not inherit its members") {
    const auto r = read_jsonl(
        "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\",\"refs\":[\"2\"],\"size\":8}\n"
        "{\"ev\":\"alloc\",\"id\":\"3\",\"type\":\"dict\"}\n");
    REQUIRE(r->events().size() == 2);
    CHECK(r->sink.refs[1].empty());
    CHECK(r->event(1).size == -1);
}

namespace {

// Every field of an event, symbols spelled out, so that events read with
// different symbol tables can be compared.
std::string describe(const Event& e, const SymbolTable& symbols) {
    const auto sym = [&](Sym s) {
        return s == kNoSym ? std::string("-") : std::string(symbols.str(s));
    };
    std::string out = std::string(event_name(e.kind)) + " #" + std::to_string(e.number) + " t" +
                      std::to_string(e.time_ns) + " id=" + sym(e.id) + " ref=" + sym(e.ref) +
                      " name=" + sym(e.name) + " key=" + sym(e.key) + " type=" + sym(e.type) +
                      " site=" + sym(e.site) + " label=" + sym(e.label) +
                      " size=" + std::to_string(e.size) + " refs=";
    for (const Sym r : e.refs) out += sym(r) + ",";
    out += " decl=" + std::to_string(e.decl.gc) + std::to_string(e.decl.weakrefable) +
           std::to_string(e.decl.finalizer) + std::to_string(e.decl.legacy_finalizer) +
           std::to_string(e.decl.instance) + "/" + std::to_string(e.decl.size) + "/" +
           std::to_string(e.decl.slots) + " action=" + std::to_string(static_cast<int>(e.action)) +
           " expect=" + std::to_string(static_cast<int>(e.expect)) +
           " gen=" + std::to_string(e.generation) + " values=" + std::to_string(e.nvalues);
    for (int i = 0; i < e.nvalues; ++i) out += ":" + std::to_string(e.values[i]);
    return out;
}

std::string parse_with(JsonLineParser& parser, const SymbolTable& symbols, const std::string& text,
                       std::uint64_t number) {
    Event event;
    Diagnostic error;
    switch (parser.parse(Line{text, number, false}, event, error)) {
        case LineOutcome::Skip:
            return "skip";
        case LineOutcome::Interpreter:  // only the text form names one
            return "interpreter";
        case LineOutcome::Event:
            return describe(event, symbols);
        case LineOutcome::Error:
            return "error " + std::string(error_kind_name(error.kind)) + " " + error.message +
                   " @" + std::to_string(error.line) + "/" + std::to_string(error.event);
    }
    return "?";
}

}  // namespace

TEST_CASE("jsonl: the hand scanner and nlohmann read every line the same") {
    const std::vector<std::string> corpus = {
        R"({"ev":"alloc","id":"1","type":"list","refs":["2",3,0],"size":56,"site":"a.py:1","t":7})",
        R"( { "ev" : "bind" , "name" : "x" , "id" : 18446744073709551615 } )",
        R"({"ev":"type","name":"T","gc":true,"instance":false,"weakrefable":null,"slots":0})",
        R"({"ev":"threshold","values":[ 700 , 10,10 ]})",
        R"({"ev":"expect","what":"count","values":[]})",
        R"({"ev":"weakref","id":"w","target":"1","callback":"cb"})",
        R"({"ev":"collect","gen":2})",
        R"({"ev":"gc","action":"freeze","t":18446744073709551616})",
        R"({"ev":"alloc","id":"caf\u00e9","type":"list"})",
        "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\",\"site\":\"caf\xC3\xA9\"}",
        R"({"ev":"alloc","id":01,"type":"list"})",
        R"({"ev":"alloc","id":-1,"type":"list"})",
        R"({"ev":"alloc","id":1.0,"type":"list"})",
        R"({"ev":"alloc","id":1e2,"type":"list"})",
        R"({"ev":"alloc","id":"1","type":"list","refs":[[1],{"a":2}]})",
        R"({"ev":"alloc","id":"1","type":{"x":[1,2]}})",
        R"({"ev":"drop","id":"1"} x)",
        R"({"ev":"drop","id":truex})",
        R"({"ev":"drop","id":"1",})",
        R"({})",
        R"([])",
        R"("ev")",
        "",
        "   ",
    };
    constexpr std::string_view kReplace = "{}[]\",:0123456789-.eE \\tfnul";
    constexpr std::string_view kInsert("{}[]\",:019-. \\u\x01\xff", 17);
    // Mutations of the well-formed ones (the first 8).
    const std::vector<std::string> lines = test::mutated_lines(corpus, 8, kReplace, kInsert, 4000);
    SymbolTable fast_symbols, slow_symbols;
    JsonLineParser fast(fast_symbols, true), slow(slow_symbols, false);
    std::uint64_t number = 0;
    int events = 0;
    for (const std::string& line : lines) {
        CAPTURE(line);
        ++number;
        const std::string a = parse_with(fast, fast_symbols, line, number);
        const std::string b = parse_with(slow, slow_symbols, line, number);
        CHECK(a == b);
        events += a.starts_with("error") || a == "skip" ? 0 : 1;
    }
    CHECK(events > 50);  // the mutations leave good events too
}

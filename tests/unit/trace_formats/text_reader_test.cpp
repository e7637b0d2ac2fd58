#include "trace_formats/text_reader.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "recording_sink.h"

using namespace heapsim;
using heapsim::test::Mode;
using heapsim::test::only_error;
using heapsim::test::read;

namespace {

std::vector<std::string> names(const test::ReadResult& r, const std::vector<Sym>& syms) {
    std::vector<std::string> out;
    for (const Sym s : syms) out.emplace_back(r.str(s));
    return out;
}

}  // namespace

TEST_CASE("text: type declaration fills name and every flag") {
    const auto r = read(
        "type Node gc weakrefable finalizer legacy_finalizer instance size=72 slots=3\n"
        "type Leaf\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 2);
    const Event& e = r->event(0);
    CHECK(e.kind == EventKind::Type);
    CHECK(r->str(e.name) == "Node");
    CHECK(e.decl.gc);
    CHECK(e.decl.weakrefable);
    CHECK(e.decl.finalizer);
    CHECK(e.decl.legacy_finalizer);
    CHECK(e.decl.instance);
    CHECK(e.decl.size == 72);
    CHECK(e.decl.slots == 3);
    const Event& leaf = r->event(1);
    CHECK(r->str(leaf.name) == "Leaf");
    CHECK_FALSE(leaf.decl.gc);
    CHECK_FALSE(leaf.decl.instance);
    CHECK(leaf.decl.size == -1);
    CHECK(leaf.decl.slots == -1);
}

TEST_CASE("text: alloc fills id, type, refs, size and site") {
    const auto r = read("alloc 0x7f01 list a b a size=56 site=app.py:12\nalloc t tuple\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 2);
    const Event& e = r->event(0);
    CHECK(e.kind == EventKind::Alloc);
    CHECK(r->str(e.id) == "0x7f01");
    CHECK(r->str(e.type) == "list");
    CHECK(names(*r, r->sink.refs[0]) == std::vector<std::string>{"a", "b", "a"});
    CHECK(r->sink.refs[0][0] == r->sink.refs[0][2]);  // interned: same symbol
    CHECK(e.size == 56);
    CHECK(r->str(e.site) == "app.py:12");
    const Event& t = r->event(1);
    CHECK(r->sink.refs[1].empty());
    CHECK(t.size == -1);
    CHECK(t.site == kNoSym);
}

TEST_CASE("text: reference events fill id, name, key and ref") {
    const auto r = read(
        "bind x 2\nunbind x\nappend 2 1\nset 1 next 2\nunset 1 next\nremove 2 1\n"
        "clear 2\ndrop 3\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 8);
    const Event* e = r->events().data();
    CHECK(e[0].kind == EventKind::Bind);
    CHECK(r->str(e[0].name) == "x");
    CHECK(r->str(e[0].id) == "2");
    CHECK(e[1].kind == EventKind::Unbind);
    CHECK(r->str(e[1].name) == "x");
    CHECK(e[1].id == kNoSym);
    CHECK(e[2].kind == EventKind::Append);
    CHECK(r->str(e[2].id) == "2");
    CHECK(r->str(e[2].ref) == "1");
    CHECK(e[3].kind == EventKind::Set);
    CHECK(r->str(e[3].id) == "1");
    CHECK(r->str(e[3].key) == "next");
    CHECK(r->str(e[3].ref) == "2");
    CHECK(e[4].kind == EventKind::Unset);
    CHECK(r->str(e[4].key) == "next");
    CHECK(e[4].ref == kNoSym);
    CHECK(e[5].kind == EventKind::Remove);
    CHECK(r->str(e[5].ref) == "1");
    CHECK(e[6].kind == EventKind::Clear);
    CHECK(r->str(e[6].id) == "2");
    CHECK(e[7].kind == EventKind::Drop);
    CHECK(r->str(e[7].id) == "3");
}

TEST_CASE("text: the gc actions of recorded traces: safepoint, uncounted, counts") {
    const auto r = read("gc safepoint\ngc uncounted\ngc counts 5 1 0\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 3);
    const Event* e = r->events().data();
    CHECK(e[0].action == GcAction::Safepoint);
    CHECK(e[1].action == GcAction::Uncounted);
    CHECK(e[2].action == GcAction::Counts);
    CHECK(e[2].nvalues == 3);
    CHECK(e[2].values[0] == 5);
    CHECK(e[2].values[1] == 1);
    const auto bad = read("gc counts 1 2\n");
    REQUIRE(bad->errors().size() == 1);
}

TEST_CASE("text: gc longlived TOTAL PENDING, the long-lived counts of a recording") {
    const auto r = read("gc longlived 11231 7\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 1);
    const Event& e = r->events()[0];
    CHECK(e.action == GcAction::LongLived);
    CHECK(e.nvalues == 2);
    CHECK(e.values[0] == 11231);
    CHECK(e.values[1] == 7);
    CHECK(read("gc longlived 1\n")->errors().size() == 1);
    CHECK(read("gc longlived 1 2 3\n")->errors().size() == 1);
    CHECK(read("gc longlived -1 2\n")->errors().size() == 1);
}

TEST_CASE("text: weakref, collect, gc and threshold") {
    const auto r = read(
        "weakref w 1 callback=on_gone\nweakref w2 1\ncollect\ncollect 0\ncollect 1\n"
        "gc enable\ngc disable\ngc freeze\ngc unfreeze\n"
        "threshold 700\nthreshold 700 10\nthreshold 0 0 2147483647\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 12);
    const Event* e = r->events().data();
    CHECK(e[0].kind == EventKind::Weakref);
    CHECK(r->str(e[0].id) == "w");
    CHECK(r->str(e[0].ref) == "1");
    CHECK(r->str(e[0].label) == "on_gone");
    CHECK(e[1].label == kNoSym);
    CHECK(e[2].kind == EventKind::Collect);
    CHECK(e[2].generation == 2);
    CHECK(e[3].generation == 0);
    CHECK(e[4].generation == 1);
    CHECK(e[5].kind == EventKind::GcControl);
    CHECK(e[5].action == GcAction::Enable);
    CHECK(e[6].action == GcAction::Disable);
    CHECK(e[7].action == GcAction::Freeze);
    CHECK(e[8].action == GcAction::Unfreeze);
    CHECK(e[9].kind == EventKind::Threshold);
    CHECK(e[9].nvalues == 1);
    CHECK(e[9].values[0] == 700);
    CHECK(e[10].nvalues == 2);
    CHECK(e[10].values[1] == 10);
    CHECK(e[11].nvalues == 3);
    CHECK(e[11].values[0] == 0);
    CHECK(e[11].values[2] == 2147483647);
}

TEST_CASE("text: every expect form") {
    const auto r = read(
        "expect alive 1\nexpect freed 2\nexpect refcount 1 3\nexpect count 1 2 3\n"
        "expect collected 4\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 5);
    const Event* e = r->events().data();
    CHECK(e[0].kind == EventKind::Expect);
    CHECK(e[0].expect == ExpectKind::Alive);
    CHECK(r->str(e[0].id) == "1");
    CHECK(e[0].nvalues == 0);
    CHECK(e[1].expect == ExpectKind::Freed);
    CHECK(r->str(e[1].id) == "2");
    CHECK(e[2].expect == ExpectKind::Refcount);
    CHECK(r->str(e[2].id) == "1");
    CHECK(e[2].nvalues == 1);
    CHECK(e[2].values[0] == 3);
    CHECK(e[3].expect == ExpectKind::Count);
    CHECK(e[3].id == kNoSym);
    CHECK(e[3].nvalues == 3);
    CHECK(e[3].values[0] == 1);
    CHECK(e[3].values[1] == 2);
    CHECK(e[3].values[2] == 3);
    CHECK(e[4].expect == ExpectKind::Collected);
    CHECK(e[4].nvalues == 1);
    CHECK(e[4].values[0] == 4);
}

TEST_CASE("text: comments, blank lines, tabs, CRLF and the header are not events") {
    const auto r = read(
        "# a trace\r\n"
        "heaptrace 1   # header\r\n"
        "\r\n"
        "   \t \n"
        "alloc\t1   list # trailing comment\r\n"
        "# bind y 1\n"
        "bind x 1\r\n"
        "unbind x\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->events().size() == 3);
    CHECK(r->event(0).number == 1);
    CHECK(r->event(0).line == 5);
    CHECK(r->str(r->event(0).type) == "list");
    CHECK(r->event(1).number == 2);
    CHECK(r->event(1).line == 7);
    CHECK(r->str(r->event(1).id) == "1");  // no stray \r
    CHECK(r->event(2).number == 3);
    CHECK(r->event(2).line == 8);
    CHECK(r->summary.events == 3);
    CHECK(r->summary.format == TraceFormat::Text);
    CHECK_FALSE(r->summary.stopped);
}

TEST_CASE("text: a UTF-8 byte-order mark before the header is ignored") {
    const auto r = read("\xEF\xBB\xBFheaptrace 1\nalloc 1 list\n");
    REQUIRE(r->errors().empty());
    CHECK(r->events().size() == 1);
}

TEST_CASE("text: bad lines are numbered too, and lenient reading goes on") {
    const std::string trace =
        "# comment\n"     // 1
        "heaptrace 1\n"   // 2
        "alloc 1 list\n"  // 3: event 1
        "\n"              // 4
        "alocc 2 list\n"  // 5: event 2, bad
        "type Node\n"     // 6: event 3
        "bind x\n"        // 7: event 4, bad
        "bind x 1\n";     // 8: event 5
    const auto r = read(trace, "t.trace", Mode::Lenient);
    REQUIRE(r->events().size() == 3);
    CHECK(r->event(0).number == 1);
    CHECK(r->event(1).number == 3);
    CHECK(r->event(1).line == 6);
    CHECK(r->event(2).number == 5);
    CHECK(r->event(2).line == 8);
    REQUIRE(r->errors().size() == 2);
    CHECK(r->error(0).kind == ErrorKind::UnknownEvent);
    CHECK(r->error(0).line == 5);
    CHECK(r->error(0).event == 2);
    CHECK(r->error(1).kind == ErrorKind::Syntax);
    CHECK(r->error(1).line == 7);
    CHECK(r->error(1).event == 4);
    CHECK(r->summary.events == 5);
    CHECK_FALSE(r->summary.stopped);
}

TEST_CASE("text: strict reading stops at the first error") {
    const auto r = read("alloc 1 list\nalocc 2 list\nbind x 1\n", "t.trace", Mode::Strict);
    CHECK(r->events().size() == 1);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).event == 2);
    CHECK_FALSE(r->error(0).fatal);
    CHECK(r->summary.stopped);
    CHECK(r->summary.events == 2);
}

TEST_CASE("text: the sink can stop the read") {
    test::ReadResult r(Mode::Strict);
    r.sink.stop_after = 2;
    r.summary = read_trace_buffer("alloc 1 list\nalloc 2 list\nalloc 3 list\n", "t.trace",
                                  r.symbols, r.sink);
    CHECK(r.events().size() == 2);
    CHECK(r.summary.stopped);
    CHECK(r.summary.events == 2);
}

TEST_CASE("text: timestamps are inherited, start at 0 and must not decrease") {
    const auto r = read(
        "alloc 1 list\n"       // 0
        "@100 alloc 2 list\n"  // 100
        "bind x 2\n"           // inherits 100
        "@100 bind y 2\n"      // equal is fine
        "@99 unbind x\n"       // bad: decreasing
        "unbind y\n"           // inherits 100, not 99
        "@18446744073709551615 drop 1\n",
        "t.trace", Mode::Lenient);
    REQUIRE(r->events().size() == 6);
    CHECK(r->event(0).time_ns == 0);
    CHECK(r->event(1).time_ns == 100);
    CHECK(r->event(2).time_ns == 100);
    CHECK(r->event(3).time_ns == 100);
    CHECK(r->event(4).time_ns == 100);
    CHECK(r->event(4).kind == EventKind::Unbind);
    CHECK(r->event(5).time_ns == 18446744073709551615ull);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::Timestamp);
    CHECK(r->error(0).message == "unbind: timestamp @99 is earlier than the previous event's @100");
    CHECK(r->error(0).line == 5);
    CHECK(r->error(0).event == 5);
}

TEST_CASE("text: header versions") {
    SUBCASE("version 1 is accepted, with or without comments") {
        const auto r = read("# recorded by x\nheaptrace 1\nalloc 1 list\n");
        CHECK(r->errors().empty());
        CHECK(r->events().size() == 1);
    }
    SUBCASE("another version is fatal even when lenient") {
        const auto r = read("heaptrace 2\nalloc 1 list\n", "t.trace", Mode::Lenient);
        CHECK(r->events().empty());
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Header);
        CHECK(r->error(0).message ==
              "unsupported heaptrace version '2' (this reader supports version 1)");
        CHECK(r->error(0).fatal);
        CHECK(r->error(0).line == 1);
        CHECK(r->error(0).event == 0);
        CHECK(r->summary.stopped);
        CHECK(r->summary.events == 0);
    }
    SUBCASE("a header without a version is fatal") {
        const Diagnostic d = only_error("heaptrace\n");
        CHECK(d.kind == ErrorKind::Header);
        CHECK(d.message == "bad header (expected 'heaptrace 1')");
        CHECK(d.fatal);
    }
    SUBCASE("a header after the first event is a syntax error and not numbered") {
        const auto r = read("alloc 1 list\nheaptrace 1\nbind x 1\n", "t.trace", Mode::Lenient);
        CHECK(r->events().size() == 2);
        CHECK(r->event(1).number == 2);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Syntax);
        CHECK(r->error(0).message == "heaptrace: the header must come before the first event");
        CHECK_FALSE(r->error(0).fatal);
        CHECK(r->error(0).line == 2);
    }
}

namespace {
struct ErrorCase {
    std::string line;
    ErrorKind kind;
    std::string message;
};
}  // namespace

TEST_CASE("text: each error kind with its exact message") {
    const std::string long_id(65, 'a');
    const std::vector<ErrorCase> cases = {
        {"alocc 1 list", ErrorKind::UnknownEvent, "unknown event 'alocc'"},
        {"alloc !x list", ErrorKind::BadToken,
         "alloc: bad id '!x' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {"alloc " + long_id + " list", ErrorKind::BadToken,
         "alloc: bad id '" + std::string(64, 'a') +
             "...' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {"alloc 1 li$t", ErrorKind::BadToken,
         "alloc: bad type 'li$t' (type names are 1-256 characters of A-Za-z0-9_.:/-)"},
        {"alloc 1 list 2 a/b", ErrorKind::BadToken,
         "alloc: bad ref 'a/b' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {"alloc 1 list site=", ErrorKind::BadToken,
         "alloc: bad site '' (labels are 1-1024 bytes of UTF-8 without spaces or control "
         "characters)"},
        {"alloc 1", ErrorKind::Syntax, "alloc: expected ID TYPE [REF...], got 1 operand"},
        {"alloc 1 list size=abc", ErrorKind::BadNumber,
         "alloc: bad size 'abc' (expected a non-negative integer)"},
        {"alloc 1 list size=-5", ErrorKind::BadNumber,
         "alloc: bad size '-5' (expected a non-negative integer)"},
        {"alloc 1 list size=4294967296", ErrorKind::BadNumber,
         "alloc: bad size '4294967296' (at most 4294967295)"},
        {"alloc 1 list size=99999999999999999999999", ErrorKind::BadNumber,
         "alloc: bad size '99999999999999999999999' (at most 4294967295)"},
        {"alloc 1 list sise=3", ErrorKind::Syntax, "alloc: unknown option 'sise'"},
        {"alloc 1 list size=1 size=2", ErrorKind::Syntax, "alloc: duplicate option 'size'"},
        {"alloc 1 list size=1 2", ErrorKind::Syntax,
         "alloc: operand '2' after options (options come last)"},
        {"bind x", ErrorKind::Syntax, "bind: expected NAME ID, got 1 operand"},
        {"bind x 1 2", ErrorKind::Syntax, "bind: expected NAME ID, got 3 operands"},
        {"bind x 1 size=3", ErrorKind::Syntax, "bind: unknown option 'size'"},
        {"bind x! 1", ErrorKind::BadToken,
         "bind: bad name 'x!' (names are 1-256 characters of A-Za-z0-9_.:/-)"},
        {"unbind", ErrorKind::Syntax, "unbind: expected NAME, got 0 operands"},
        {"append 1", ErrorKind::Syntax, "append: expected ID REF, got 1 operand"},
        {"set 1 k@ 2", ErrorKind::BadToken,
         "set: bad key 'k@' (keys are 1-256 characters of A-Za-z0-9_.:/-)"},
        {"set 1 k", ErrorKind::Syntax, "set: expected ID KEY REF, got 2 operands"},
        {"unset 1", ErrorKind::Syntax, "unset: expected ID KEY, got 1 operand"},
        {"remove 1 2 3", ErrorKind::Syntax, "remove: expected ID REF, got 3 operands"},
        {"clear", ErrorKind::Syntax, "clear: expected ID, got 0 operands"},
        {"drop 1 2", ErrorKind::Syntax, "drop: expected ID, got 2 operands"},
        {"weakref w", ErrorKind::Syntax, "weakref: expected ID TARGET, got 1 operand"},
        {"weakref w t! ", ErrorKind::BadToken,
         "weakref: bad target 't!' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {"weakref w 1 callback=", ErrorKind::BadToken,
         "weakref: bad callback '' (labels are 1-1024 bytes of UTF-8 without spaces or "
         "control characters)"},
        {"weakref w 1 site=x", ErrorKind::Syntax, "weakref: unknown option 'site'"},
        {"collect 3", ErrorKind::InvalidGeneration,
         "collect: invalid generation '3' (expected 0, 1 or 2)"},
        {"collect -1", ErrorKind::InvalidGeneration,
         "collect: invalid generation '-1' (expected 0, 1 or 2)"},
        {"collect 99999999999999999999999", ErrorKind::InvalidGeneration,
         "collect: invalid generation '99999999999999999999999' (expected 0, 1 or 2)"},
        {"collect x", ErrorKind::BadNumber, "collect: bad generation 'x' (expected 0, 1 or 2)"},
        {"collect 1 2", ErrorKind::Syntax, "collect: expected [GEN], got 2 operands"},
        {"gc", ErrorKind::Syntax, "gc: expected enable|disable|freeze|unfreeze, got 0 operands"},
        {"gc stop", ErrorKind::Syntax,
         "gc: unknown action 'stop' (expected enable, disable, freeze, unfreeze, safepoint, uncounted, "
         "counts, longlived, finalizer or callback)"},
        {"threshold", ErrorKind::Syntax, "threshold: expected T0 [T1 [T2]], got 0 operands"},
        {"threshold 1 2 3 4", ErrorKind::Syntax,
         "threshold: expected T0 [T1 [T2]], got 4 operands"},
        {"threshold 700 2147483648", ErrorKind::BadNumber,
         "threshold: bad threshold '2147483648' (at most 2147483647)"},
        {"threshold 1.5", ErrorKind::BadNumber,
         "threshold: bad threshold '1.5' (expected a non-negative integer)"},
        {"expect", ErrorKind::Syntax,
         "expect: expected alive|freed|refcount|count|collected ..., got 0 operands"},
        {"expect dead 1", ErrorKind::Syntax,
         "expect: unknown assertion 'dead' (expected alive, freed, refcount, count, collected or "
         "collection)"},
        {"expect alive", ErrorKind::Syntax, "expect alive: expected ID, got 0 operands"},
        {"expect refcount 1", ErrorKind::Syntax, "expect refcount: expected ID N, got 1 operand"},
        {"expect refcount 1 x", ErrorKind::BadNumber,
         "expect refcount: bad refcount 'x' (expected a non-negative integer)"},
        {"expect count 1 2", ErrorKind::Syntax, "expect count: expected C0 C1 C2, got 2 operands"},
        {"expect collected 9223372036854775808", ErrorKind::BadNumber,
         "expect collected: bad count '9223372036854775808' (at most 9223372036854775807)"},
        {"type", ErrorKind::Syntax, "type: expected TYPE [FLAG...], got 0 operands"},
        {"type Node gcc", ErrorKind::Syntax,
         "type: unknown flag 'gcc' (expected gc, weakrefable, finalizer, legacy_finalizer or "
         "instance)"},
        {"type Node gc gc", ErrorKind::Syntax, "type: duplicate flag 'gc'"},
        {"type N@de", ErrorKind::BadToken,
         "type: bad name 'N@de' (type names are 1-256 characters of A-Za-z0-9_.:/-)"},
        {"type Node slots=2147483648", ErrorKind::BadNumber,
         "type: bad slots '2147483648' (at most 2147483647)"},
        {"type Node size=x", ErrorKind::BadNumber,
         "type: bad size 'x' (expected a non-negative integer)"},
        {"@x alloc 1 list", ErrorKind::BadNumber,
         "alloc: bad timestamp '@x' (expected a non-negative integer)"},
        {"@18446744073709551616 alloc 1 list", ErrorKind::BadNumber,
         "alloc: bad timestamp '@18446744073709551616' (at most 18446744073709551615)"},
        {"@5", ErrorKind::Syntax, "missing event after the timestamp '@5'"},
        {"@5 alocc", ErrorKind::UnknownEvent, "unknown event 'alocc'"},
        {"alloc 1 list\x01", ErrorKind::BadToken,
         "alloc: bad type 'list\\x01' (type names are 1-256 characters of A-Za-z0-9_.:/-)"},
        {"bind x 1\r\r", ErrorKind::BadToken,
         "bind: bad id '1\\x0d' (ids are 1-64 characters of A-Za-z0-9_.:-)"},
        {std::string("\xff\xfe\x00zz", 5) + " 1", ErrorKind::UnknownEvent,
         "unknown event '\\xff\\xfe\\x00zz'"},
    };
    for (const ErrorCase& c : cases) {
        CAPTURE(c.line);
        const Diagnostic d = only_error("alloc 0 list\n" + c.line + "\n");
        CHECK(d.kind == c.kind);
        CHECK(d.message == c.message);
        CHECK(d.line == 2);
        CHECK(d.event == 2);
        CHECK_FALSE(d.fatal);
    }
}

TEST_CASE("text: token length limits") {
    CHECK(read("alloc " + std::string(64, 'i') + " list\n")->errors().empty());
    CHECK(read("bind " + std::string(256, 'n') + " 1\n")->errors().empty());
    CHECK(only_error("bind " + std::string(257, 'n') + " 1\n").kind == ErrorKind::BadToken);
    CHECK(read("set 1 " + std::string(256, 'k') + " 2\n")->errors().empty());
    CHECK(read("alloc 1 list site=" + std::string(1024, 's') + "\n")->errors().empty());
    CHECK(only_error("alloc 1 list site=" + std::string(1025, 's') + "\n").kind ==
          ErrorKind::BadToken);
    // Labels are any token without spaces, UTF-8 included; '=' inside is part of the value.
    const auto r = read("alloc 1 list site=caf\xC3\xA9.py:3=x\nweakref w 1 callback=a.b:c/d\n");
    REQUIRE(r->errors().empty());
    CHECK(r->str(r->event(0).site) == "caf\xC3\xA9.py:3=x");
    CHECK(r->str(r->event(1).label) == "a.b:c/d");
    CHECK(only_error("alloc 1 list site=\xC3(\n").kind == ErrorKind::BadToken);
}

TEST_CASE("text: options in any order, after positional tokens") {
    const auto r =
        read("alloc 1 list 2 site=x size=3\ntype T slots=2 size=40 gc\n", "t.trace", Mode::Lenient);
    REQUIRE(r->events().size() == 1);
    CHECK(r->event(0).size == 3);
    CHECK(r->str(r->event(0).site) == "x");
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).message == "type: operand 'gc' after options (options come last)");
}

TEST_CASE("text: a line over 1 MiB is one bad event, skipped without stopping the read") {
    const std::string long_line = "alloc 2 list " + std::string(3 * 1024 * 1024, 'x');
    const std::string trace = "alloc 1 list\n" + long_line + "\nbind x 1\n";
    const auto r = read(trace, "t.trace", Mode::Lenient);
    REQUIRE(r->events().size() == 2);
    CHECK(r->event(1).kind == EventKind::Bind);
    CHECK(r->event(1).line == 3);
    CHECK(r->event(1).number == 3);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::Syntax);
    CHECK(r->error(0).message == "line too long (more than 1048576 bytes)");
    CHECK(r->error(0).line == 2);
    CHECK(r->error(0).event == 2);
}

TEST_CASE("text: a long line at the very end, without a newline") {
    const auto r =
        read("alloc 1 list\n" + std::string(2 * 1024 * 1024, 'y'), "t.trace", Mode::Lenient);
    CHECK(r->events().size() == 1);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).message == "line too long (more than 1048576 bytes)");
    CHECK(r->summary.events == 2);
}

TEST_CASE("text: a long comment is still a comment") {
    const auto r = read("alloc 1 list\n  # " + std::string(2 * 1024 * 1024, 'c') + "\nbind x 1\n");
    CHECK(r->errors().empty());
    REQUIRE(r->events().size() == 2);
    CHECK(r->event(1).number == 2);
    CHECK(r->event(1).line == 3);
}

TEST_CASE("text: an alloc just under 1 MiB keeps all its refs") {
    std::string line = "alloc big list";
    std::size_t count = 0;
    while (line.size() < 1024 * 1024 - 16) {
        line += " r" + std::to_string(count % 1000);
        ++count;
    }
    const auto r = read(line + "\n");
    REQUIRE(r->errors().empty());
    REQUIRE(r->sink.refs.size() == 1);
    CHECK(r->sink.refs[0].size() == count);
    CHECK(r->str(r->sink.refs[0][999]) == "r999");
    CHECK(r->str(r->sink.refs[0][count - 1]) == "r" + std::to_string((count - 1) % 1000));
}

TEST_CASE("text: binary garbage yields errors per line, never a crash") {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
    const auto r = read("alloc 1 list\n" + garbage + "\nbind x 1\n", "t.trace", Mode::Lenient);
    CHECK(r->events().size() >= 2);
    CHECK(r->event(0).kind == EventKind::Alloc);
    CHECK(r->events().back().kind == EventKind::Bind);
    for (const Diagnostic& d : r->errors()) {
        CHECK((d.kind == ErrorKind::UnknownEvent || d.kind == ErrorKind::BadToken ||
               d.kind == ErrorKind::Syntax || d.kind == ErrorKind::BadNumber ||
               d.kind == ErrorKind::Timestamp));
        CHECK_FALSE(d.fatal);
    }
}

TEST_CASE("text: a bad line leaves no symbols behind") {
    const auto r = read("alloc 1 list good bad!\n", "t.trace", Mode::Lenient);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->symbols.find("good") == kNoSym);
    CHECK(r->symbols.find("list") == kNoSym);
}

TEST_CASE("text: TextLineParser parses a line on its own") {
    SymbolTable symbols;
    TextLineParser parser(symbols);
    Event event;
    Diagnostic error;
    CHECK(parser.parse(Line{"  # only a comment", 1, false}, event, error) == LineOutcome::Skip);
    REQUIRE(parser.parse(Line{"@7 set a b c", 2, false}, event, error) == LineOutcome::Event);
    CHECK(event.kind == EventKind::Set);
    CHECK(event.time_ns == 7);
    CHECK(event.number == 1);
    CHECK(event.line == 2);
    CHECK(symbols.str(event.key) == "b");
    REQUIRE(parser.parse(Line{"set a b", 3, false}, event, error) == LineOutcome::Error);
    CHECK(error.event == 2);
    CHECK(parser.events_numbered() == 2);
}

TEST_CASE("text: a last line without its newline is a truncated trace, even when it parses") {
    // `alloc 12` is a prefix of `alloc 123 list`... and of nothing valid, but
    // `bind x 1` cut from `bind x 12` parses: neither may be trusted.
    for (const std::string last : {"bind x 1", "alloc 12", "unbind x  # comment"}) {
        CAPTURE(last);
        const auto r = read("alloc 1 list\nalloc 12 list\n" + last, "t.trace", Mode::Lenient);
        CHECK(r->events().size() == 2);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Truncated);
        CHECK(r->error(0).message ==
              "truncated trace: the last line has no newline, so it may be cut short");
        CHECK(r->error(0).line == 3);
        CHECK(r->error(0).event == 3);
        CHECK_FALSE(r->error(0).fatal);
    }
    // A cut comment is reported too (what followed it is lost), but is no event.
    const auto c = read("alloc 1 list\n# a comm", "t.trace", Mode::Lenient);
    REQUIRE(c->errors().size() == 1);
    CHECK(c->error(0).kind == ErrorKind::Truncated);
    CHECK(c->error(0).event == 0);
    // Blank space without a newline loses nothing.
    CHECK(read("alloc 1 list\n  \t")->errors().empty());
}

TEST_CASE("text: the end-of-trace record is checked when present") {
    SUBCASE("the right count: accepted, and it is no event") {
        const auto r = read("heaptrace 1\nalloc 1 list\nbind x 1\n# end events=2\n");
        CHECK(r->errors().empty());
        CHECK(r->events().size() == 2);
        CHECK(r->summary.events == 2);
    }
    SUBCASE("a trace cut at a line boundary: too few events") {
        const auto r =
            read("heaptrace 1\nalloc 1 list\n# end events=5\n", "t.trace", Mode::Lenient);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Truncated);
        CHECK(r->error(0).line == 3);
        CHECK(r->error(0).message ==
              "end-of-trace record says 5 events, but 1 came before it: events are missing or were "
              "added");
    }
    SUBCASE("an event after it") {
        const auto r = read("alloc 1 list\n# end events=1\nbind x 1\n", "t.trace", Mode::Lenient);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Syntax);
        CHECK(r->error(0).line == 3);
        CHECK(r->error(0).message == "event after the end-of-trace record of line 2");
    }
    SUBCASE("promised but missing: a trace cut at a line boundary") {
        const auto r = read("heaptrace 1\n# end-record: promised\nalloc 1 list\nbind x 1\n",
                            "t.trace", Mode::Lenient);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Truncated);
        CHECK(r->error(0).line == 4);
        CHECK(r->error(0).message ==
              "truncated trace: it ends after event 2 without the end-of-trace record promised on "
              "line 2");
        CHECK(read("# end-record: promised\nalloc 1 list\n# end events=1\n")->errors().empty());
    }
    SUBCASE("other comments that look alike stay comments") {
        const auto r = read("alloc 1 list\n# end events=many\n#end events=7\n# end  events=3\n");
        CHECK(r->errors().empty());
    }
}

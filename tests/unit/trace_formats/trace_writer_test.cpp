// The trace writers: canonical text, JSON Lines and binary must carry every
// field of every event, so that text -> htb -> JSON Lines -> text comes back
// byte for byte, for the bundled traces and a generated one.
#include "trace_formats/trace_writer.h"

#include <doctest/doctest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "event_fields.h"
#include "recording_sink.h"
#include "trace_codec.h"
#include "workloads/random_trace.h"

using namespace heapsim;
using heapsim::test::rewrite;
using heapsim::test::to_htb;

namespace {

// Every event kind, every option and flag, labels that JSON must escape,
// timestamps that change and stay.
const std::string kEveryEvent =
    "# a comment that the writers drop\n"
    "heaptrace 1\n"
    "type Node gc weakrefable finalizer legacy_finalizer instance size=72 slots=3\n"
    "type Plain size=0\n"
    "type Inst instance\n"
    "@100 alloc n1 Node\n"
    "alloc n2 Node size=4294967295 site=app.py:12\n"
    "@250 alloc l1 list n1 n2 n1 size=80 site=caf\xC3\xA9\"quoted\\back\n"
    "alloc t0 tuple\n"
    "bind x l1\n"
    "unbind x\n"
    "append l1 n2\n"
    "set n1 next n2\n"
    "unset n1 next\n"
    "remove l1 n1\n"
    "clear l1\n"
    "drop n2\n"
    "weakref w1 n1\n"
    "weakref w2 n1 callback=on_gone\n"
    "collect 0\ncollect 1\ncollect\n"
    "gc enable\ngc disable\ngc freeze\ngc unfreeze\n"
    "gc safepoint\ngc uncounted\ngc counts 12 3 9223372036854775807\n"
    "threshold 700\nthreshold 700 10\nthreshold 2147483647 10 10\n"
    "expect alive n1\nexpect freed n2\nexpect refcount n1 9223372036854775807\n"
    "expect count 1 2 3\nexpect collected 0\n"
    "@18446744073709551615 bind y/z.w:1 n1\n"
    "gc finalizer n1 y/z.w:1\ngc callback w2 keep\nexpect collection 2 5 1\n";

const std::string kCanonical =
    "heaptrace 1\n"
    "type Node gc weakrefable finalizer legacy_finalizer instance size=72 slots=3\n"
    "type Plain size=0\n"
    "type Inst instance\n"
    "@100 alloc n1 Node\n"
    "alloc n2 Node size=4294967295 site=app.py:12\n"
    "@250 alloc l1 list n1 n2 n1 size=80 site=caf\xC3\xA9\"quoted\\back\n"
    "alloc t0 tuple\n"
    "bind x l1\n"
    "unbind x\n"
    "append l1 n2\n"
    "set n1 next n2\n"
    "unset n1 next\n"
    "remove l1 n1\n"
    "clear l1\n"
    "drop n2\n"
    "weakref w1 n1\n"
    "weakref w2 n1 callback=on_gone\n"
    "collect 0\ncollect 1\ncollect 2\n"
    "gc enable\ngc disable\ngc freeze\ngc unfreeze\n"
    "gc safepoint\ngc uncounted\ngc counts 12 3 9223372036854775807\n"
    "threshold 700\nthreshold 700 10\nthreshold 2147483647 10 10\n"
    "expect alive n1\nexpect freed n2\nexpect refcount n1 9223372036854775807\n"
    "expect count 1 2 3\nexpect collected 0\n"
    "@18446744073709551615 bind y/z.w:1 n1\n"
    "gc finalizer n1 y/z.w:1\ngc callback w2 keep\nexpect collection 2 5 1\n";

// Text -> htb -> JSON Lines -> text must give back the canonical text.
void check_round_trip(const std::string& text, const std::string& name) {
    CAPTURE(name);
    const std::string canonical = rewrite(text, "in.trace", "c.trace");
    CHECK(rewrite(canonical, "c.trace", "again.trace") == canonical);  // a fixed point
    const std::string binary = rewrite(canonical, "c.trace", "x.htb");
    const std::string lines = rewrite(binary, "x.htb", "x.jsonl");
    CHECK(rewrite(lines, "x.jsonl", "back.trace") == canonical);
    // And the direct ways agree with the chain.
    CHECK(rewrite(text, "in.trace", "y.htb") == binary);
    CHECK(rewrite(canonical, "c.trace", "y.jsonl") == lines);
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string random_trace(std::uint64_t events, std::uint64_t seed) {
    RandomTraceOptions options;
    options.events = events;
    options.seed = seed;
    options.legacy_finalizers = true;
    std::ostringstream out;
    write_random_trace(options, out);
    return out.str();
}

}  // namespace

TEST_CASE("text writer: canonical form of every event kind, then the end-of-trace record") {
    // One event per line after the header.
    const auto events =
        static_cast<std::uint64_t>(std::count(kCanonical.begin(), kCanonical.end(), '\n') - 1);
    const std::string body = kCanonical.substr(kCanonical.find('\n') + 1);
    CHECK(rewrite(kEveryEvent, "in.trace", "out.trace") ==
          "heaptrace 1\n# end-record: promised\n" + body +
              "# end events=" + std::to_string(events) + "\n");
}

TEST_CASE("writers: gc longlived in text, JSON Lines and binary") {
    const std::string text = "heaptrace 1\ngc longlived 11231 9223372036854775807\n";
    check_round_trip(text, "longlived");
    const std::string lines = rewrite(text, "in.trace", "out.jsonl");
    CHECK(lines.find(R"({"ev":"gc","action":"longlived","values":[11231,9223372036854775807]})") !=
          std::string::npos);
}

TEST_CASE("JSON Lines writer: members by the spec's names, labels escaped") {
    const std::string lines = rewrite(kCanonical, "in.trace", "out.jsonl");
    std::istringstream in(lines);
    std::vector<std::string> got;
    for (std::string line; std::getline(in, line);) got.push_back(line);
    REQUIRE(got.size() == 39);
    CHECK(got[0] ==
          R"({"ev":"type","name":"Node","gc":true,"weakrefable":true,"finalizer":true,"legacy_finalizer":true,"instance":true,"size":72,"slots":3})");
    CHECK(got[3] == R"({"ev":"alloc","t":100,"id":"n1","type":"Node"})");
    CHECK(got[5] ==
          "{\"ev\":\"alloc\",\"t\":250,\"id\":\"l1\",\"type\":\"list\",\"refs\":[\"n1\",\"n2\","
          "\"n1\"],\"size\":80,\"site\":\"caf\xC3\xA9\\\"quoted\\\\back\"}");
    CHECK(got[7] == R"({"ev":"bind","name":"x","id":"l1"})");
    CHECK(got[10] == R"({"ev":"set","id":"n1","key":"next","ref":"n2"})");
    CHECK(got[16] == R"({"ev":"weakref","id":"w2","target":"n1","callback":"on_gone"})");
    CHECK(got[19] == R"({"ev":"collect","gen":2})");
    CHECK(got[21] == R"({"ev":"gc","action":"disable"})");
    CHECK(got[24] == R"({"ev":"gc","action":"safepoint"})");
    CHECK(got[26] == R"({"ev":"gc","action":"counts","values":[12,3,9223372036854775807]})");
    CHECK(got[28] == R"({"ev":"threshold","values":[700,10]})");
    CHECK(got[32] == R"({"ev":"expect","what":"refcount","id":"n1","values":[9223372036854775807]})");
    CHECK(got[33] == R"({"ev":"expect","what":"count","values":[1,2,3]})");
    CHECK(got[35] == R"({"ev":"bind","t":18446744073709551615,"name":"y/z.w:1","id":"n1"})");
    CHECK(got[36] == R"({"ev":"gc","action":"finalizer","id":"n1","name":"y/z.w:1"})");
    CHECK(got[37] == R"({"ev":"gc","action":"callback","id":"w2","name":"keep"})");
    CHECK(got[38] == R"({"ev":"expect","what":"collection","values":[2,5,1]})");
}

TEST_CASE("writers: every field of every event kind survives text -> htb -> jsonl -> text") {
    check_round_trip(kEveryEvent, "every event");
    // Field by field too, not only through the text writer.
    const auto original = test::read(kEveryEvent, "a.trace");
    const auto binary = test::read(rewrite(kEveryEvent, "a.trace", "a.htb"), "a.htb");
    REQUIRE(binary->errors().empty());
    REQUIRE(binary->events().size() == original->events().size());
    for (std::size_t i = 0; i < original->events().size(); ++i) {
        CAPTURE(i);
        const Event& a = original->event(i);
        const Event& b = binary->event(i);
        test::check_same_values(a, b);
        CHECK(b.line == b.number);  // binary traces have no lines
        for (const auto field : {&Event::id, &Event::ref, &Event::name, &Event::key, &Event::type,
                                 &Event::site, &Event::label}) {
            CHECK((a.*field == kNoSym) == (b.*field == kNoSym));
            if (a.*field != kNoSym) CHECK(original->str(a.*field) == binary->str(b.*field));
        }
        REQUIRE(original->sink.refs[i].size() == binary->sink.refs[i].size());
        for (std::size_t r = 0; r < original->sink.refs[i].size(); ++r) {
            CHECK(original->str(original->sink.refs[i][r]) == binary->str(binary->sink.refs[i][r]));
        }
    }
}

TEST_CASE("writers: every bundled trace round-trips byte for byte") {
    const std::filesystem::path root(HEAPSIM_SOURCE_DIR);
    int traces = 0;
    for (const auto* dir : {"traces", "traces/scenarios"}) {
        for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
            if (entry.path().extension() != ".trace") continue;
            check_round_trip(slurp(entry.path()), entry.path().filename().string());
            ++traces;
        }
    }
    CHECK(traces >= 20);
}

TEST_CASE("writers: a 50,000-event generated trace round-trips byte for byte") {
    const std::string text = random_trace(50000, 11);
    check_round_trip(text, "random seed 11");
    // Many small blocks and frequent dictionary resets read back the same.
    HtbWriterOptions small;
    small.dictionary_limit = 16;
    small.block_size = 256;
    const std::string canonical = rewrite(text, "in.trace", "c.trace");
    const std::string binary = to_htb(text, "in.trace", small);
    CHECK(rewrite(binary, "x.htb", "back.trace") == canonical);
    // The binary form is less than half the size of the text.
    CHECK(rewrite(text, "in.trace", "x.htb").size() * 2 < canonical.size());
}

TEST_CASE("writers: compressed outputs read back (.htb.gz, .htb.zst, .jsonl.gz, .trace.zst)") {
    const std::string canonical = rewrite(random_trace(3000, 5), "in.trace", "c.trace");
    for (const std::string name : {"x.htb.gz", "x.htb.zst", "x.jsonl.gz", "x.jsonl.zst",
                                   "x.trace.gz", "x.trace.zst"}) {
        CAPTURE(name);
        const std::string bytes = rewrite(canonical, "c.trace", name);
        const bool gz = name.ends_with(".gz");
        REQUIRE(bytes.size() > 4);
        CHECK(bytes.substr(0, gz ? 2 : 4) == (gz ? std::string("\x1f\x8b") : std::string("\x28\xb5\x2f\xfd")));
        CHECK(rewrite(bytes, name, "back.trace") == canonical);
        CHECK(rewrite(bytes, "-", "back.trace") == canonical);  // found by magic bytes
    }
}

TEST_CASE("writer chooser: by file name and by --to name") {
    const auto is = [](std::optional<OutputEncoding> e, TraceFormat f, Compression c) {
        return e.has_value() && e->format == f && e->compression == c;
    };
    CHECK(is(encoding_from_name("a.trace"), TraceFormat::Text, Compression::None));
    CHECK(is(encoding_from_name("dir.d/a.txt.gz"), TraceFormat::Text, Compression::Gzip));
    CHECK(is(encoding_from_name("a.jsonl.zst"), TraceFormat::JsonLines, Compression::Zstd));
    CHECK(is(encoding_from_name("a.htb"), TraceFormat::Binary, Compression::None));
    CHECK(is(encoding_from_name("a.htb.gz"), TraceFormat::Binary, Compression::Gzip));
    CHECK_FALSE(encoding_from_name("a.json").has_value());
    CHECK_FALSE(encoding_from_name("a.gz").has_value());
    CHECK_FALSE(encoding_from_name("htb").has_value());
    CHECK(is(encoding_from_format_name("text"), TraceFormat::Text, Compression::None));
    CHECK(is(encoding_from_format_name("htb.zst"), TraceFormat::Binary, Compression::Zstd));
    CHECK(is(encoding_from_format_name("jsonl.gz"), TraceFormat::JsonLines, Compression::Gzip));
    CHECK_FALSE(encoding_from_format_name("x.htb").has_value());
    CHECK_FALSE(encoding_from_format_name("binary").has_value());
}

// The readers' fast paths (text_common_events.cpp, json_common_events.cpp)
// against their general parsers: on lines of the common shapes and on
// thousands of mutations of them, both must give the same event with the
// same symbol numbers (the same strings interned in the same order), or
// the same diagnostic.

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "tests/unit/trace_formats/line_mutations.h"
#include "trace_formats/byte_masks.h"
#include "trace_formats/byte_source.h"
#include "trace_formats/jsonl_reader.h"
#include "trace_formats/line_trace_loop.h"
#include "trace_formats/text_reader.h"

using namespace heapsim;

namespace {

std::string describe(const Event& e, const SymbolTable& symbols) {
    const auto sym = [&](Sym s) {
        return s == kNoSym ? std::string("-")
                           : std::to_string(s) + ":" + std::string(symbols.str(s));
    };
    std::string out = std::string(event_name(e.kind)) + " #" + std::to_string(e.number) + " L" +
                      std::to_string(e.line) + " t" + std::to_string(e.time_ns) +
                      " id=" + sym(e.id) + " ref=" + sym(e.ref) + " name=" + sym(e.name) +
                      " key=" + sym(e.key) + " type=" + sym(e.type) + " site=" + sym(e.site) +
                      " label=" + sym(e.label) + " size=" + std::to_string(e.size) + " refs=";
    for (const Sym r : e.refs) out += sym(r) + ",";
    out += " gen=" + std::to_string(e.generation) + " values=" + std::to_string(e.nvalues);
    for (int i = 0; i < e.nvalues; ++i) out += ":" + std::to_string(e.values[i]);
    // The fields only rare events set: a fast event after one (the buffered
    // read reuses one Event) must not inherit them.
    const TypeDecl& d = e.decl;
    out += " decl=" + std::to_string(d.gc) + std::to_string(d.weakrefable) +
           std::to_string(d.finalizer) + std::to_string(d.legacy_finalizer) +
           std::to_string(d.instance) + "/" + std::to_string(d.size) + "/" +
           std::to_string(d.slots) + " action=" + std::to_string(static_cast<int>(e.action)) +
           " expect=" + std::to_string(static_cast<int>(e.expect));
    return out + " symbols=" + std::to_string(symbols.size());
}

// `padded`: the line as a LineReader gives it, with kLinePadding readable
// bytes after it (here bytes that would change the event if read as part of
// the line), so the fast paths read it in place instead of in a copy.
template <class Parser>
std::string parse_with(Parser& parser, const SymbolTable& symbols, const std::string& text,
                       std::uint64_t number, bool padded = false) {
    Event event;
    Diagnostic error;
    std::string buffer = text;
    constexpr std::string_view kPadding = "o9\" x=\"]}";
    for (std::size_t i = 0; i < kLinePadding; ++i) buffer += kPadding[i % kPadding.size()];
    const Line line{std::string_view(buffer.data(), text.size()), number, false, false, padded};
    switch (parser.parse(line, event, error)) {
        case LineOutcome::Skip:
            return "skip";
        case LineOutcome::Interpreter:
            return "interpreter";
        case LineOutcome::Event:
            return describe(event, symbols);
        case LineOutcome::Error:
            return "error " + std::string(error_kind_name(error.kind)) + " " + error.message +
                   " @" + std::to_string(error.line) + "/" + std::to_string(error.event);
    }
    return "?";
}

// The corpus, then `rounds` mutations of it (line_mutations.h).
std::vector<std::string> mutated(const std::vector<std::string>& corpus, std::string_view replace,
                                 std::string_view insert, int rounds) {
    return test::mutated_lines(corpus, corpus.size(), replace, insert, rounds);
}

// The text parser reads each line a fourth way: the fast path with its
// SSE2 classification even where the CPU has AVX2 (both must agree).
template <class Parser>
void check_paths_agree(const std::vector<std::string>& lines) {
    SymbolTable fast_symbols, padded_symbols, slow_symbols, narrow_symbols;
    Parser fast(fast_symbols, true), padded(padded_symbols, true), slow(slow_symbols, false);
    constexpr bool kNarrow = std::is_constructible_v<Parser, SymbolTable&, bool, bool>;
    Parser narrow = [&] {
        if constexpr (kNarrow)
            return Parser(narrow_symbols, true, false);
        else
            return Parser(narrow_symbols, true);
    }();
    std::uint64_t number = 0;
    int events = 0;
    for (const std::string& line : lines) {
        CAPTURE(line);
        ++number;
        const std::string a = parse_with(fast, fast_symbols, line, number);
        const std::string b = parse_with(slow, slow_symbols, line, number);
        CHECK(a == b);
        CHECK(parse_with(padded, padded_symbols, line, number, true) == b);
        if constexpr (kNarrow) CHECK(parse_with(narrow, narrow_symbols, line, number, true) == b);
        events += a.starts_with("error") || a == "skip" ? 0 : 1;
    }
    CHECK(events > 100);  // the mutations leave good events too
}

}  // namespace

namespace {

// The text corpus: the common shapes, their edge cases and rare lines.
std::vector<std::string> text_corpus() {
    return {
        "alloc o1 list",
        "@100 alloc o2 tuple o1 o1 size=64 site=web/app.py:12",
        "alloc o3 dict site=a=b size=0007",
        "\talloc  o4 App o2\to3 site=x.py:1 ",
        "@100 bind app o1",
        "@250 unbind app",
        "append o1 o2",
        "remove o1 o2",
        "set o3 key/with/slash o2",
        "unset o3 k",
        "clear o1",
        "drop o2",
        "alloc o5 list o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1",
        "alloc o6 list o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1 o1",
        "alloc o7 list size=4294967296",
        "alloc o8 list site=caf\xC3\xA9",
        "drop o1 # a comment",
        "collect 1",
        "weakref w o1",
        "@12345678901234567890 drop o1",
        "@1234567890123456789 set o3 opt0 o2",
        "alloc o9 str site=app/views.py:64",
        "alloc o10 tuple o9 o1 site=app/views.py:64 size=4294967295",
        "alloc o11 list size=1 size=2",
        "alloc o12 list site=a site=b",
        "alloc o13 list o1 site=a o2",
        "bind a_name_that_is_long_enough_to_reach_past_thirty_two_bytes o1",
        "set o1 k o2 o3",
        "drop o1234567890123456789012345678901234567890123456789012345678",
        "    drop      o1       ",
        // Lengths at the classification blocks' edges (16, 32, 64 bytes),
        // tokens across them, tabs, a stray CR, a site ending the line.
        "alloc o100 list site=abcdefghij",
        "alloc o100 list site=abcdefghijk",
        "alloc o100 list site=abcdefghijkl",
        "alloc o100 list o2 o3 o4 o5 o6 o7 o8 o9 site=abcdefghijklmnopqr",
        "alloc o100 list o2 o3 o4 o5 o6 o7 o8 o9 site=abcdefghijklmnopqrs",
        "alloc o100 list o2 o3 o4 o5 o6 o7 o8 o9 site=abcdefghijklmnopqrst",
        "alloc\to100\tlist\to2\to3\to4\to5\to6\to7\to8\to9\tsize=1234\tsite=a.py:1",
        "set o1234567890123456789012345 k0123456789012345 o1234567890123",
        "set o1234567890123456789012345 k0123456789012345 o12345678901234",
        "bind name_of_thirty_two_bytes_xyz o1",
        "@18446744073709551615 bind n o1",
        "drop o1\r",
        "alloc o1 list site=a#b",
        "alloc o1 list site=a\x7f",
        "alloc o1 list size=12 site=web/app.py:12 # trailing comment",
        // Rare events that set the fields the fast path leaves alone, each
        // followed by a fast one (the buffered read reuses its Event).
        "type Legacy gc legacy_finalizer size=80 slots=2",
        "drop o1",
        "weakref wr o1 callback=cb",
        "bind n o1",
        "gc disable",
        "set o3 k o2",
        "threshold 700 10 10",
        "unset o3 k",
        "expect count 1 0 0",
        "append o1 o2",
        "collect 0",
        "alloc o14 dict",
    };
}

std::vector<std::string> mutated_text_lines() {
    return mutated(text_corpus(), "ao1 \t=@#/.:-x9\xff", "o1 \t=@#/.:-\r\x01\xc3", 6000);
}

// A sink that writes down every event and diagnostic, and reads on.
struct DescribingSink final : EventSink {
    const SymbolTable& symbols;
    std::vector<std::string> heard;
    explicit DescribingSink(const SymbolTable& s) : symbols(s) {}
    bool on_event(const Event& event) override {
        heard.push_back(describe(event, symbols));
        return true;
    }
    bool on_error(const Diagnostic& error) override {
        heard.push_back("error " + std::string(error_kind_name(error.kind)) + " " + error.message +
                        " @" + std::to_string(error.line) + "/" + std::to_string(error.event));
        return true;
    }
};

// A whole trace through read_line_trace with `parser`: what the sink heard.
std::vector<std::string> read_all(const std::string& trace, SymbolTable& symbols,
                                  TextLineParser& parser) {
    ByteSource source = ByteSource::over(trace);
    DescribingSink sink(symbols);
    const ReadSummary summary = read_line_trace(source, parser, sink, TraceFormat::Text);
    sink.heard.push_back("events " + std::to_string(summary.events));
    return sink.heard;
}

}  // namespace

TEST_CASE("fast paths: the text fast path and the general parser read every line the same") {
    check_paths_agree<TextLineParser>(mutated_text_lines());
}

TEST_CASE("fast paths: a whole text trace read in the buffer, line by line, and generally") {
    // read_line_trace's buffered loop (parse_buffered: the newline found in
    // the line's masks, AVX2 only) against the same trace read through the
    // LineReader with the SSE2 fast path and with the general parser.
    std::string trace;
    for (const std::string& line : mutated_text_lines()) trace += line + "\n";
    trace += "drop o1";  // the last line unterminated
    SymbolTable buffered_symbols, narrow_symbols, slow_symbols;
    TextLineParser buffered(buffered_symbols), narrow(narrow_symbols, true, false),
        slow(slow_symbols, false);
    const std::vector<std::string> expected = read_all(trace, slow_symbols, slow);
    CHECK(expected.size() > 6000);
    CHECK(read_all(trace, buffered_symbols, buffered) == expected);
    CHECK(read_all(trace, narrow_symbols, narrow) == expected);
}

TEST_CASE("fast paths: the JSON Lines fast path and the general path read every line the same") {
    const std::vector<std::string> corpus = {
        R"({"ev":"alloc","t":306,"id":"o1","type":"App","site":"web/app.py:5"})",
        R"({"ev":"alloc","id":"o2","type":"tuple","refs":["o1","o1"],"size":64})",
        R"({"ev":"alloc","id":"o3","type":"list","refs":[]})",
        R"({"ev":"alloc","id":"o4","type":"list","site":"a b"})",
        R"({"ev":"bind","name":"app","id":"o1"})",
        R"({"ev":"unbind","name":"app","t":400})",
        R"({"ev":"append","id":"o1","ref":"o2"})",
        R"({"ev":"remove","id":"o1","ref":"o2"})",
        R"({"ev":"set","id":"o3","key":"k/1","ref":"o2"})",
        R"({"ev":"unset","id":"o3","key":"k/1"})",
        R"({"ev":"clear","id":"o1"})",
        R"({"ev":"drop","id":"o2"})",
        R"({"ev":"drop","id":2})",
        R"({"ev":"collect","gen":1})",
        R"({"ev":"alloc","t":403809,"id":"o26","type":"Handler","size":0,"site":"web/views.py:17"})",
        R"({"ev":"alloc","id":"o27","type":"tuple","refs":["o26","o1","o2"],"size":48})",
        R"({"ev":"set","t":0,"id":"o3","key":"a_key_long_enough_to_pass_thirty_two_bytes","ref":"o1"})",
        R"({"ev":"unset","id":"o3","key":"q0"})",
        R"({"ev":"drop","t":01,"id":"o1"})",
        R"({"ev":"drop","id":"o1","id":"o2"})",
        R"({"ev":"bind","id":"o1","name":"x"})",
        R"({"ev":"alloc","id":"o28","type":"str","site":"a#b c"})",
    };
    check_paths_agree<JsonLineParser>(mutated(
        corpus, "{}[]\",:0123456789 o\\", std::string_view("{}[]\",:019 o\\\x01\xff", 16), 6000));
}

#if defined(HEAPSIM_AVX2_PATH)
TEST_CASE("byte masks: the AVX2 classification gives the SSE2 masks") {
    // Without AVX2 the readers never take this path (the SSE2 one is checked
    // above), and the AVX2 code cannot run to be compared.
    if (!cpu_has_avx2()) {
        MESSAGE("this CPU has no AVX2: its readers use the SSE2 masks only, nothing to compare");
        return;
    }
    std::mt19937 random(13);
    // Every byte value at every position of a 64-byte line, then random
    // lines of every length 0-64 (bytes past n must not count).
    std::vector<std::string> lines;
    for (int c = 0; c < 256; ++c) lines.push_back(std::string(64, static_cast<char>(c)));
    for (int round = 0; round < 500; ++round) {
        std::string line(64 + kLinePadding, '\0');
        for (char& c : line) c = static_cast<char>(random() & 0xFF);
        lines.push_back(line);
    }
    int compared = 0;
    for (const std::string& bytes : lines) {
        std::string padded = bytes;
        padded.resize(64 + kLinePadding, 'x');
        for (std::size_t n = 0; n <= 64; ++n) {
            const ByteMasks a = classify_bytes(padded.data(), n);
            const ByteMasks b = classify_bytes_avx2(padded.data(), n);
            CAPTURE(n);
            CAPTURE(padded.substr(0, n));
            const bool same = a.blank == b.blank && a.name == b.name && a.id == b.id &&
                              a.digit == b.digit && a.label == b.label && a.quote == b.quote &&
                              a.plain == b.plain;
            CHECK(same);
            ++compared;
        }
    }
    CHECK(compared == 756 * 65);
}

TEST_CASE("byte masks: classify_line_avx2 finds the newline and gives the line's masks") {
    if (!cpu_has_avx2()) {
        MESSAGE("this CPU has no AVX2: the buffered text path does not run, nothing to compare");
        return;
    }
    std::mt19937 random(8);
    for (int round = 0; round < 2000; ++round) {
        std::string bytes(64 + kLinePadding, '\0');
        for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
        // A newline at every offset 0-64 (64: none in the first 64 bytes).
        const std::size_t at = static_cast<std::size_t>(round % 66);
        for (std::size_t i = 0; i < 64; ++i)
            if (bytes[i] == '\n') bytes[i] = 'x';
        if (at < 64) bytes[at] = '\n';
        const ClassifiedLine line = classify_line_avx2(bytes.data());
        const std::size_t n = at < 64 ? at : 64;
        CAPTURE(at);
        CHECK(line.length == n);
        const ByteMasks a = classify_bytes(bytes.data(), n);
        const ByteMasks& b = line.masks;
        CHECK((a.blank == b.blank && a.name == b.name && a.id == b.id && a.digit == b.digit &&
               a.label == b.label && a.quote == b.quote && a.plain == b.plain));
    }
}
#endif

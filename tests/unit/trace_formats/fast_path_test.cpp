// The readers' fast paths (text_common_events.cpp, json_common_events.cpp)
// against their general parsers: on lines of the common shapes and on
// thousands of mutations of them, both must give the same event with the
// same symbol numbers (the same strings interned in the same order), or
// the same diagnostic.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/unit/trace_formats/line_mutations.h"
#include "trace_formats/jsonl_reader.h"
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
    return out + " symbols=" + std::to_string(symbols.size());
}

template <class Parser>
std::string parse_with(Parser& parser, const SymbolTable& symbols, const std::string& text,
                       std::uint64_t number) {
    Event event;
    Diagnostic error;
    switch (parser.parse(Line{text, number, false}, event, error)) {
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

template <class Parser>
void check_paths_agree(const std::vector<std::string>& lines) {
    SymbolTable fast_symbols, slow_symbols;
    Parser fast(fast_symbols, true), slow(slow_symbols, false);
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
    CHECK(events > 100);  // the mutations leave good events too
}

}  // namespace

TEST_CASE("fast paths: the text fast path and the general parser read every line the same") {
    const std::vector<std::string> corpus = {
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
    };
    check_paths_agree<TextLineParser>(
        mutated(corpus, "ao1 \t=@#/.:-x9\xff", "o1 \t=@#/.:-\r\x01\xc3", 6000));
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
    };
    check_paths_agree<JsonLineParser>(mutated(
        corpus, "{}[]\",:0123456789 o\\", std::string_view("{}[]\",:019 o\\\x01\xff", 16), 6000));
}

#include "trace_formats/trace_reader.h"

#include <doctest/doctest.h>

#include <string>

#include "recording_sink.h"
#include "trace_formats/operand_rules.h"

using namespace heapsim;
using heapsim::test::gzip;
using heapsim::test::Mode;
using heapsim::test::read;
using heapsim::test::zstd;

namespace {

const std::string kText = "# a text trace\nalloc 1 list\n";
const std::string kLines = "{\"ev\":\"alloc\",\"id\":\"1\",\"type\":\"list\"}\n";
const std::string kDocument =
    R"({"format":"heaptrace","version":1,"events":[{"ev":"alloc","id":"1","type":"list"}]})";

TraceFormat format_of(const std::string& bytes, const std::string& name) {
    CAPTURE(name);
    const auto r = read(bytes, name, Mode::Lenient);
    CHECK(r->errors().empty());
    CHECK(r->events().size() == 1);
    return r->summary.format;
}

}  // namespace

TEST_CASE("read_trace: the encoding comes from the name, then the first bytes") {
    CHECK(format_of(kText, "a.trace") == TraceFormat::Text);
    CHECK(format_of(kLines, "a.jsonl") == TraceFormat::JsonLines);
    CHECK(format_of(kDocument, "a.json") == TraceFormat::JsonDocument);
    CHECK(format_of(kLines, "a.json") == TraceFormat::JsonLines);  // .json holding lines
    CHECK(format_of(kLines, "-") == TraceFormat::JsonLines);       // stdin: sniffed
    CHECK(format_of(kDocument, "-") == TraceFormat::JsonDocument);
    CHECK(format_of(kText, "-") == TraceFormat::Text);
    CHECK(format_of("\n\n  " + kLines, "data") == TraceFormat::JsonLines);
    CHECK(format_of("# {\"ev\": ...} is JSON\n\nalloc 1 list\n", "data") == TraceFormat::Text);
    CHECK(format_of(gzip(kLines), "a.jsonl.gz") == TraceFormat::JsonLines);
    CHECK(format_of(zstd(kDocument), "a.json.zst") == TraceFormat::JsonDocument);
    CHECK(format_of(gzip(kDocument), "upload.bin") == TraceFormat::JsonDocument);
    CHECK(format_of(gzip(kText), "a.trace.gz") == TraceFormat::Text);
    // A document whose first member is not "format" is still a document.
    CHECK(format_of(R"({"events":[{"ev":"collect"}],"version":1,"format":"heaptrace"})",
                    "a.json") == TraceFormat::JsonDocument);
}

TEST_CASE("read_trace: an empty trace has no events and no errors") {
    for (const std::string name : {"e.trace", "e.jsonl", "e.json", "-"}) {
        CAPTURE(name);
        const auto r = read("", name);
        CHECK(r->events().empty());
        CHECK(r->errors().empty());
        CHECK(r->summary.events == 0);
        CHECK_FALSE(r->summary.stopped);
    }
}

namespace {

// Checks every event of the generated trace as it arrives, keeping nothing:
// the read is streamed, so memory stays flat.
class ChainChecker : public EventSink {
  public:
    explicit ChainChecker(const SymbolTable& symbols) : symbols_(symbols) {}
    bool on_event(const Event& e) override {
        const std::uint64_t i = count_++;
        bool ok = e.number == i + 1 && e.line == i + 2 && e.kind == EventKind::Alloc &&
                  symbols_.str(e.id) == "o" + std::to_string(i) && e.refs.size() == i % 4;
        for (std::size_t k = 0; ok && k < e.refs.size(); ++k) {
            ok = symbols_.str(e.refs[k]) == "o" + std::to_string(i - k - 1);
        }
        if (!ok) ++bad_;
        return true;
    }
    bool on_error(const Diagnostic&) override {
        ++errors_;
        return false;
    }
    std::uint64_t count_ = 0, bad_ = 0, errors_ = 0;

  private:
    const SymbolTable& symbols_;
};

std::string chain_trace(std::uint64_t events) {
    std::string text = "heaptrace 1\n";
    text.reserve(events * 32);
    for (std::uint64_t i = 0; i < events; ++i) {
        text += "alloc o" + std::to_string(i) + " list";
        for (std::uint64_t k = 0; k < i % 4; ++k) text += " o" + std::to_string(i - k - 1);
        text += '\n';
    }
    return text;
}

}  // namespace

TEST_CASE("read_trace: a million events stream through with their refs") {
    const std::uint64_t events = 1000000;
    const std::string text = chain_trace(events);
    SymbolTable symbols;
    ChainChecker checker(symbols);
    const ReadSummary summary = read_trace_buffer(text, "big.trace", symbols, checker);
    CHECK(checker.errors_ == 0);
    CHECK(checker.bad_ == 0);
    CHECK(checker.count_ == events);
    CHECK(summary.events == events);
    CHECK_FALSE(summary.stopped);
    CHECK(symbols.size() == events + 1);  // the ids and "list"
}

TEST_CASE("read_trace: the same million events from zstd") {
    const std::uint64_t events = 1000000;
    const std::string packed = zstd(chain_trace(events));
    SymbolTable symbols;
    ChainChecker checker(symbols);
    const ReadSummary summary = read_trace_buffer(packed, "big.trace.zst", symbols, checker);
    CHECK(checker.bad_ == 0);
    CHECK(checker.count_ == events);
    CHECK(summary.events == events);
}

TEST_CASE("read_trace: mutated inputs of every encoding end in diagnostics, never a crash") {
    const std::string text =
        "heaptrace 1\ntype N gc size=8\n@5 alloc 1 N site=a.py:1\nalloc 2 list 1 1\n"
        "bind x 2\nset 1 k 2\nweakref w 1 callback=cb\ncollect 1\nthreshold 7 1 1\n"
        "expect count 0 0 0\n";
    const std::string lines =
        "{\"ev\":\"type\",\"name\":\"N\",\"gc\":true}\n"
        "{\"ev\":\"alloc\",\"id\":1,\"type\":\"N\",\"refs\":[\"2\",3],\"t\":4}\n"
        "{\"ev\":\"expect\",\"what\":\"count\",\"values\":[0,0,0]}\n";
    const std::string document =
        R"({"format":"heaptrace","version":1,"events":[{"ev":"alloc","id":"1","type":"list"},)"
        R"({"ev":"threshold","values":[1,2]},{"ev":"gc","action":"freeze"}]})";
    const std::pair<std::string, std::string> inputs[] = {
        {text, "m.trace"},          {lines, "m.jsonl"},           {document, "m.json"},
        {gzip(text), "m.trace.gz"}, {zstd(lines), "m.jsonl.zst"}, {gzip(document), "m.json.gz"},
    };
    std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: the same mutations every run
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    constexpr std::string_view kInsert("{}[]\",:# =\n\r\x00\xff", 14);
    int runs = 0;
    for (const auto& [original, name] : inputs) {
        for (int round = 0; round < 300; ++round) {
            std::string bytes = original;
            const int edits = 1 + static_cast<int>(next() % 4);
            for (int e = 0; e < edits && !bytes.empty(); ++e) {
                const std::size_t at = next() % bytes.size();
                switch (next() % 4) {
                    case 0:
                        bytes[at] = static_cast<char>(next());
                        break;
                    case 1:
                        bytes.erase(at, 1 + next() % 8);
                        break;
                    case 2:
                        bytes.insert(at, 1, kInsert[next() % kInsert.size()]);
                        break;
                    case 3:
                        bytes.resize(at);
                        break;
                }
            }
            const auto r = read(bytes, name, Mode::Lenient);
            ++runs;
            // A fatal diagnostic, if any, is the last thing the sink hears.
            for (std::size_t i = 0; i + 1 < r->errors().size(); ++i) CHECK_FALSE(r->error(i).fatal);
            CHECK(r->summary.events >= r->events().size());
        }
    }
    CHECK(runs == 1800);
}

TEST_CASE("operand rules: token classes and lengths") {
    CHECK(token_valid(TokenRule::Id, "0x7f00:a-b_c.d"));
    CHECK_FALSE(token_valid(TokenRule::Id, "a/b"));
    CHECK_FALSE(token_valid(TokenRule::Id, ""));
    CHECK(token_valid(TokenRule::Name, "mod/x.y:z-w_1"));
    CHECK_FALSE(token_valid(TokenRule::Name, "a=b"));
    CHECK_FALSE(token_valid(TokenRule::Key, "k y"));
    CHECK(token_valid(TokenRule::TypeName, "pkg.mod/Class"));
    CHECK(token_valid(TokenRule::Label, "caf\xC3\xA9#1=\xF0\x9F\x98\x80"));
    CHECK_FALSE(token_valid(TokenRule::Label, "a b"));
    CHECK_FALSE(token_valid(TokenRule::Label, "tab\there"));
    CHECK_FALSE(token_valid(TokenRule::Label, "del\x7f"));
    CHECK_FALSE(token_valid(TokenRule::Label, "\xC3"));              // cut short
    CHECK_FALSE(token_valid(TokenRule::Label, "\xC0\xAF"));          // overlong
    CHECK_FALSE(token_valid(TokenRule::Label, "\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(token_valid(TokenRule::Label, "\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(token_valid(TokenRule::Label, "\xFF"));
}

TEST_CASE("operand rules: event labels match event_name") {
    for (int k = 0; k <= static_cast<int>(EventKind::Expect); ++k) {
        const auto kind = static_cast<EventKind>(k);
        CHECK(event_label(kind) == event_name(kind));
        CHECK(event_kind_named(event_name(kind)) == kind);
    }
    CHECK_FALSE(event_kind_named("").has_value());
    CHECK_FALSE(event_kind_named("typ").has_value());
    CHECK_FALSE(event_kind_named("bindx").has_value());
}

TEST_CASE("operand rules: decimal numbers") {
    std::uint64_t v = 0;
    CHECK(parse_decimal("0", 10, v) == NumberError::None);
    CHECK(v == 0);
    CHECK(parse_decimal("007", 10, v) == NumberError::None);
    CHECK(v == 7);
    CHECK(parse_decimal("18446744073709551615", kMaxTimestamp, v) == NumberError::None);
    CHECK(v == 18446744073709551615ull);
    CHECK(parse_decimal("18446744073709551616", kMaxTimestamp, v) == NumberError::TooLarge);
    CHECK(parse_decimal("11", 10, v) == NumberError::TooLarge);
    CHECK(parse_decimal("99999999999999999999x", 10, v) == NumberError::NotNumber);
    CHECK(parse_decimal("", 10, v) == NumberError::NotNumber);
    CHECK(parse_decimal("+1", 10, v) == NumberError::NotNumber);
    CHECK(parse_decimal("-1", 10, v) == NumberError::NotNumber);
}

TEST_CASE("operand rules: quoted tokens are printable and short") {
    CHECK(quote_token("ok") == "'ok'");
    CHECK(quote_token(std::string("a\0b\n\xff", 5)) == "'a\\x00b\\x0a\\xff'");
    CHECK(quote_token(std::string(100, 'x')) == "'" + std::string(64, 'x') + "...'");
}

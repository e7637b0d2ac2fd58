#include "trace_formats/byte_source.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "recording_sink.h"
#include "trace_formats/line_reader.h"

using namespace heapsim;
using heapsim::test::gzip;
using heapsim::test::Mode;
using heapsim::test::read;
using heapsim::test::zstd;

namespace {

// Every decoded byte, read `step` bytes at a time.
std::string drain(ByteSource& source, std::size_t step) {
    std::string out, chunk(step, '\0');
    while (const std::size_t n = source.read(chunk.data(), step)) out.append(chunk, 0, n);
    return out;
}

std::string sample_trace(int events) {
    std::string text = "heaptrace 1\n";
    for (int i = 0; i < events; ++i) {
        text += "alloc n" + std::to_string(i) + " list n" + std::to_string(i / 2) + "\n";
    }
    return text;
}

// A file under the test temp directory, removed at the end of the scope.
struct TempFile {
    explicit TempFile(const std::string& name, const std::string& bytes)
        : path((std::filesystem::temp_directory_path() /
                ("heapsim-" + std::to_string(::getpid()) + "-" + name))
                   .string()) {
        std::ofstream(path, std::ios::binary) << bytes;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
};

}  // namespace

TEST_CASE("byte source: plain bytes pass through") {
    const std::string text = sample_trace(1000);
    ByteSource source = ByteSource::over(text);
    CHECK(source.compression() == Compression::None);
    CHECK(drain(source, 7) == text);
    CHECK(source.error() == nullptr);
}

TEST_CASE("byte source: gzip and zstd are recognised by magic bytes") {
    const std::string text = sample_trace(50000);
    const std::string gz = gzip(text), zst = zstd(text);
    ByteSource g = ByteSource::over(gz);
    CHECK(g.compression() == Compression::Gzip);
    CHECK(drain(g, 4096) == text);
    CHECK(g.error() == nullptr);
    ByteSource z = ByteSource::over(zst);
    CHECK(z.compression() == Compression::Zstd);
    CHECK(drain(z, 4096) == text);
    CHECK(z.error() == nullptr);
}

TEST_CASE("byte source: tiny reads drain the decoders' held-back output") {
    const std::string text = sample_trace(3000);
    const std::string gz = gzip(text), zst = zstd(text);
    ByteSource g = ByteSource::over(gz);
    CHECK(drain(g, 1) == text);
    ByteSource z = ByteSource::over(zst);
    CHECK(drain(z, 1) == text);
    CHECK(z.error() == nullptr);
}

TEST_CASE("byte source: concatenated gzip members and zstd frames") {
    const std::string a = sample_trace(100), b = "bind x n1\n", c = sample_trace(7);
    const std::string gz = gzip(a) + gzip(b) + gzip(c);  // ByteSource::over keeps a view
    const std::string zst = zstd(a) + zstd(b) + zstd(c);
    ByteSource g = ByteSource::over(gz);
    CHECK(drain(g, 100) == a + b + c);
    CHECK(g.error() == nullptr);
    ByteSource z = ByteSource::over(zst);
    CHECK(drain(z, 100) == a + b + c);
    CHECK(z.error() == nullptr);
}

TEST_CASE("byte source: peek does not consume") {
    const std::string text = sample_trace(10);
    const std::string gz = gzip(text);
    ByteSource source = ByteSource::over(gz);
    CHECK(source.peek(9) == "heaptrace");
    CHECK(source.peek(3) == "hea");
    char first[4];
    REQUIRE(source.read(first, 4) == 4);
    CHECK(std::string(first, 4) == "heap");
    CHECK(source.peek(5) == "trace");
    CHECK(drain(source, 3) == text.substr(4));
}

TEST_CASE("byte source: truncated and corrupt streams are fatal Io errors") {
    const std::string text = sample_trace(20000);
    SUBCASE("gzip cut short") {
        const std::string gz = gzip(text);
        ByteSource source = ByteSource::over(std::string_view(gz).substr(0, gz.size() / 2));
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->kind == ErrorKind::Io);
        CHECK(source.error()->fatal);
        CHECK(source.error()->message == "truncated gzip stream");
    }
    SUBCASE("gzip without its trailer") {
        const std::string gz = gzip(text);
        ByteSource source = ByteSource::over(std::string_view(gz).substr(0, gz.size() - 4));
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->message == "truncated gzip stream");
    }
    SUBCASE("gzip magic alone") {
        const std::string magic = "\x1f\x8b";
        ByteSource source = ByteSource::over(magic);
        CHECK(drain(source, 10).empty());
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->message == "truncated gzip stream");
    }
    SUBCASE("gzip with a corrupt body") {
        std::string gz = gzip(text);
        for (std::size_t i = 100; i < 140; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
        ByteSource source = ByteSource::over(gz);
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->kind == ErrorKind::Io);
        CHECK(source.error()->message.starts_with("corrupt gzip data: "));
    }
    SUBCASE("gzip followed by garbage") {
        const std::string bytes = gzip("alloc 1 list\n") + "garbage";
        ByteSource source = ByteSource::over(bytes);
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->message == "corrupt gzip data: incorrect header check");
    }
    SUBCASE("zstd cut short") {
        const std::string zst = zstd(text);
        ByteSource source = ByteSource::over(std::string_view(zst).substr(0, zst.size() - 3));
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->kind == ErrorKind::Io);
        CHECK(source.error()->fatal);
        CHECK(source.error()->message == "truncated zstd stream");
    }
    SUBCASE("zstd with a corrupt body") {
        std::string zst = zstd(text);
        for (std::size_t i = 20; i < zst.size(); i += 3) zst[i] = static_cast<char>(zst[i] ^ 0xa5);
        ByteSource source = ByteSource::over(zst);
        drain(source, 4096);
        REQUIRE(source.error() != nullptr);
        CHECK(source.error()->message.starts_with("corrupt zstd data: "));
    }
}

TEST_CASE("byte source: files, and files that cannot be read") {
    const std::string text = sample_trace(100);
    const TempFile plain("plain.trace", text);
    ByteSource source = ByteSource::open(plain.path);
    CHECK(source.error() == nullptr);
    CHECK(drain(source, 64) == text);

    ByteSource missing = ByteSource::open("/nonexistent/dir/x.trace");
    REQUIRE(missing.error() != nullptr);
    CHECK(missing.error()->kind == ErrorKind::Io);
    CHECK(missing.error()->fatal);
    CHECK(missing.error()->message ==
          "cannot open '/nonexistent/dir/x.trace': No such file or directory");

    const std::string dir = std::filesystem::temp_directory_path().string();
    ByteSource directory = ByteSource::open(dir);
    REQUIRE(directory.error() != nullptr);
    CHECK(directory.error()->message == "cannot read '" + dir + "': Is a directory");
}

TEST_CASE("read_trace: compressed files round-trip through the whole reader") {
    const std::string text = sample_trace(30000);
    const TempFile gz("t.trace.gz", gzip(text));
    const TempFile zst("t.trace.zst", zstd(text));
    const TempFile renamed("t.trace", zstd(text));  // found by magic, not name
    for (const std::string& path : {gz.path, zst.path, renamed.path}) {
        CAPTURE(path);
        test::ReadResult r(Mode::Strict);
        r.summary = read_trace(path, r.symbols, r.sink);
        CHECK(r.errors().empty());
        REQUIRE(r.events().size() == 30000);
        CHECK(r.str(r.event(29999).id) == "n29999");
        REQUIRE(r.sink.refs[29999].size() == 1);
        CHECK(r.str(r.sink.refs[29999][0]) == "n14999");
        CHECK(r.event(29999).line == 30001);
    }
}

TEST_CASE("read_trace: an unreadable file is one fatal Io diagnostic") {
    test::ReadResult r(Mode::Lenient);
    r.summary = read_trace("/nonexistent/x.trace", r.symbols, r.sink);
    CHECK(r.events().empty());
    REQUIRE(r.errors().size() == 1);
    CHECK(r.error(0).kind == ErrorKind::Io);
    CHECK(r.error(0).fatal);
    CHECK(r.error(0).message == "cannot open '/nonexistent/x.trace': No such file or directory");
    CHECK(r.summary.stopped);
    CHECK(r.summary.events == 0);
}

TEST_CASE("read_trace: a truncated compressed trace delivers what it can, then fails") {
    const std::string text = sample_trace(20000);
    for (const std::string& packed : {gzip(text), zstd(text)}) {
        const auto r = read(packed.substr(0, packed.size() * 3 / 4), "t.trace", Mode::Lenient);
        CHECK(r->events().size() > 1000);
        CHECK(r->events().size() < 20000);
        REQUIRE(r->errors().size() == 1);
        CHECK(r->error(0).kind == ErrorKind::Io);
        CHECK(r->error(0).fatal);
        CHECK((r->error(0).message == "truncated gzip stream" ||
               r->error(0).message == "truncated zstd stream"));
        CHECK(r->summary.stopped);
    }
}

TEST_CASE("read_trace: a truncated compressed JSON document reports Io, not a syntax error") {
    std::string events;
    for (int i = 0; i < 20000; ++i) {
        events += std::string(i ? "," : "") + R"({"ev":"alloc","id":)" + std::to_string(i) +
                  R"(,"type":"list"})";
    }
    const std::string packed =
        gzip(R"({"format":"heaptrace","version":1,"events":[)" + events + "]}");
    const auto r = read(packed.substr(0, packed.size() / 2), "t.json.gz", Mode::Lenient);
    CHECK(r->summary.format == TraceFormat::JsonDocument);
    REQUIRE(r->errors().size() == 1);
    CHECK(r->error(0).kind == ErrorKind::Io);
    CHECK(r->error(0).message == "truncated gzip stream");
}

TEST_CASE("line reader: lines, CRLF, a missing final newline and line numbers") {
    const std::string text = "a\r\nbb\n\nccc";
    ByteSource source = ByteSource::over(text);
    LineReader lines(source);
    Line line;
    REQUIRE(lines.next(line));
    CHECK(line.text == "a");
    CHECK(line.number == 1);
    REQUIRE(lines.next(line));
    CHECK(line.text == "bb");
    REQUIRE(lines.next(line));
    CHECK(line.text.empty());
    CHECK(line.number == 3);
    REQUIRE(lines.next(line));
    CHECK(line.text == "ccc");
    CHECK(line.number == 4);
    CHECK_FALSE(line.too_long);
    CHECK_FALSE(lines.next(line));
}

TEST_CASE("line reader: a line of exactly 1 MiB is fine, one byte more is too long") {
    const std::string max(LineReader::kMaxLine, 'm');
    const std::string text = max + "\n" + max + "m\nend\n";
    ByteSource source = ByteSource::over(text);
    LineReader lines(source);
    Line line;
    REQUIRE(lines.next(line));
    CHECK_FALSE(line.too_long);
    CHECK(line.text.size() == LineReader::kMaxLine);
    REQUIRE(lines.next(line));
    CHECK(line.too_long);
    CHECK(line.number == 2);
    REQUIRE(lines.next(line));
    CHECK(line.text == "end");
    CHECK(line.number == 3);
}

TEST_CASE("line reader: a 40 MB line is skipped chunk by chunk") {
    // The reader's buffer stays at 1 MiB + one chunk; the line is dropped as
    // it streams past (from gzip here, so it never exists whole in memory
    // on the reading side).
    const std::string text = "first\n" + std::string(40 * 1000 * 1000, 'z') + "\nlast\n";
    const std::string gz = gzip(text);
    ByteSource source = ByteSource::over(gz);
    LineReader lines(source);
    Line line;
    REQUIRE(lines.next(line));
    CHECK(line.text == "first");
    REQUIRE(lines.next(line));
    CHECK(line.too_long);
    REQUIRE(lines.next(line));
    CHECK(line.text == "last");
    CHECK(line.number == 3);
    CHECK_FALSE(lines.next(line));
}

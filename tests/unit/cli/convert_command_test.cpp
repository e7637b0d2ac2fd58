// `heapsim convert`: the output encoding from the name or --to, standard
// output, and a failed conversion leaving nothing behind.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command.h"

using namespace heapsim::cli;
namespace fs = std::filesystem;

namespace {

struct Run {
    int status;
    std::string out, err;
};

Run run(std::vector<std::string> args) {
    std::ostringstream out, err;
    CommandIo io{out, err};
    const int status = run_app(std::move(args), io);
    return {status, out.str(), err.str()};
}

struct Workdir {
    fs::path path;
    Workdir() {
        std::string templ = (fs::temp_directory_path() / "heapsim-convert-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~Workdir() { fs::remove_all(path); }
    std::string file(const std::string& name, const std::string& content) const {
        std::ofstream(path / name, std::ios::binary) << content;
        return (path / name).string();
    }
    std::string at(const std::string& name) const { return (path / name).string(); }
    std::string read(const std::string& name) const {
        std::ifstream in(path / name, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

const std::string kTrace = "# comment\ntype N instance\n@7 alloc a N site=s\nbind x a\ncollect\n";
const std::string kCanonical =
    "heaptrace 1\n# end-record: promised\ntype N instance\n@7 alloc a N site=s\nbind x a\ncollect "
    "2\n# end events=4\n";

}  // namespace

TEST_CASE("convert: text -> htb.zst -> jsonl.gz -> text by file names") {
    Workdir dir;
    const std::string in = dir.file("in.trace", kTrace);
    REQUIRE(run({"convert", in, dir.at("a.htb.zst")}).status == 0);
    CHECK(dir.read("a.htb.zst").starts_with("\x28\xb5\x2f\xfd"));
    REQUIRE(run({"convert", dir.at("a.htb.zst"), dir.at("b.jsonl.gz")}).status == 0);
    CHECK(dir.read("b.jsonl.gz").starts_with("\x1f\x8b"));
    const Run back = run({"convert", dir.at("b.jsonl.gz"), "-", "--to", "text"});
    CHECK(back.status == 0);
    CHECK(back.err.empty());
    CHECK(back.out == kCanonical);
    // --to overrides the name.
    REQUIRE(run({"convert", in, dir.at("c.trace"), "--to", "jsonl"}).status == 0);
    CHECK(dir.read("c.trace").starts_with("{\"ev\":\"type\""));
}

TEST_CASE("convert: usage errors exit 2 and write nothing") {
    Workdir dir;
    const std::string in = dir.file("in.trace", kTrace);
    Run r = run({"convert", in, "-"});
    CHECK(r.status == 2);
    CHECK(r.err.starts_with("heapsim convert: writing to standard output needs --to FORMAT"));
    r = run({"convert", in, dir.at("out.bin")});
    CHECK(r.status == 2);
    CHECK(r.err.starts_with("heapsim convert: cannot tell the format of '"));
    r = run({"convert", in, dir.at("out.htb"), "--to", "binary"});
    CHECK(r.status == 2);
    CHECK(r.err.starts_with("heapsim convert: unknown format 'binary'"));
    r = run({"convert", dir.at("missing.trace"), dir.at("out.htb")});
    CHECK(r.status == 2);
    CHECK(!fs::exists(dir.at("out.htb")));
}

TEST_CASE("convert: a bad input gives the reader's FILE:LINE and leaves no output") {
    Workdir dir;
    const std::string in = dir.file("bad.trace", kTrace + "bind x\n");
    const Run r = run({"convert", in, dir.at("out.htb.gz")});
    CHECK(r.status == 2);
    CHECK(r.err == in + ":6: bind: expected NAME ID, got 1 operand\n");
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) ++files;
    CHECK(files == 1);  // only the input: no output, no temporary file
}

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

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// A directory with one trace in it, removed at the end of the test.
struct Workdir {
    fs::path path;
    explicit Workdir(const std::string& trace) {
        std::string templ = (fs::temp_directory_path() / "heapsim-app-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
        std::ofstream(path / "t.trace") << trace;
    }
    ~Workdir() { fs::remove_all(path); }
    std::string trace() const { return (path / "t.trace").string(); }
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
};

}  // namespace

TEST_CASE("--version prints the version and exits 0") {
    const Run r = run({"--version"});
    CHECK(r.status == 0);
    CHECK(r.out == std::string("heapsim ") + HEAPSIM_VERSION + "\n");
}

TEST_CASE("no command is a usage error") {
    const Run r = run({});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "subcommand"));
}

TEST_CASE("--help works on the app and on run") {
    const Run app = run({"--help"});
    CHECK(app.status == 0);
    CHECK(contains(app.out, "run"));
    const Run sub = run({"run", "--help"});
    CHECK(sub.status == 0);
    for (const char* option : {"TRACE", "--policy", "--threshold", "--json", "--format", "--output", "--lenient",
                               "--max-objects", "--max-memory", "cpython-3.11, cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.14.0, cpython-3.15, cpython-3.13t, cpython-3.14t, refcount"}) {
        CAPTURE(option);
        CHECK(contains(sub.out, option));
    }
}

TEST_CASE("usage errors exit 2 with one clear message") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const Case cases[] = {
        {{"run", "x.trace", "--policy", "bogus"}, "unknown policy 'bogus' (valid: cpython-3.11, cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.14.0, cpython-3.15, cpython-3.13t, cpython-3.14t, refcount)"},
        {{"run", "x.trace", "--threshold", "1,2,3,4"}, "invalid threshold '1,2,3,4'"},
        {{"run", "x.trace", "--format", "pdf"}, "unknown format 'pdf'"},
        {{"run", "x.trace", "--pause-model", "no-such"}, "--pause-model no-such: no such model"},
        {{"run", "x.trace", "--max-memory", "lots"}, "invalid size 'lots'"},
        {{"run", "x.trace", "--bogus"}, "--bogus"},
        {{"run"}, "TRACE is required"},
        {{"frobnicate"}, "frobnicate"},
        {{"run", "x.trace", "--json", "-", "--format", "markdown"}, "both want standard output"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.message);
        const Run r = run(c.args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(contains(r.err, c.message));
    }
}

TEST_CASE("run prints the text summary by default") {
    Workdir dir("heaptrace 1\nalloc a list\nbind x a\nunbind x\n");
    const Run r = run({"run", dir.trace()});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("heapsim run: " + dir.trace() + "\n", 0) == 0);
}

TEST_CASE("--json - writes only the JSON document to stdout") {
    Workdir dir("alloc a list\nbind x a\n");
    const Run r = run({"run", dir.trace(), "--json", "-"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("{\n  \"schema\": \"heapsim-report/1\",", 0) == 0);
    CHECK(r.out.back() == '\n');
    CHECK_FALSE(contains(r.out, "heapsim run:"));
}

TEST_CASE("--json FILE and -o FILE write files; stdout keeps what is not redirected") {
    Workdir dir("alloc a list\nbind x a\n");
    const std::string json = (dir.path / "r.json").string();
    const std::string csv = (dir.path / "r.csv").string();
    const Run r = run({"run", dir.trace(), "--json", json, "--format", "csv", "-o", csv});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(dir.entries() == std::vector<std::string>{"r.csv", "r.json", "t.trace"});
    std::ifstream in(csv);
    std::string header;
    std::getline(in, header);
    CHECK(header.rfind("seq,event,", 0) == 0);
}

TEST_CASE("a bad trace: one line on stderr, exit 2, and no report file") {
    Workdir dir("heaptrace 1\nalloc a list\nappend a nosuch\n");
    const std::string json = (dir.path / "out.json").string();
    const Run r = run({"run", dir.trace(), "--json", json});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(dir.trace() + ":3: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(dir.entries() == std::vector<std::string>{"t.trace"});
}

TEST_CASE(
    "--lenient skips bad events and says how many on stderr, with their first lines, kinds in one "
    "order") {
    Workdir dir(
        "heaptrace 1\nalloc a list\nappend a nosuch\nunbind nobody\nbind x a\nunbind no2\n"
        "unbind no3\nunbind no4\n");
    const Run r = run({"run", dir.trace(), "--lenient"});
    CHECK(r.status == 0);
    // ErrorKind order everywhere (unknown-id before unbound-name), whatever the counts.
    const std::string kinds = "5 (unknown-id: 1 (line 3), unbound-name: 4 (lines 4, 6, 7, …))";
    CHECK(contains(r.out, "  skipped events      " + kinds + "\n"));
    CHECK(r.err ==
          "heapsim: skipped " + kinds.substr(0, 1) + " bad events" + kinds.substr(1) + "\n");
    const Run md = run({"run", dir.trace(), "--lenient", "--format", "markdown"});
    CHECK(contains(md.out, "\n**Skipped events** (`--lenient`): " + kinds + "\n"));
    const Run json = run({"run", dir.trace(), "--lenient", "--json", "-"});
    CHECK(contains(json.out,
                   "\"skipped_events\": {\n    \"unknown-id\": 1,\n    \"unbound-name\": 4\n  },\n"
                   "  \"skipped_event_lines\": {\n    \"unknown-id\": [\n      3\n    ],\n"
                   "    \"unbound-name\": [\n      4,\n      6,\n      7\n    ]\n  },\n"));
}

TEST_CASE("a failed expect exits 1 and is listed on stderr") {
    Workdir dir("heaptrace 1\nalloc a list\nbind x a\nunbind x\nexpect alive a\n");
    const Run r = run({"run", dir.trace()});
    CHECK(r.status == 1);
    CHECK(r.err.rfind(dir.trace() + ":5: expect failed: ", 0) == 0);
}

TEST_CASE("a missing trace file is exit 2 with the path named") {
    const Run r = run({"run", "/nonexistent/dir/x.trace"});
    CHECK(r.status == 2);
    CHECK(r.err.rfind("/nonexistent/dir/x.trace", 0) == 0);
}

TEST_CASE("an unwritable report path is exit 2 and names the file") {
    Workdir dir("alloc a list\nbind x a\n");
    const std::string json = (dir.path / "no" / "r.json").string();
    const Run r = run({"run", dir.trace(), "--json", json});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "cannot write '" + json + "'"));
}

TEST_CASE("when one output file cannot be written, none is") {
    Workdir dir("alloc a list\nbind x a\n");
    const std::string json = (dir.path / "r.json").string();
    const std::string csv = (dir.path / "no" / "r.csv").string();
    const Run r = run({"run", dir.trace(), "--json", json, "--format", "csv", "-o", csv});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "cannot write '" + csv + "'"));
    CHECK(dir.entries() == std::vector<std::string>{"t.trace"});
}

TEST_CASE("--max-objects reached exits 3") {
    Workdir dir("alloc a list\nbind x a\nalloc b list\nbind y b\nalloc c list\nbind z c\n");
    const Run r = run({"run", dir.trace(), "--max-objects", "2"});
    CHECK(r.status == 3);
    CHECK(r.err.rfind(dir.trace() + ":", 0) == 0);
}

TEST_CASE("gen rejects counts CLI11 would mangle, with a one-line message") {
    for (const char* events : {"0", "-5", "1e3", "", "99999999999999999999"}) {
        CAPTURE(events);
        const Run r = run({"gen", "--events", events});
        CHECK(r.status == 2);
        CHECK(r.err == std::string("heapsim gen: invalid --events '") + events +
                           "': expected a whole number from 1 to 18446744073709551615\n"
                           "Run 'heapsim gen --help' for usage.\n");
    }
    const Run seed = run({"gen", "--seed", "-1"});
    CHECK(seed.status == 2);
    CHECK(seed.err.starts_with(
        "heapsim gen: invalid --seed '-1': expected a whole number from 0 to "));
    const Run live = run({"gen", "--profile", "web", "--live", "100"});
    CHECK(live.status == 2);
    CHECK(live.err.starts_with("heapsim gen: --live applies to --profile cache only"));
    CHECK(run({"gen", "--profile", "cache", "--live", "100", "--events", "500"}).status == 0);
}

TEST_CASE("unexpected arguments are named as typed") {
    const Run r = run({"verify", "x.trace", "--threshold", "100"});
    CHECK(r.status == 2);
    CHECK(r.err ==
          "heapsim: unexpected arguments '--threshold 100' (no such option here)\n"
          "Run 'heapsim verify --help' for usage.\n");
}

TEST_CASE("compare, sweep and merge are commands, listed among the others") {
    for (const char* command : {"compare", "sweep", "merge"}) {
        const Run r = run({command, "--help"});
        CHECK(r.status == 0);
        CHECK(r.out.find(std::string("heapsim ") + command) != std::string::npos);
    }
    const Run unknown = run({"plot", "x.trace"});
    CHECK(unknown.err.find("(commands: run, verify, gen, convert, import, calibrate, compare, sweep, merge)") !=
          std::string::npos);
}

TEST_CASE("help says what a new user needs: every trace encoding, gen's defaults") {
    const Run run_help = run({"run", "--help"});
    CHECK(run_help.status == 0);
    CHECK(run_help.out.find("binary (.htb)") != std::string::npos);
    CHECK(run_help.out.find("--ignore-trace-thresholds") != std::string::npos);
    CHECK(run_help.out.find("--top N:NONNEGATIVE=10") != std::string::npos);
    const Run gen_help = run({"gen", "--help"});
    CHECK(gen_help.out.find("--events N=10000") != std::string::npos);
    CHECK(gen_help.out.find("--seed S=1") != std::string::npos);
    CHECK(gen_help.out.find("--profile TEXT:{mixed,web,cache,cycles}=mixed") != std::string::npos);
    CHECK(gen_help.out.find("default min(events/8, 100000)") != std::string::npos);
}

TEST_CASE("convert to .json says JSON documents are read-only") {
    for (const char* out :
         {"/tmp/heapsim-never-written.json", "/tmp/heapsim-never-written.json.zst"}) {
        const Run r = run({"convert", HEAPSIM_SOURCE_DIR "/traces/refcount_x_y.trace", out});
        CHECK(r.status == 2);
        CHECK(r.err == std::string("heapsim convert: '") + out +
                           "': a JSON document (.json) can be read but not written; write JSON "
                           "Lines (.jsonl), "
                           "which carry the same events one per line\nRun 'heapsim convert --help' "
                           "for usage.\n");
    }
}

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "platform/atomic_file.h"

using namespace heapsim;
namespace fs = std::filesystem;

namespace {

/// A fresh empty directory, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string templ = (fs::temp_directory_path() / "heapsim-atomic-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~TempDir() { fs::remove_all(path); }
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path)) names.push_back(e.path().filename().string());
        return names;
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("write_file_atomically leaves exactly the final file") {
    TempDir dir;
    const fs::path target = dir.path / "report.json";
    auto error = write_file_atomically(target.string(), [](std::ostream& out) { out << "{\"ok\": true}\n"; });
    CHECK_FALSE(error);
    CHECK(slurp(target) == "{\"ok\": true}\n");
    CHECK(dir.entries() == std::vector<std::string>{"report.json"});
    const auto perms = fs::status(target).permissions();
    CHECK((perms & fs::perms::owner_read) != fs::perms::none);
}

TEST_CASE("write_file_atomically replaces an existing file whole") {
    TempDir dir;
    const fs::path target = dir.path / "out.txt";
    std::ofstream(target) << "old contents that are longer\n";
    CHECK_FALSE(write_file_atomically(target.string(), [](std::ostream& out) { out << "new\n"; }));
    CHECK(slurp(target) == "new\n");
    CHECK(dir.entries().size() == 1);
}

TEST_CASE("a missing directory is an error and creates nothing") {
    TempDir dir;
    const fs::path target = dir.path / "no-such-dir" / "out.json";
    auto error = write_file_atomically(target.string(), [](std::ostream& out) { out << "x"; });
    REQUIRE(error);
    // The message names the call that failed: creating the file in its directory.
    CHECK(*error == "cannot write '" + target.string() + "': cannot create a file in '" +
                        target.parent_path().string() + "': No such file or directory");
    CHECK(dir.entries().empty());
}

TEST_CASE("renaming over a directory fails and leaves no temporary file") {
    TempDir dir;
    fs::create_directory(dir.path / "taken");
    fs::create_directory(dir.path / "taken" / "inner");  // a non-empty directory cannot be replaced
    auto error = write_file_atomically((dir.path / "taken").string(), [](std::ostream& out) { out << "x"; });
    REQUIRE(error);
    CHECK(error->find("cannot write '") == 0);
    CHECK(dir.entries() == std::vector<std::string>{"taken"});
}

TEST_CASE("an exception while writing removes the temporary file") {
    TempDir dir;
    const fs::path target = dir.path / "out.json";
    CHECK_THROWS_AS(write_file_atomically(target.string(),
                                          [](std::ostream& out) {
                                              out << "partial";
                                              throw std::runtime_error("reporter failed");
                                          }),
                    std::runtime_error);
    CHECK(dir.entries().empty());
}

TEST_CASE("an uncommitted AtomicFile is discarded") {
    TempDir dir;
    {
        AtomicFile file((dir.path / "x.csv").string());
        REQUIRE(file.error().empty());
        file.stream() << "a,b\n";
        CHECK(dir.entries().size() == 1);  // the temporary file
    }
    CHECK(dir.entries().empty());
}

TEST_CASE("a device is written in place, never replaced by a rename") {
    struct stat before {};
    REQUIRE(::stat("/dev/null", &before) == 0);
    REQUIRE(S_ISCHR(before.st_mode));
    CHECK_FALSE(write_file_atomically("/dev/null", [](std::ostream& out) { out << "discarded\n"; }));
    struct stat after {};
    REQUIRE(::stat("/dev/null", &after) == 0);
    CHECK(S_ISCHR(after.st_mode));
    CHECK(after.st_rdev == before.st_rdev);
}

TEST_CASE("a FIFO receives the content in place") {
    char dir_template[] = "/tmp/heapsim-fifo-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    const std::string fifo = std::string(dir_template) + "/pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] {
        std::ifstream in(fifo);
        std::getline(in, received);
    });
    CHECK_FALSE(write_file_atomically(fifo, [](std::ostream& out) { out << "through the pipe\n"; }));
    reader.join();
    CHECK(received == "through the pipe");
    struct stat st {};
    REQUIRE(::stat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    std::filesystem::remove_all(dir_template);
}

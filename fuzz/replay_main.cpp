// A main() for builds without libFuzzer (GCC, the normal test suite): runs
// the target once on every file named, or on every file in every directory
// named, so each crash ever found stays a regression test.
//
//   heapsim_fuzz_replay_text fuzz/regressions/text build/fuzz-seeds/text
//
// Files whose name starts with '.' (.gitkeep) are skipped. Exit status 0
// when every input ran; a failing input aborts inside the target, after this
// program names it on standard error.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

/// The files to run, in a stable order so a failure is reproducible.
std::vector<fs::path> inputs_of(const fs::path& arg) {
    std::vector<fs::path> files;
    if (fs::is_directory(arg)) {
        for (const fs::directory_entry& entry : fs::directory_iterator(arg)) {
            if (entry.is_regular_file() && !entry.path().filename().string().starts_with('.'))
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
    } else {
        files.push_back(arg);
    }
    return files;
}

bool run_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "%s: cannot read\n", file.c_str());
        return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "running %s (%zu bytes)\n", file.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t ran = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        if (!fs::exists(argv[i])) {
            std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
            ok = false;
            continue;
        }
        for (const fs::path& file : inputs_of(argv[i])) {
            ok = run_file(file) && ok;
            ++ran;
        }
    }
    std::printf("%zu inputs ran\n", ran);
    return ok ? 0 : 2;
}

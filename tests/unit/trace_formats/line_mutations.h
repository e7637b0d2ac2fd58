#pragma once
// Mutated input lines for the readers' differential tests.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heapsim::test {

// The corpus, then `rounds` mutations (bytes replaced, erased, inserted) of
// lines drawn from its first `sources` lines, with a fixed seed.
inline std::vector<std::string> mutated_lines(const std::vector<std::string>& corpus,
                                              std::size_t sources, std::string_view replace,
                                              std::string_view insert, int rounds) {
    std::vector<std::string> lines = corpus;
    std::uint64_t state = 0x2545F4914F6CDD1Dull;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int round = 0; round < rounds; ++round) {
        std::string line = corpus[next() % sources];
        for (int e = 1 + static_cast<int>(next() % 3); e > 0 && !line.empty(); --e) {
            const std::size_t at = next() % line.size();
            switch (next() % 3) {
                case 0:
                    line[at] = replace[next() % replace.size()];
                    break;
                case 1:
                    line.erase(at, 1 + next() % 4);
                    break;
                case 2:
                    line.insert(at, 1, insert[next() % insert.size()]);
                    break;
            }
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace heapsim::test

#include "trace_formats/block_crc32.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace heapsim;

// The carry-less-multiply path must equal zlib's crc32 bit for bit, for
// every length around its 64- and 16-byte strides and every start value
// (an .htb block's CRC continues from its header's).
TEST_CASE("block_crc32 equals zlib's crc32 at every length and continuation") {
    std::mt19937 rng(13);
    std::vector<unsigned char> data(5000);
    for (unsigned char& b : data) b = static_cast<unsigned char>(rng());
    for (std::size_t n = 0; n <= 300; ++n) {
        for (const std::uint32_t start : {0u, 0xDEADBEEFu}) {
            CHECK(block_crc32(start, data.data() + 3, n) ==
                  block_crc32_portable(start, data.data() + 3, n));
        }
    }
    CHECK(block_crc32(0, data.data(), data.size()) ==
          block_crc32_portable(0, data.data(), data.size()));
    // Known value: the CRC-32 check string.
    const unsigned char check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    CHECK(block_crc32(0, check, 9) == 0xCBF43926u);
    std::vector<unsigned char> zeros(1000, 0);
    CHECK(block_crc32(0, zeros.data(), zeros.size()) ==
          block_crc32_portable(0, zeros.data(), zeros.size()));
}

#pragma once
// CRC-32 (zlib's crc32: the gzip polynomial, reflected) of an .htb block.
//
// zlib 1.2.13's crc32 costs ~4 instructions per byte, ~26 per event of a
// binary trace (an event takes ~6.8 bytes). With the CPU's carry-less
// multiply (PCLMULQDQ, every x86-64 since 2010) a 64-byte stride folds in
// a dozen instructions; this file does that behind a runtime check and
// falls back to zlib elsewhere. The folding constants and steps are those
// of Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ"
// (Gopal et al., 2009), as used by zlib-ng and Chromium's zlib.

#include <cstddef>
#include <cstdint>

namespace heapsim {

/// The zlib crc32 of `data[0, n)` continuing from `crc` (0 to start):
/// crc32(crc, data, n) of zlib, bit for bit.
std::uint32_t block_crc32(std::uint32_t crc, const unsigned char* data, std::size_t n);

/// The same through zlib only: the reference the fast path is tested against.
std::uint32_t block_crc32_portable(std::uint32_t crc, const unsigned char* data, std::size_t n);

}  // namespace heapsim

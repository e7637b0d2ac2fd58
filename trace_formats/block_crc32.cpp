#include "trace_formats/block_crc32.h"

#include <zlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HEAPSIM_CRC_CLMUL 1
#endif

namespace heapsim {

std::uint32_t block_crc32_portable(std::uint32_t crc, const unsigned char* data, std::size_t n) {
    // zlib takes a uInt length: feed it in pieces below 4 GiB.
    while (n > 0) {
        const std::size_t step = n < (std::size_t{1} << 30) ? n : (std::size_t{1} << 30);
        crc = static_cast<std::uint32_t>(crc32(crc, data, static_cast<uInt>(step)));
        data += step;
        n -= step;
    }
    return crc;
}

#ifdef HEAPSIM_CRC_CLMUL
namespace {

// The bit-reflected constants of the paper for the gzip polynomial:
// x^(4*128+32), x^(4*128-32) mod P (4-way fold), x^(128+32), x^(128-32)
// (one 128-bit fold), x^64 mod P, then P and mu for the Barrett reduction.
alignas(16) constexpr std::uint64_t kK1K2[2] = {0x0154442bd4, 0x01c6e41596};
alignas(16) constexpr std::uint64_t kK3K4[2] = {0x01751997d0, 0x00ccaa009e};
alignas(16) constexpr std::uint64_t kK5K0[2] = {0x0163cd6124, 0x0000000000};
alignas(16) constexpr std::uint64_t kPoly[2] = {0x01db710641, 0x01f7011641};

#define HEAPSIM_CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

HEAPSIM_CLMUL_TARGET inline __m128i load16(const unsigned char* q) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
}

// x folded 128 bits forward over the constants k, then xor-ed with next.
HEAPSIM_CLMUL_TARGET inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    const __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
    const __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, lo), next);
}

// `n` >= 64 and a multiple of 16; `crc` is the raw (inverted) register.
HEAPSIM_CLMUL_TARGET std::uint32_t fold_clmul(std::uint32_t crc, const unsigned char* p,
                                              std::size_t n) {
    __m128i x1 = _mm_xor_si128(load16(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
    __m128i x2 = load16(p + 16), x3 = load16(p + 32), x4 = load16(p + 48);
    __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(kK1K2));
    p += 64;
    n -= 64;
    for (; n >= 64; p += 64, n -= 64) {
        x1 = fold(x1, k, load16(p));
        x2 = fold(x2, k, load16(p + 16));
        x3 = fold(x3, k, load16(p + 32));
        x4 = fold(x4, k, load16(p + 48));
    }
    k = _mm_load_si128(reinterpret_cast<const __m128i*>(kK3K4));
    x1 = fold(x1, k, x2);
    x1 = fold(x1, k, x3);
    x1 = fold(x1, k, x4);
    for (; n >= 16; p += 16, n -= 16) x1 = fold(x1, k, load16(p));
    // 128 bits to 64.
    const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
    x2 = _mm_clmulepi64_si128(x1, k, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    k = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kK5K0));
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k, 0x00), x2);
    // Barrett reduction to 32 bits.
    k = _mm_load_si128(reinterpret_cast<const __m128i*>(kPoly));
    x2 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k, 0x10);
    x2 = _mm_clmulepi64_si128(_mm_and_si128(x2, mask32), k, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return static_cast<std::uint32_t>(_mm_extract_epi32(x1, 1));
}

bool has_clmul() {
    static const bool yes = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    return yes;
}

}  // namespace
#endif

std::uint32_t block_crc32(std::uint32_t crc, const unsigned char* data, std::size_t n) {
#ifdef HEAPSIM_CRC_CLMUL
    if (n >= 64 && has_clmul()) {
        const std::size_t body = n & ~std::size_t{15};
        crc = ~fold_clmul(~crc, data, body);
        data += body;
        n -= body;
    }
#endif
    return block_crc32_portable(crc, data, n);
}

}  // namespace heapsim

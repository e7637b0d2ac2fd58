#pragma once
// The readers' fast paths classify a short line 16 bytes at a time: one bit
// per byte in each of a few 64-bit masks (blank, NAME byte, ID byte, digit,
// plain label byte, ...), from which tokens, their classes and their
// separators are read with bit operations instead of a table load and a
// branch per byte. SSE2 (the x86-64 baseline) where there is one; a plain
// loop elsewhere, giving the same masks.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "trace_formats/operand_rules.h"

namespace heapsim {

/// Bytes after the end of a line that the fast paths may read (masked out
/// of every result): the line buffer keeps this much readable past its
/// data, and a caller without it gives the line in a padded copy.
inline constexpr std::size_t kLinePadding = 64;
/// Longest line the mask-based fast paths take: one bit per byte.
inline constexpr std::size_t kMaskedLine = 64;

/// The lowest `k` bits set, for k in [0, 64].
inline std::uint64_t low_bits(unsigned k) {
    return k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1;
}

/// `k` bits set from bit `from` (a token's bytes), 1 <= k, k + from <= 64:
/// no branch for the k = 64 case that low_bits() needs.
inline std::uint64_t token_span(unsigned from, unsigned k) {
    return (~std::uint64_t{0} >> (64 - k)) << from;
}

inline std::uint64_t load_u64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

/// The first n <= 8 bytes of a padded p as a little-endian word, zero-padded.
inline std::uint64_t padded_word(const char* p, unsigned n) {
    return load_u64(p) & low_bits(8 * n);
}

/// A short literal as padded_word() reads it, for compares.
template <std::size_t N>
constexpr std::uint64_t word_of(const char (&s)[N]) {
    static_assert(N - 1 <= 8);
    std::uint64_t w = 0;
    for (std::size_t i = 0; i + 1 < N; ++i)
        w |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
    return w;
}

struct ByteMasks {
    std::uint64_t blank = 0;  // ' ' or '\t'
    std::uint64_t name = 0;   // a NAME byte (kNameChar): A-Za-z0-9_.:/-
    std::uint64_t id = 0;     // an ID byte (kIdChar): the NAME bytes but '/'
    std::uint64_t digit = 0;  // 0-9
    std::uint64_t label = 0;  // printable ASCII but space and '#'
    std::uint64_t quote = 0;  // '"'
    std::uint64_t plain =
        0;  // printable ASCII but '"' and '\\' (JSON string bytes without escapes)
};

/// Clears every mask's bits from n on (the SIMD blocks classify whole
/// blocks, past the line's end).
inline void keep_first(ByteMasks& m, std::size_t n) {
    const std::uint64_t valid = low_bits(static_cast<unsigned>(n));
    m.blank &= valid;
    m.name &= valid;
    m.id &= valid;
    m.digit &= valid;
    m.label &= valid;
    m.quote &= valid;
    m.plain &= valid;
}

namespace detail {

#if defined(__SSE2__)
// Bytes of x in [lo, hi]: x - lo moved into the signed range and compared
// once, instead of two unsigned compares.
inline __m128i in_range(__m128i x, unsigned lo, unsigned hi) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>((0x80 - lo) & 0xFF)));
    return _mm_cmplt_epi8(shifted,
                          _mm_set1_epi8(static_cast<char>(static_cast<int>(hi - lo) + 1 - 128)));
}
inline std::uint64_t bits(__m128i m, unsigned block) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m))) << (16 * block);
}
#endif

inline bool is_label_byte(unsigned c) {
    return c > 0x20 && c < 0x7f && c != '#';
}
inline bool is_plain_byte(unsigned c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

}  // namespace detail

/// The masks of the first n <= 64 bytes at p (bits from n on are zero);
/// p[0, 64) must be readable (kLinePadding past a line's end).
inline ByteMasks classify_bytes(const char* p, std::size_t n) {
    ByteMasks m;
#if defined(__SSE2__)
    const unsigned blocks = static_cast<unsigned>((n + 15) / 16);
    for (unsigned b = 0; b < blocks; ++b) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * b));
        const __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                           _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
        const __m128i slash = _mm_cmpeq_epi8(x, _mm_set1_epi8('/'));
        // '-' to ':' is - . / 0-9 :; letters either case; '_'.
        const __m128i name = _mm_or_si128(
            _mm_or_si128(detail::in_range(x, '-', ':'),
                         detail::in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z')),
            _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
        const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
        const __m128i printable = detail::in_range(x, 0x20, 0x7e);
        m.blank |= detail::bits(blank, b);
        m.name |= detail::bits(name, b);
        m.id |= detail::bits(_mm_andnot_si128(slash, name), b);
        m.digit |= detail::bits(detail::in_range(x, '0', '9'), b);
        m.label |= detail::bits(
            _mm_andnot_si128(_mm_or_si128(blank, _mm_cmpeq_epi8(x, _mm_set1_epi8('#'))), printable),
            b);
        m.quote |= detail::bits(quote, b);
        m.plain |= detail::bits(
            _mm_andnot_si128(_mm_or_si128(quote, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                             printable),
            b);
    }
    keep_first(m, n);
#else
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned c = static_cast<unsigned char>(p[i]);
        const std::uint64_t bit = std::uint64_t{1} << i;
        if (c == ' ' || c == '\t') m.blank |= bit;
        if (kTokenChars[c] & kNameChar) m.name |= bit;
        if (kTokenChars[c] & kIdChar) m.id |= bit;
        if (c >= '0' && c <= '9') m.digit |= bit;
        if (detail::is_label_byte(c)) m.label |= bit;
        if (c == '"') m.quote |= bit;
        if (detail::is_plain_byte(c)) m.plain |= bit;
    }
#endif
    return m;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HEAPSIM_AVX2_PATH 1

/// True when the CPU running us has AVX2 (the x86-64 baseline is SSE2, so
/// the AVX2 code is compiled with a target attribute and chosen at run
/// time). Asked once per reader, not per line.
inline bool cpu_has_avx2() {
    return __builtin_cpu_supports("avx2");
}

namespace detail {
// The constants of classify_bytes_avx2, each byte repeated 32 times. Read
// through an opaque pointer (opaque()): GCC would otherwise rebuild each
// one per call from an immediate (mov, vmovd, vpbroadcastb: ~40
// instructions a line) instead of folding it into the compare as a memory
// operand.
struct alignas(32) Avx2Splats {
    struct alignas(32) Splat {
        std::uint8_t b[32];
    };
    static constexpr Splat splat(unsigned c) {
        Splat s{};
        for (std::uint8_t& x : s.b) x = static_cast<std::uint8_t>(c);
        return s;
    }
    // in_range(x, lo, hi) as x + (0x80 - lo) < (hi - lo + 1 - 128), signed.
    static constexpr Splat bias(unsigned lo) { return splat((0x80 - lo) & 0xFF); }
    static constexpr Splat limit(unsigned lo, unsigned hi) {
        return splat((hi - lo + 1 + 128) & 0xFF);
    }
    Splat space = splat(' '), tab = splat('\t'), slash = splat('/'), underscore = splat('_'),
          quote = splat('"'), hash = splat('#'), backslash = splat('\\'), lower = splat(0x20),
          newline = splat('\n');
    Splat punct_bias = bias('-'), punct_limit = limit('-', ':');
    Splat alpha_bias = bias('a'), alpha_limit = limit('a', 'z');
    Splat print_bias = bias(0x20), print_limit = limit(0x20, 0x7e);
    Splat digit_bias = bias('0'), digit_limit = limit('0', '9');
};
inline constexpr Avx2Splats kAvx2Splats{};

[[gnu::target("avx2")]] inline __m256i splat256(const Avx2Splats::Splat& s) {
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(s.b));
}
[[gnu::target("avx2")]] inline __m256i in_range256(__m256i x, const Avx2Splats::Splat& bias,
                                                   const Avx2Splats::Splat& limit) {
    return _mm256_cmpgt_epi8(splat256(limit), _mm256_add_epi8(x, splat256(bias)));
}

[[gnu::target("avx2")]] inline std::uint64_t bits256(__m256i v, unsigned shift) {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(v))) << shift;
}

// The masks of the 32 bytes at p, as classify_bytes() computes them.
[[gnu::target("avx2")]] inline void classify_block256(const char* p, const Avx2Splats& k,
                                                      unsigned shift, ByteMasks& m) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i blank = _mm256_or_si256(_mm256_cmpeq_epi8(x, splat256(k.space)),
                                          _mm256_cmpeq_epi8(x, splat256(k.tab)));
    const __m256i name = _mm256_or_si256(
        _mm256_or_si256(
            in_range256(x, k.punct_bias, k.punct_limit),
            in_range256(_mm256_or_si256(x, splat256(k.lower)), k.alpha_bias, k.alpha_limit)),
        _mm256_cmpeq_epi8(x, splat256(k.underscore)));
    const __m256i quote = _mm256_cmpeq_epi8(x, splat256(k.quote));
    const __m256i printable = in_range256(x, k.print_bias, k.print_limit);
    m.blank |= bits256(blank, shift);
    m.name |= bits256(name, shift);
    m.id |= bits256(_mm256_andnot_si256(_mm256_cmpeq_epi8(x, splat256(k.slash)), name), shift);
    m.digit |= bits256(in_range256(x, k.digit_bias, k.digit_limit), shift);
    m.label |=
        bits256(_mm256_andnot_si256(_mm256_or_si256(blank, _mm256_cmpeq_epi8(x, splat256(k.hash))),
                                    printable),
                shift);
    m.quote |= bits256(quote, shift);
    m.plain |=
        bits256(_mm256_andnot_si256(
                    _mm256_or_si256(quote, _mm256_cmpeq_epi8(x, splat256(k.backslash))), printable),
                shift);
}
}  // namespace detail

/// classify_bytes() 32 bytes at a time: the same masks, in half the
/// blocks. Only for code compiled with the avx2 target, on a CPU that has
/// it (cpu_has_avx2()).
[[gnu::target("avx2")]] inline ByteMasks classify_bytes_avx2(const char* p, std::size_t n) {
    const detail::Avx2Splats* k = &detail::kAvx2Splats;
    asm("" : "+r"(k));  // opaque: see Avx2Splats
    ByteMasks m;
    if (n != 0) detail::classify_block256(p, *k, 0, m);
    if (n > 32) detail::classify_block256(p + 32, *k, 32, m);
    keep_first(m, n);
    return m;
}

/// The newline bits of the 32 bytes at p.
[[gnu::target("avx2")]] inline std::uint64_t newline_bits256(const char* p,
                                                             const detail::Avx2Splats& k,
                                                             unsigned shift) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    return detail::bits256(_mm256_cmpeq_epi8(x, detail::splat256(k.newline)), shift);
}

/// A line found while classifying it: the masks of its `length` bytes
/// (bits from length on are zero), or length == kMaskedLine when no
/// newline is among the first kMaskedLine bytes.
struct ClassifiedLine {
    ByteMasks masks;
    std::size_t length;
};

/// classify_bytes_avx2() of the line at p, whose end is its first '\n':
/// the newline is found in the same 32-byte blocks (a second block only
/// when the first has none), so a reader needs no separate newline search.
/// p[0, 64) must be readable.
[[gnu::target("avx2")]] inline ClassifiedLine classify_line_avx2(const char* p) {
    const detail::Avx2Splats* k = &detail::kAvx2Splats;
    asm("" : "+r"(k));  // opaque: see Avx2Splats
    ClassifiedLine line{};
    std::uint64_t newline = newline_bits256(p, *k, 0);
    detail::classify_block256(p, *k, 0, line.masks);
    if (newline == 0) {
        newline = newline_bits256(p + 32, *k, 32);
        detail::classify_block256(p + 32, *k, 32, line.masks);
    }
    line.length = newline == 0 ? kMaskedLine : static_cast<std::size_t>(std::countr_zero(newline));
    keep_first(line.masks, line.length);
    return line;
}
#endif

/// classify_bytes() of n <= 16 bytes: one block, always inline, so a
/// caller that reads two or three of the masks computes only those.
[[gnu::always_inline]] inline ByteMasks classify_block16(const char* p, std::size_t n) {
#if defined(__SSE2__)
    ByteMasks m;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i blank =
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
    const __m128i slash = _mm_cmpeq_epi8(x, _mm_set1_epi8('/'));
    const __m128i name =
        _mm_or_si128(_mm_or_si128(detail::in_range(x, '-', ':'),
                                  detail::in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
    const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    const __m128i printable = detail::in_range(x, 0x20, 0x7e);
    const std::uint64_t valid = low_bits(static_cast<unsigned>(n));
    m.blank = detail::bits(blank, 0) & valid;
    m.name = detail::bits(name, 0) & valid;
    m.id = detail::bits(_mm_andnot_si128(slash, name), 0) & valid;
    m.digit = detail::bits(detail::in_range(x, '0', '9'), 0) & valid;
    m.label =
        detail::bits(
            _mm_andnot_si128(_mm_or_si128(blank, _mm_cmpeq_epi8(x, _mm_set1_epi8('#'))), printable),
            0) &
        valid;
    m.quote = detail::bits(quote, 0) & valid;
    m.plain =
        detail::bits(_mm_andnot_si128(_mm_or_si128(quote, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                      printable),
                     0) &
        valid;
    return m;
#else
    return classify_bytes(p, n);
#endif
}

/// The value of n <= 19 decimal digits at p (already known to be digits).
inline std::uint64_t digits_value(const char* p, unsigned n) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < n; ++i) value = value * 10 + static_cast<unsigned>(p[i] - '0');
    return value;
}

}  // namespace heapsim

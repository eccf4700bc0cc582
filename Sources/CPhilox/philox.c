/* Philox4x32-10 in SIMD lanes; see include/CPhilox.h. */
#pragma STDC FP_CONTRACT OFF
#include "CPhilox.h"

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define MULTIPLIER0 0xD2511F53u
#define MULTIPLIER1 0xCD9E8D57u
#define WEYL0 0x9E3779B9u
#define WEYL1 0xBB67AE85u

/* The ten round keys of a seed (low word, high word). */
static inline void round_keys(uint64_t seed, uint32_t k0[10], uint32_t k1[10])
{
    uint32_t a = (uint32_t)seed, b = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        k0[round] = a;
        k1[round] = b;
        a += WEYL0;
        b += WEYL1;
    }
}

/* ---- scalar: the reference every vector path must match ---- */

static inline void block1(uint32_t c[4], const uint32_t k0[10], const uint32_t k1[10])
{
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)MULTIPLIER0 * c[0], p1 = (uint64_t)MULTIPLIER1 * c[2];
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c[1] ^ k0[round], n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c[3] ^ k1[round], n3 = (uint32_t)p0;
        c[0] = n0; c[1] = n1; c[2] = n2; c[3] = n3;
    }
}

static inline double unit1(uint32_t low, uint32_t high)
{
    return (double)((((uint64_t)high << 32) | low) >> 11) * 0x1p-53;
}

static inline __attribute__((always_inline)) void pair1(uint64_t index, uint64_t stream, const uint32_t k0[10],
                                                        const uint32_t k1[10], double *x, double *y)
{
    uint32_t c[4] = {(uint32_t)index, (uint32_t)(index >> 32), (uint32_t)stream, (uint32_t)(stream >> 32)};
    block1(c, k0, k1);
    *x = unit1(c[0], c[1]);
    *y = unit1(c[2], c[3]);
}

static inline __attribute__((always_inline)) int64_t darts_scalar_tail(const uint32_t k0[10], const uint32_t k1[10],
                                                                      uint64_t first, size_t count)
{
    int64_t inside = 0;
    for (size_t i = 0; i < count; i++) {
        double x, y;
        pair1(first + i, 0, k0, k1, &x, &y);
        /* Two roundings, as Swift's x * x + y * y (FP_CONTRACT OFF above). */
        double xx = x * x, yy = y * y;
        inside += xx + yy < 1.0;
    }
    return inside;
}

static inline __attribute__((always_inline)) void pairs_scalar_tail(const uint32_t k0[10], const uint32_t k1[10],
                                                                   const uint64_t *index, uint64_t stream, size_t n,
                                                                   double *first, double *second)
{
    for (size_t i = 0; i < n; i++) pair1(index[i], stream, k0, k1, &first[i], &second[i]);
}

static int64_t darts_scalar(uint64_t seed, uint64_t first, size_t count)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    return darts_scalar_tail(k0, k1, first, count);
}

static void pairs_scalar(uint64_t seed, const uint64_t *index, uint64_t stream, size_t n, double *first, double *second)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    pairs_scalar_tail(k0, k1, index, stream, n, first, second);
}

/* ---- AVX2: four counters, one per 64-bit lane (words kept in the low 32 bits) ---- */

#define AVX2 __attribute__((target("avx2")))

/* Rounds of `sets` independent groups of four counters, interleaved (as block8 below). */
AVX2 static inline __attribute__((always_inline)) void block4(__m256i c[][4], int sets, const uint32_t k0[10],
                                                             const uint32_t k1[10])
{
    const __m256i m0 = _mm256_set1_epi64x(MULTIPLIER0), m1 = _mm256_set1_epi64x(MULTIPLIER1);
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
    for (int round = 0; round < 10; round++) {
        const __m256i key0 = _mm256_set1_epi64x(k0[round]), key1 = _mm256_set1_epi64x(k1[round]);
        for (int set = 0; set < sets; set++) {
            __m256i p0 = _mm256_mul_epu32(c[set][0], m0), p1 = _mm256_mul_epu32(c[set][2], m1);
            c[set][0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c[set][1]), key0);
            c[set][2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c[set][3]), key1);
            c[set][1] = _mm256_and_si256(p1, low);
            c[set][3] = _mm256_and_si256(p0, low);
        }
    }
}

/* (high:low) >> 11 scaled by 2^-53: the 53-bit value's upper 21 and lower 32 bits each become a
 * double exactly (or-ing them into the mantissa of 2^52), and their sum is exact. */
AVX2 static inline __m256d unit4(__m256i low, __m256i high)
{
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000LL);
    const __m256d two52 = _mm256_set1_pd(0x1p52);
    __m256i value = _mm256_or_si256(_mm256_slli_epi64(high, 21), _mm256_srli_epi64(low, 11));
    __m256i upper = _mm256_srli_epi64(value, 32), lower = _mm256_and_si256(value, _mm256_set1_epi64x(0xFFFFFFFF));
    __m256d du = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(upper, magic)), two52);
    __m256d dl = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(lower, magic)), two52);
    return _mm256_mul_pd(_mm256_add_pd(_mm256_mul_pd(du, _mm256_set1_pd(0x1p32)), dl), _mm256_set1_pd(0x1p-53));
}

AVX2 static int64_t darts_avx2(uint64_t seed, uint64_t first, size_t count)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    const __m256i lanes = _mm256_set_epi64x(3, 2, 1, 0), low = _mm256_set1_epi64x(0xFFFFFFFF);
    const __m256d one = _mm256_set1_pd(1.0);
    enum { SETS = 2 };
    int64_t inside = 0;
    size_t i = 0;
    for (; i + 4 * SETS <= count; i += 4 * SETS) {
        __m256i c[SETS][4];
        for (int set = 0; set < SETS; set++) {
            __m256i index = _mm256_add_epi64(_mm256_set1_epi64x((long long)(first + i + 4 * set)), lanes);
            c[set][0] = _mm256_and_si256(index, low);
            c[set][1] = _mm256_srli_epi64(index, 32);
            c[set][2] = c[set][3] = _mm256_setzero_si256();
        }
        block4(c, SETS, k0, k1);
        for (int set = 0; set < SETS; set++) {
            __m256d x = unit4(c[set][0], c[set][1]), y = unit4(c[set][2], c[set][3]);
            __m256d r = _mm256_add_pd(_mm256_mul_pd(x, x), _mm256_mul_pd(y, y));
            inside += __builtin_popcount((unsigned)_mm256_movemask_pd(_mm256_cmp_pd(r, one, _CMP_LT_OQ)));
        }
    }
    return inside + darts_scalar_tail(k0, k1, first + i, count - i);
}

AVX2 static void pairs_avx2(uint64_t seed, const uint64_t *index, uint64_t stream, size_t n, double *first,
                            double *second)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
    const __m256i s0 = _mm256_set1_epi64x((uint32_t)stream), s1 = _mm256_set1_epi64x((uint32_t)(stream >> 32));
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256i at = _mm256_loadu_si256((const __m256i *)(index + i));
        __m256i c[1][4] = {{_mm256_and_si256(at, low), _mm256_srli_epi64(at, 32), s0, s1}};
        block4(c, 1, k0, k1);
        _mm256_storeu_pd(first + i, unit4(c[0][0], c[0][1]));
        _mm256_storeu_pd(second + i, unit4(c[0][2], c[0][3]));
    }
    pairs_scalar_tail(k0, k1, index + i, stream, n - i, first + i, second + i);
}

/* ---- AVX-512: eight counters, one per 64-bit lane ---- */

#define AVX512 __attribute__((target("avx512f,avx512dq")))

/* Rounds of `sets` independent groups of eight counters, interleaved so the multiplier's latency
 * of one group hides behind the others' work. */
AVX512 static inline __attribute__((always_inline)) void block8(__m512i c[][4], int sets, const uint32_t k0[10],
                                                               const uint32_t k1[10])
{
    const __m512i m0 = _mm512_set1_epi64(MULTIPLIER0), m1 = _mm512_set1_epi64(MULTIPLIER1);
    const __m512i low = _mm512_set1_epi64(0xFFFFFFFF);
    for (int round = 0; round < 10; round++) {
        const __m512i key0 = _mm512_set1_epi64(k0[round]), key1 = _mm512_set1_epi64(k1[round]);
        for (int set = 0; set < sets; set++) {
            __m512i p0 = _mm512_mul_epu32(c[set][0], m0), p1 = _mm512_mul_epu32(c[set][2], m1);
            c[set][0] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), c[set][1], key0, 0x96);
            c[set][2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), c[set][3], key1, 0x96);
            c[set][1] = _mm512_and_si512(p1, low);
            c[set][3] = _mm512_and_si512(p0, low);
        }
    }
}

AVX512 static inline __m512d unit8(__m512i low, __m512i high)
{
    __m512i value = _mm512_or_si512(_mm512_slli_epi64(high, 21), _mm512_srli_epi64(low, 11));
    return _mm512_mul_pd(_mm512_cvtepu64_pd(value), _mm512_set1_pd(0x1p-53));
}

AVX512 static int64_t darts_avx512(uint64_t seed, uint64_t first, size_t count)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0), low = _mm512_set1_epi64(0xFFFFFFFF);
    const __m512d one = _mm512_set1_pd(1.0);
    enum { SETS = 4 };
    int64_t inside = 0;
    size_t i = 0;
    for (; i + 8 * SETS <= count; i += 8 * SETS) {
        __m512i c[SETS][4];
        for (int set = 0; set < SETS; set++) {
            __m512i index = _mm512_add_epi64(_mm512_set1_epi64((long long)(first + i + 8 * set)), lanes);
            c[set][0] = _mm512_and_si512(index, low);
            c[set][1] = _mm512_srli_epi64(index, 32);
            c[set][2] = c[set][3] = _mm512_setzero_si512();
        }
        block8(c, SETS, k0, k1);
        for (int set = 0; set < SETS; set++) {
            __m512d x = unit8(c[set][0], c[set][1]), y = unit8(c[set][2], c[set][3]);
            __m512d r = _mm512_add_pd(_mm512_mul_pd(x, x), _mm512_mul_pd(y, y));
            inside += __builtin_popcount((unsigned)_mm512_cmp_pd_mask(r, one, _CMP_LT_OQ));
        }
    }
    return inside + darts_scalar_tail(k0, k1, first + i, count - i);
}

AVX512 static void pairs_avx512(uint64_t seed, const uint64_t *index, uint64_t stream, size_t n, double *first,
                                double *second)
{
    uint32_t k0[10], k1[10];
    round_keys(seed, k0, k1);
    const __m512i low = _mm512_set1_epi64(0xFFFFFFFF);
    const __m512i s0 = _mm512_set1_epi64((uint32_t)stream), s1 = _mm512_set1_epi64((uint32_t)(stream >> 32));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512i at = _mm512_loadu_si512((const void *)(index + i));
        __m512i c[1][4] = {{_mm512_and_si512(at, low), _mm512_srli_epi64(at, 32), s0, s1}};
        block8(c, 1, k0, k1);
        _mm512_storeu_pd(first + i, unit8(c[0][0], c[0][1]));
        _mm512_storeu_pd(second + i, unit8(c[0][2], c[0][3]));
    }
    pairs_scalar_tail(k0, k1, index + i, stream, n - i, first + i, second + i);
}

/* ---- choosing a path ---- */

int cphilox_supports(int path)
{
    __builtin_cpu_init();
    switch (path) {
    case CPHILOX_SCALAR: return 1;
    case CPHILOX_AVX2: return __builtin_cpu_supports("avx2");
    case CPHILOX_AVX512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    default: return 0;
    }
}

int cphilox_path(void)
{
    static int chosen = -1;
    int path = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (path >= 0) return path;
    path = cphilox_supports(CPHILOX_AVX512) ? CPHILOX_AVX512 : cphilox_supports(CPHILOX_AVX2) ? CPHILOX_AVX2
                                                                                             : CPHILOX_SCALAR;
    const char *asked = getenv("SPMD_VECTOR");
    if (asked) {
        int wanted = strcmp(asked, "scalar") == 0 ? CPHILOX_SCALAR : strcmp(asked, "avx2") == 0 ? CPHILOX_AVX2
                   : strcmp(asked, "avx512") == 0 ? CPHILOX_AVX512 : path;
        if (wanted < path) path = wanted;
    }
    __atomic_store_n(&chosen, path, __ATOMIC_RELAXED);
    return path;
}

int64_t cphilox_darts_inside_on(int path, uint64_t seed, uint64_t first, size_t count)
{
    if (path == CPHILOX_AVX512 && cphilox_supports(path)) return darts_avx512(seed, first, count);
    if (path >= CPHILOX_AVX2 && cphilox_supports(CPHILOX_AVX2)) return darts_avx2(seed, first, count);
    return darts_scalar(seed, first, count);
}

int64_t cphilox_darts_inside(uint64_t seed, uint64_t first, size_t count)
{
    return cphilox_darts_inside_on(cphilox_path(), seed, first, count);
}

void cphilox_uniform_pairs_on(int path, uint64_t seed, const uint64_t *index, uint64_t stream, size_t n,
                              double *first, double *second)
{
    if (path == CPHILOX_AVX512 && cphilox_supports(path)) return pairs_avx512(seed, index, stream, n, first, second);
    if (path >= CPHILOX_AVX2 && cphilox_supports(CPHILOX_AVX2)) return pairs_avx2(seed, index, stream, n, first, second);
    pairs_scalar(seed, index, stream, n, first, second);
}

void cphilox_uniform_pairs(uint64_t seed, const uint64_t *index, uint64_t stream, size_t n, double *first,
                           double *second)
{
    cphilox_uniform_pairs_on(cphilox_path(), seed, index, stream, n, first, second);
}

/*
 * avx2.c - the AVX2 path of CVectorMath: two vectors of four make the eight partial sums.
 * sin is SLEEF's, evaluated inline where SLEEF takes its short path (sleef_sin_u35.h).
 * Built with -mavx2 -mfma (Package.swift), so that clang passes the 256-bit vectors to SLEEF in
 * registers, as SLEEF expects; the target attributes say the same to GCC, which bench/ uses to
 * compile this file into the C references. No FMA contraction: the same rounded operations as the
 * scalar path.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif

#include "include/vectormath_avx2.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <math.h>

#define AVX2 __attribute__((target("avx2,fma")))

/* SLEEF 3.5's declarations (its header shows them only to code built with -mavx2). */
AVX2 __m256d Sleef_finz_sind4_u35avx2(__m256d);
AVX2 __m256d Sleef_finz_logd4_u35avx2(__m256d);

#include "include/sleef_sin_u35.h"

/* SLEEF's sin, u35, inline (see sleef_sin_u35.h): dql = rint(x/π), d = x − dql·π in two FMAs,
 * d negated for odd dql, s = d², u = polynomial(s), result d + s·(u·d); −0 stays −0. A vector
 * with an element at 15 or beyond, or not a number, goes to SLEEF itself. */
AVX2 static inline __m256d sin4_short_unsigned_zero(__m256d x);

AVX2 static inline __m256d sin4_short(__m256d x)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d negative_zero = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_castpd_si256(x), _mm256_castpd_si256(sign)));
    return _mm256_blendv_pd(sin4_short_unsigned_zero(x), x, negative_zero);
}

/* The short path but for the sign of sin(−0): +0 here. Row sums use it: a partial sum starts at +0
 * and so is never −0, and adding +0 or −0 to it gives the same bits. */
AVX2 static inline __m256d sin4_short_unsigned_zero(__m256d x)
{
    __m256d dql = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(SIN_1_PI)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256d d = _mm256_fmadd_pd(dql, _mm256_set1_pd(-SIN_PI_A2), x);
    d = _mm256_fmadd_pd(dql, _mm256_set1_pd(-SIN_PI_B2), d);
    __m256d s = _mm256_mul_pd(d, d);
    /* dql is a small integer: 1.5·2^52 + dql has its parity in the lowest bit, shifted to the sign. */
    __m256i odd = _mm256_slli_epi64(_mm256_castpd_si256(_mm256_add_pd(dql, _mm256_set1_pd(0x1.8p52))), 63);
    d = _mm256_xor_pd(d, _mm256_castsi256_pd(odd));
    __m256d s2 = _mm256_mul_pd(s, s), s4 = _mm256_mul_pd(s2, s2);
    __m256d high = _mm256_fmadd_pd(s2, _mm256_fmadd_pd(s, _mm256_set1_pd(SIN_C7), _mm256_set1_pd(SIN_C6)),
                                   _mm256_fmadd_pd(s, _mm256_set1_pd(SIN_C5), _mm256_set1_pd(SIN_C4)));
    __m256d low = _mm256_fmadd_pd(s2, _mm256_fmadd_pd(s, _mm256_set1_pd(SIN_C3), _mm256_set1_pd(SIN_C2)),
                                  _mm256_fmadd_pd(s, _mm256_set1_pd(SIN_C1), _mm256_set1_pd(SIN_C0)));
    __m256d u = _mm256_fmadd_pd(_mm256_fmadd_pd(s4, high, low), s, _mm256_set1_pd(SIN_C_LAST));
    return _mm256_add_pd(_mm256_mul_pd(s, _mm256_mul_pd(u, d)), d);
}

AVX2 static inline __m256d sin4(__m256d x)
{
    __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
    if (_mm256_movemask_pd(_mm256_cmp_pd(magnitude, _mm256_set1_pd(SIN_RANGE), _CMP_LT_OQ)) != 0xf)
        return Sleef_finz_sind4_u35avx2(x);
    return sin4_short(x);
}

AVX2 int64_t vm_avx2_sin(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 4 <= count; k += 4) _mm256_storeu_pd(out + k, sin4(_mm256_loadu_pd(in + k)));
    return k;
}

/* Block of AVX2_BLOCK groups of eight: their sines first, then added in column order. All vector
 * registers are caller-saved, so sums live across every call would be spilled and reloaded around
 * each one (clang then stalls on the store); here they are carried across a block's calls only once.
 * The columns come from the integer j (exact below 2^52), not from a vector counted up. */
#define AVX2_BLOCK 4

AVX2 static inline __m256d argument(__m256d vx, __m256d vymin, __m256d vhy, int64_t j, __m256d offsets)
{
    __m256d column = _mm256_add_pd(_mm256_set1_pd((double)j), offsets);
    return _mm256_add_pd(vx, _mm256_add_pd(vymin, _mm256_mul_pd(vhy, column)));
}

/* A row's loop, with SIN the inline short path alone or with its check. */
#define AVX2_ROW(SIN)                                                                                              \
    for (; j + 8 * AVX2_BLOCK <= bins; j += 8 * AVX2_BLOCK) {                                                      \
        for (int g = 0; g < AVX2_BLOCK; g++) {                                                                    \
            sines0[g] = SIN(argument(vx, vymin, vhy, j + 8 * g, low));                                            \
            sines1[g] = SIN(argument(vx, vymin, vhy, j + 8 * g, high));                                           \
        }                                                                                                         \
        for (int g = 0; g < AVX2_BLOCK; g++) {                                                                    \
            sum0 = _mm256_add_pd(sum0, sines0[g]);                                                                \
            sum1 = _mm256_add_pd(sum1, sines1[g]);                                                                \
        }                                                                                                         \
    }                                                                                                             \
    for (; j + 8 <= bins; j += 8) {                                                                               \
        sum0 = _mm256_add_pd(sum0, SIN(argument(vx, vymin, vhy, j, low)));                                        \
        sum1 = _mm256_add_pd(sum1, SIN(argument(vx, vymin, vhy, j, high)));                                       \
    }

AVX2 int64_t vm_avx2_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    const __m256d vx = _mm256_set1_pd(x), vymin = _mm256_set1_pd(ymin), vhy = _mm256_set1_pd(hy);
    const __m256d low = _mm256_setr_pd(0.5, 1.5, 2.5, 3.5), high = _mm256_setr_pd(4.5, 5.5, 6.5, 7.5);
    __m256d sum0 = _mm256_setzero_pd(), sum1 = _mm256_setzero_pd(), sines0[AVX2_BLOCK], sines1[AVX2_BLOCK];
    int64_t j = 0;
    /* Each rounded operation is monotonic and hy > 0, so the arguments lie between the first and the
     * last: when both are short, so is every one, and no vector needs the check (nor a call). */
    double first = x + (ymin + hy * 0.5), last = x + (ymin + hy * ((double)(bins - 1) + 0.5));
    if (fabs(first) < SIN_RANGE && fabs(last) < SIN_RANGE) {
        AVX2_ROW(sin4_short_unsigned_zero)
    } else {
        AVX2_ROW(sin4)
    }
    _mm256_storeu_pd(partial, sum0);
    _mm256_storeu_pd(partial + 4, sum1);
    return j;
}

AVX2 int64_t vm_avx2_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    const __m256d vnum = _mm256_set1_pd(num), vden = _mm256_set1_pd(den), one = _mm256_set1_pd(1.0);
    const __m256d lanes = _mm256_setr_pd(0, 1, 2, 3);
    /* Indices below 2^53 are exact as doubles, and so are their sums with the lanes. */
    if (start >= ((int64_t)1 << 53) - count) return 0;
    int64_t k = 0;
    for (; k + 4 <= count; k += 4) {
        __m256d number = _mm256_add_pd(_mm256_set1_pd((double)(start + k)), lanes);
        __m256d top = Sleef_finz_logd4_u35avx2(_mm256_add_pd(_mm256_add_pd(number, vnum), one));
        __m256d bottom = _mm256_sqrt_pd(_mm256_add_pd(_mm256_add_pd(number, vden), one));
        _mm256_storeu_pd(out + k, _mm256_div_pd(top, bottom));
    }
    return k;
}

#else

int64_t vm_avx2_sin(const double *in, double *out, int64_t count) { (void)in; (void)out; (void)count; return 0; }
int64_t vm_avx2_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    (void)x; (void)ymin; (void)hy; (void)bins;
    for (int k = 0; k < 8; k++) partial[k] = 0;
    return 0;
}
int64_t vm_avx2_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    (void)out; (void)start; (void)count; (void)num; (void)den;
    return 0;
}

#endif

/*
 * avx512.c - the AVX-512 path of CVectorMath: one vector of eight holds the eight partial sums.
 * sin is SLEEF's, evaluated inline where SLEEF takes its short path (sleef_sin_u35.h).
 * Built with -mavx512f -mavx2 -mfma (Package.swift), so that clang passes the 512-bit vectors to
 * SLEEF in registers, as SLEEF expects; the target attributes say the same to GCC, which bench/
 * uses to compile this file into the C references. No FMA contraction: the same rounded
 * operations as the scalar path.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif

#include "include/vectormath_avx512.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <math.h>

#define AVX512 __attribute__((target("avx512f,avx2,fma")))

/* SLEEF 3.5's declarations (its header shows them only to code built with -mavx512f). */
AVX512 __m512d Sleef_finz_sind8_u35avx512f(__m512d);
AVX512 __m512d Sleef_finz_logd8_u35avx512f(__m512d);

#include "../CVectorMathAVX2/include/sleef_sin_u35.h"

/* SLEEF's sin, u35, inline (see sleef_sin_u35.h): dql = rint(x/π), d = x − dql·π in two FMAs,
 * d negated for odd dql, s = d², u = polynomial(s), result d + s·(u·d); −0 stays −0. A vector
 * with an element at 15 or beyond, or not a number, goes to SLEEF itself. */
AVX512 static inline __m512d sin8_short_unsigned_zero(__m512d x);

AVX512 static inline __m512d sin8_short(__m512d x)
{
    const __m512i sign = _mm512_set1_epi64((long long)0x8000000000000000ULL);
    return _mm512_mask_blend_pd(_mm512_cmpeq_epi64_mask(_mm512_castpd_si512(x), sign), sin8_short_unsigned_zero(x), x);
}

/* The short path but for the sign of sin(−0): +0 here. Row sums use it: a partial sum starts at +0
 * and so is never −0, and adding +0 or −0 to it gives the same bits. */
AVX512 static inline __m512d sin8_short_unsigned_zero(__m512d x)
{
    __m512d dql = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(SIN_1_PI)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d d = _mm512_fmadd_pd(dql, _mm512_set1_pd(-SIN_PI_A2), x);
    d = _mm512_fmadd_pd(dql, _mm512_set1_pd(-SIN_PI_B2), d);
    __m512d s = _mm512_mul_pd(d, d);
    /* dql is a small integer: 1.5·2^52 + dql has its parity in the lowest bit, shifted to the sign. */
    __m512i odd = _mm512_slli_epi64(_mm512_castpd_si512(_mm512_add_pd(dql, _mm512_set1_pd(0x1.8p52))), 63);
    d = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(d), odd));
    __m512d s2 = _mm512_mul_pd(s, s), s4 = _mm512_mul_pd(s2, s2);
    __m512d high = _mm512_fmadd_pd(s2, _mm512_fmadd_pd(s, _mm512_set1_pd(SIN_C7), _mm512_set1_pd(SIN_C6)),
                                   _mm512_fmadd_pd(s, _mm512_set1_pd(SIN_C5), _mm512_set1_pd(SIN_C4)));
    __m512d low = _mm512_fmadd_pd(s2, _mm512_fmadd_pd(s, _mm512_set1_pd(SIN_C3), _mm512_set1_pd(SIN_C2)),
                                  _mm512_fmadd_pd(s, _mm512_set1_pd(SIN_C1), _mm512_set1_pd(SIN_C0)));
    __m512d u = _mm512_fmadd_pd(_mm512_fmadd_pd(s4, high, low), s, _mm512_set1_pd(SIN_C_LAST));
    return _mm512_add_pd(_mm512_mul_pd(s, _mm512_mul_pd(u, d)), d);
}

AVX512 static inline __m512d sin8(__m512d x)
{
    __m512d magnitude = _mm512_castsi512_pd(_mm512_andnot_si512(_mm512_set1_epi64((long long)0x8000000000000000ULL), _mm512_castpd_si512(x)));
    if (_mm512_cmp_pd_mask(magnitude, _mm512_set1_pd(SIN_RANGE), _CMP_LT_OQ) != 0xff) return Sleef_finz_sind8_u35avx512f(x);
    return sin8_short(x);
}

AVX512 int64_t vm_avx512_sin(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 8 <= count; k += 8) _mm512_storeu_pd(out + k, sin8(_mm512_loadu_pd(in + k)));
    return k;
}

/* Block of AVX512_BLOCK groups of eight: their sines first, then added in column order. All vector
 * registers are caller-saved, so a sum live across every call would be spilled and reloaded around
 * each one (clang then stalls on the store); here it is carried across a block's calls only once.
 * The columns come from the integer j (exact below 2^52), not from a vector counted up. */
#define AVX512_BLOCK 8

AVX512 static inline __m512d columns(int64_t j)
{
    return _mm512_add_pd(_mm512_set1_pd((double)j), _mm512_setr_pd(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5));
}

/* A row's loop, with SIN the inline short path alone or with its check. */
#define AVX512_ROW(SIN)                                                                                            \
    for (; j + 8 * AVX512_BLOCK <= bins; j += 8 * AVX512_BLOCK) {                                                  \
        for (int g = 0; g < AVX512_BLOCK; g++)                                                                    \
            sines[g] = SIN(_mm512_add_pd(vx, _mm512_add_pd(vymin, _mm512_mul_pd(vhy, columns(j + 8 * g)))));       \
        for (int g = 0; g < AVX512_BLOCK; g++) sum = _mm512_add_pd(sum, sines[g]);                                \
    }                                                                                                             \
    for (; j + 8 <= bins; j += 8)                                                                                 \
        sum = _mm512_add_pd(sum, SIN(_mm512_add_pd(vx, _mm512_add_pd(vymin, _mm512_mul_pd(vhy, columns(j))))));

AVX512 int64_t vm_avx512_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    const __m512d vx = _mm512_set1_pd(x), vymin = _mm512_set1_pd(ymin), vhy = _mm512_set1_pd(hy);
    __m512d sum = _mm512_setzero_pd(), sines[AVX512_BLOCK];
    int64_t j = 0;
    /* Each rounded operation is monotonic and hy > 0, so the arguments lie between the first and the
     * last: when both are short, so is every one, and no vector needs the check (nor a call). */
    double first = x + (ymin + hy * 0.5), last = x + (ymin + hy * ((double)(bins - 1) + 0.5));
    if (fabs(first) < SIN_RANGE && fabs(last) < SIN_RANGE) {
        AVX512_ROW(sin8_short_unsigned_zero)
    } else {
        AVX512_ROW(sin8)
    }
    _mm512_storeu_pd(partial, sum);
    return j;
}

AVX512 int64_t vm_avx512_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    const __m512d vnum = _mm512_set1_pd(num), vden = _mm512_set1_pd(den), one = _mm512_set1_pd(1.0);
    const __m512d lanes = _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7);
    /* Indices below 2^53 are exact as doubles, and so are their sums with the lanes. */
    if (start >= ((int64_t)1 << 53) - count) return 0;
    int64_t k = 0;
    for (; k + 8 <= count; k += 8) {
        __m512d number = _mm512_add_pd(_mm512_set1_pd((double)(start + k)), lanes);
        __m512d top = Sleef_finz_logd8_u35avx512f(_mm512_add_pd(_mm512_add_pd(number, vnum), one));
        __m512d bottom = _mm512_sqrt_pd(_mm512_add_pd(_mm512_add_pd(number, vden), one));
        _mm512_storeu_pd(out + k, _mm512_div_pd(top, bottom));
    }
    return k;
}

#else

int64_t vm_avx512_sin(const double *in, double *out, int64_t count) { (void)in; (void)out; (void)count; return 0; }
int64_t vm_avx512_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    (void)x; (void)ymin; (void)hy; (void)bins;
    for (int k = 0; k < 8; k++) partial[k] = 0;
    return 0;
}
int64_t vm_avx512_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    (void)out; (void)start; (void)count; (void)num; (void)den;
    return 0;
}

#endif

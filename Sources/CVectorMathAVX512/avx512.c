/*
 * avx512.c - the AVX-512 path of CVectorMath: one vector of eight holds the eight partial sums.
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

#define AVX512 __attribute__((target("avx512f,avx2,fma")))

/* SLEEF 3.5's declarations (its header shows them only to code built with -mavx512f). */
AVX512 __m512d Sleef_finz_sind8_u35avx512f(__m512d);
AVX512 __m512d Sleef_finz_logd8_u35avx512f(__m512d);

AVX512 int64_t vm_avx512_sin(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 8 <= count; k += 8) _mm512_storeu_pd(out + k, Sleef_finz_sind8_u35avx512f(_mm512_loadu_pd(in + k)));
    return k;
}

AVX512 int64_t vm_avx512_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    const __m512d vx = _mm512_set1_pd(x), vymin = _mm512_set1_pd(ymin), vhy = _mm512_set1_pd(hy);
    const __m512d step = _mm512_set1_pd(8.0);
    __m512d column = _mm512_setr_pd(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5);
    __m512d sum = _mm512_setzero_pd();
    int64_t j = 0;
    for (; j + 8 <= bins; j += 8) {
        __m512d a = _mm512_add_pd(vx, _mm512_add_pd(vymin, _mm512_mul_pd(vhy, column)));
        sum = _mm512_add_pd(sum, Sleef_finz_sind8_u35avx512f(a));
        column = _mm512_add_pd(column, step);
    }
    _mm512_storeu_pd(partial, sum);
    return j;
}

AVX512 int64_t vm_avx512_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    const __m512d vnum = _mm512_set1_pd(num), vden = _mm512_set1_pd(den), one = _mm512_set1_pd(1.0);
    const __m512d step = _mm512_set1_pd(8.0);
    /* Indices below 2^53 are exact as doubles, so the vector of them counts up by adding. */
    if (start >= ((int64_t)1 << 53) - count) return 0;
    __m512d number = _mm512_add_pd(_mm512_set1_pd((double)start), _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7));
    int64_t k = 0;
    for (; k + 8 <= count; k += 8) {
        __m512d top = Sleef_finz_logd8_u35avx512f(_mm512_add_pd(_mm512_add_pd(number, vnum), one));
        __m512d bottom = _mm512_sqrt_pd(_mm512_add_pd(_mm512_add_pd(number, vden), one));
        _mm512_storeu_pd(out + k, _mm512_div_pd(top, bottom));
        number = _mm512_add_pd(number, step);
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

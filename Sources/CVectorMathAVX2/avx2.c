/*
 * avx2.c - the AVX2 path of CVectorMath: two vectors of four make the eight partial sums.
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

#define AVX2 __attribute__((target("avx2,fma")))

/* SLEEF 3.5's declarations (its header shows them only to code built with -mavx2). */
AVX2 __m256d Sleef_finz_sind4_u35avx2(__m256d);
AVX2 __m256d Sleef_finz_logd4_u35avx2(__m256d);

AVX2 int64_t vm_avx2_sin(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 4 <= count; k += 4) _mm256_storeu_pd(out + k, Sleef_finz_sind4_u35avx2(_mm256_loadu_pd(in + k)));
    return k;
}

AVX2 int64_t vm_avx2_row(double x, double ymin, double hy, int64_t bins, double partial[8])
{
    const __m256d vx = _mm256_set1_pd(x), vymin = _mm256_set1_pd(ymin), vhy = _mm256_set1_pd(hy);
    const __m256d step = _mm256_set1_pd(8.0);
    __m256d column0 = _mm256_setr_pd(0.5, 1.5, 2.5, 3.5), column1 = _mm256_setr_pd(4.5, 5.5, 6.5, 7.5);
    __m256d sum0 = _mm256_setzero_pd(), sum1 = _mm256_setzero_pd();
    int64_t j = 0;
    for (; j + 8 <= bins; j += 8) {
        __m256d a0 = _mm256_add_pd(vx, _mm256_add_pd(vymin, _mm256_mul_pd(vhy, column0)));
        __m256d a1 = _mm256_add_pd(vx, _mm256_add_pd(vymin, _mm256_mul_pd(vhy, column1)));
        sum0 = _mm256_add_pd(sum0, Sleef_finz_sind4_u35avx2(a0));
        sum1 = _mm256_add_pd(sum1, Sleef_finz_sind4_u35avx2(a1));
        column0 = _mm256_add_pd(column0, step);
        column1 = _mm256_add_pd(column1, step);
    }
    _mm256_storeu_pd(partial, sum0);
    _mm256_storeu_pd(partial + 4, sum1);
    return j;
}

AVX2 int64_t vm_avx2_driver(double *out, int64_t start, int64_t count, double num, double den)
{
    const __m256d vnum = _mm256_set1_pd(num), vden = _mm256_set1_pd(den), one = _mm256_set1_pd(1.0);
    const __m256d step = _mm256_set1_pd(4.0);
    /* Indices below 2^53 are exact as doubles, so the vector of them counts up by adding. */
    if (start >= ((int64_t)1 << 53) - count) return 0;
    __m256d number = _mm256_add_pd(_mm256_set1_pd((double)start), _mm256_setr_pd(0, 1, 2, 3));
    int64_t k = 0;
    for (; k + 4 <= count; k += 4) {
        __m256d top = Sleef_finz_logd4_u35avx2(_mm256_add_pd(_mm256_add_pd(number, vnum), one));
        __m256d bottom = _mm256_sqrt_pd(_mm256_add_pd(_mm256_add_pd(number, vden), one));
        _mm256_storeu_pd(out + k, _mm256_div_pd(top, bottom));
        number = _mm256_add_pd(number, step);
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

/*
 * vectormath.c - see include/vectormath.h.
 *
 * One function per path, each with its own target attribute, so this file builds for baseline
 * x86-64 and the program picks a path at run time (vm_best, or the caller's choice). No
 * contraction into FMAs outside SLEEF: an element's argument is computed by the same rounded
 * operations on every path. Clang is told so here; GCC (bench/, which includes this file) gets
 * -ffp-contract=off on its command line (its ISO modes, such as -std=c11, imply it too).
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif

#include "include/vectormath.h"

#if defined(__x86_64__)

#include <immintrin.h>
#include <math.h>
#include <stddef.h>

/* SLEEF 3.5 (libsleef-dev). Its header declares the vector functions only when the whole file is
 * built for that ISA (__AVX2__, __AVX512F__); these are its declarations, for functions that are
 * called only from code built for that ISA. */
double Sleef_finz_sind1_u35purecfma(double);
double Sleef_finz_logd1_u35purecfma(double);
__attribute__((target("avx2,fma"))) __m256d Sleef_finz_sind4_u35avx2(__m256d);
__attribute__((target("avx2,fma"))) __m256d Sleef_finz_logd4_u35avx2(__m256d);
__attribute__((target("avx512f"))) __m512d Sleef_finz_sind8_u35avx512f(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_finz_logd8_u35avx512f(__m512d);

#define LANES 8

/* ---- CPU features ---- */

int vm_supported(int path)
{
    __builtin_cpu_init();
    int fma = __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx");
    switch (path) {
    case VM_SCALAR: return fma;
    case VM_AVX2: return fma && __builtin_cpu_supports("avx2");
    case VM_AVX512: return fma && __builtin_cpu_supports("avx512f");
    default: return 0;
    }
}

int vm_best(void)
{
    for (int path = VM_AVX512; path >= VM_SCALAR; path--)
        if (vm_supported(path)) return path;
    return -1;
}

/* ---- shared scalar pieces (the tails, and the scalar path) ---- */

__attribute__((target("avx,fma"))) static inline double column_argument(double x, double ymin, double hy, int64_t j)
{
    return x + (ymin + hy * ((double)j + 0.5));
}

/* The fixed combination of the eight partial sums. */
static inline double combine(const double p[LANES])
{
    return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

__attribute__((target("avx,fma"))) static inline double driver1(double number, double num, double den)
{
    return Sleef_finz_logd1_u35purecfma(number + num + 1.0) / sqrt(number + den + 1.0);
}

/* Indices below 2^53 are exact as doubles, so a vector of them can count up by adding. */
#define EXACT_INDEX_LIMIT ((int64_t)1 << 53)

/* ---- scalar ---- */

__attribute__((target("avx,fma"))) static void sin_scalar(const double *in, double *out, int64_t count)
{
    for (int64_t k = 0; k < count; k++) out[k] = Sleef_finz_sind1_u35purecfma(in[k]);
}

__attribute__((target("avx,fma"))) static void row_tail(double p[LANES], double x, double ymin, double hy, int64_t from,
                                                        int64_t bins)
{
    for (int64_t j = from; j < bins; j++) p[j % LANES] += Sleef_finz_sind1_u35purecfma(column_argument(x, ymin, hy, j));
}

__attribute__((target("avx,fma"))) static double row_scalar(double x, double ymin, double hy, int64_t bins)
{
    double p[LANES] = {0};
    row_tail(p, x, ymin, hy, 0, bins);
    return combine(p);
}

__attribute__((target("avx,fma"))) static void driver_scalar(double *out, int64_t start, int64_t count, double num,
                                                             double den)
{
    for (int64_t k = 0; k < count; k++) out[k] = driver1((double)(start + k), num, den);
}

/* ---- AVX2: two vectors of four make the eight partial sums ---- */

__attribute__((target("avx2,fma"))) static void sin_avx2(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 4 <= count; k += 4) _mm256_storeu_pd(out + k, Sleef_finz_sind4_u35avx2(_mm256_loadu_pd(in + k)));
    sin_scalar(in + k, out + k, count - k);
}

__attribute__((target("avx2,fma"))) static double row_avx2(double x, double ymin, double hy, int64_t bins)
{
    const __m256d vx = _mm256_set1_pd(x), vymin = _mm256_set1_pd(ymin), vhy = _mm256_set1_pd(hy);
    const __m256d step = _mm256_set1_pd((double)LANES);
    __m256d column0 = _mm256_setr_pd(0.5, 1.5, 2.5, 3.5), column1 = _mm256_setr_pd(4.5, 5.5, 6.5, 7.5);
    __m256d sum0 = _mm256_setzero_pd(), sum1 = _mm256_setzero_pd();
    int64_t j = 0;
    for (; j + LANES <= bins; j += LANES) {
        __m256d a0 = _mm256_add_pd(vx, _mm256_add_pd(vymin, _mm256_mul_pd(vhy, column0)));
        __m256d a1 = _mm256_add_pd(vx, _mm256_add_pd(vymin, _mm256_mul_pd(vhy, column1)));
        sum0 = _mm256_add_pd(sum0, Sleef_finz_sind4_u35avx2(a0));
        sum1 = _mm256_add_pd(sum1, Sleef_finz_sind4_u35avx2(a1));
        column0 = _mm256_add_pd(column0, step);
        column1 = _mm256_add_pd(column1, step);
    }
    double p[LANES];
    _mm256_storeu_pd(p, sum0);
    _mm256_storeu_pd(p + 4, sum1);
    row_tail(p, x, ymin, hy, j, bins);
    return combine(p);
}

__attribute__((target("avx2,fma"))) static void driver_avx2(double *out, int64_t start, int64_t count, double num,
                                                            double den)
{
    int64_t k = 0;
    if (start < EXACT_INDEX_LIMIT - count) {
        const __m256d vnum = _mm256_set1_pd(num), vden = _mm256_set1_pd(den), one = _mm256_set1_pd(1.0);
        const __m256d step = _mm256_set1_pd(4.0);
        __m256d number = _mm256_add_pd(_mm256_set1_pd((double)start), _mm256_setr_pd(0, 1, 2, 3));
        for (; k + 4 <= count; k += 4) {
            __m256d top = Sleef_finz_logd4_u35avx2(_mm256_add_pd(_mm256_add_pd(number, vnum), one));
            __m256d bottom = _mm256_sqrt_pd(_mm256_add_pd(_mm256_add_pd(number, vden), one));
            _mm256_storeu_pd(out + k, _mm256_div_pd(top, bottom));
            number = _mm256_add_pd(number, step);
        }
    }
    driver_scalar(out + k, start + k, count - k, num, den);
}

/* ---- AVX-512: one vector of eight ---- */

__attribute__((target("avx512f,avx2,fma"))) static void sin_avx512(const double *in, double *out, int64_t count)
{
    int64_t k = 0;
    for (; k + 8 <= count; k += 8) _mm512_storeu_pd(out + k, Sleef_finz_sind8_u35avx512f(_mm512_loadu_pd(in + k)));
    sin_scalar(in + k, out + k, count - k);
}

__attribute__((target("avx512f,avx2,fma"))) static double row_avx512(double x, double ymin, double hy, int64_t bins)
{
    const __m512d vx = _mm512_set1_pd(x), vymin = _mm512_set1_pd(ymin), vhy = _mm512_set1_pd(hy);
    const __m512d step = _mm512_set1_pd((double)LANES);
    __m512d column = _mm512_setr_pd(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5);
    __m512d sum = _mm512_setzero_pd();
    int64_t j = 0;
    for (; j + LANES <= bins; j += LANES) {
        __m512d a = _mm512_add_pd(vx, _mm512_add_pd(vymin, _mm512_mul_pd(vhy, column)));
        sum = _mm512_add_pd(sum, Sleef_finz_sind8_u35avx512f(a));
        column = _mm512_add_pd(column, step);
    }
    double p[LANES];
    _mm512_storeu_pd(p, sum);
    row_tail(p, x, ymin, hy, j, bins);
    return combine(p);
}

__attribute__((target("avx512f,avx2,fma"))) static void driver_avx512(double *out, int64_t start, int64_t count,
                                                                      double num, double den)
{
    int64_t k = 0;
    if (start < EXACT_INDEX_LIMIT - count) {
        const __m512d vnum = _mm512_set1_pd(num), vden = _mm512_set1_pd(den), one = _mm512_set1_pd(1.0);
        const __m512d step = _mm512_set1_pd(8.0);
        __m512d number = _mm512_add_pd(_mm512_set1_pd((double)start), _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7));
        for (; k + 8 <= count; k += 8) {
            __m512d top = Sleef_finz_logd8_u35avx512f(_mm512_add_pd(_mm512_add_pd(number, vnum), one));
            __m512d bottom = _mm512_sqrt_pd(_mm512_add_pd(_mm512_add_pd(number, vden), one));
            _mm512_storeu_pd(out + k, _mm512_div_pd(top, bottom));
            number = _mm512_add_pd(number, step);
        }
    }
    driver_scalar(out + k, start + k, count - k, num, den);
}

/* ---- dispatch ---- */

void vm_sin(int path, const double *in, double *out, int64_t count)
{
    switch (path) {
    case VM_AVX512: sin_avx512(in, out, count); break;
    case VM_AVX2: sin_avx2(in, out, count); break;
    default: sin_scalar(in, out, count); break;
    }
}

double vm_sin_row_sum(int path, double x, double ymin, double hy, int64_t bins)
{
    switch (path) {
    case VM_AVX512: return row_avx512(x, ymin, hy, bins);
    case VM_AVX2: return row_avx2(x, ymin, hy, bins);
    default: return row_scalar(x, ymin, hy, bins);
    }
}

void vm_driver(int path, double *out, int64_t start, int64_t count, double num, double den)
{
    switch (path) {
    case VM_AVX512: driver_avx512(out, start, count, num, den); break;
    case VM_AVX2: driver_avx2(out, start, count, num, den); break;
    default: driver_scalar(out, start, count, num, den); break;
    }
}

#else /* not x86-64: no path */

int vm_supported(int path) { (void)path; return 0; }
int vm_best(void) { return -1; }
void vm_sin(int path, const double *in, double *out, int64_t count) { (void)path; (void)in; (void)out; (void)count; }
double vm_sin_row_sum(int path, double x, double ymin, double hy, int64_t bins)
{
    (void)path; (void)x; (void)ymin; (void)hy; (void)bins;
    return 0.0 / 0.0;
}
void vm_driver(int path, double *out, int64_t start, int64_t count, double num, double den)
{
    (void)path; (void)out; (void)start; (void)count; (void)num; (void)den;
}

#endif

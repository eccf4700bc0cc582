/*
 * vectormath.c - see include/vectormath.h: the CPU's paths, the scalar path, and the dispatch to
 * the vector paths (CVectorMathAVX2, CVectorMathAVX512), which do whole vectors and leave the rest
 * to the scalar code here. No FMA contraction outside SLEEF: an element's argument is computed by
 * the same rounded operations on every path. Clang is told so here; GCC (bench/, which compiles
 * this file into the C references) gets -ffp-contract=off (its ISO modes, such as -std=c11, imply it).
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif

#include "include/vectormath.h"
#include "../CVectorMathAVX2/include/vectormath_avx2.h"
#include "../CVectorMathAVX512/include/vectormath_avx512.h"

#include <math.h>

#if defined(__x86_64__)

/* SLEEF 3.5 (libsleef-dev), scalar functions with FMA. */
double Sleef_finz_sind1_u35purecfma(double);
double Sleef_finz_logd1_u35purecfma(double);

#define SCALAR __attribute__((target("avx,fma")))
#define LANES 8

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

SCALAR void vm_sin(int path, const double *in, double *out, int64_t count)
{
    int64_t k = path == VM_AVX512 ? vm_avx512_sin(in, out, count) : path == VM_AVX2 ? vm_avx2_sin(in, out, count) : 0;
    for (; k < count; k++) out[k] = Sleef_finz_sind1_u35purecfma(in[k]);
}

SCALAR double vm_sin_row_sum(int path, double x, double ymin, double hy, int64_t bins)
{
    double p[LANES] = {0};
    int64_t j = path == VM_AVX512 ? vm_avx512_row(x, ymin, hy, bins, p)
              : path == VM_AVX2   ? vm_avx2_row(x, ymin, hy, bins, p)
                                  : 0;
    for (; j < bins; j++) p[j % LANES] += Sleef_finz_sind1_u35purecfma(x + (ymin + hy * ((double)j + 0.5)));
    return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

SCALAR void vm_driver(int path, double *out, int64_t start, int64_t count, double num, double den)
{
    int64_t k = path == VM_AVX512 ? vm_avx512_driver(out, start, count, num, den)
              : path == VM_AVX2   ? vm_avx2_driver(out, start, count, num, den)
                                  : 0;
    for (; k < count; k++) {
        double number = (double)(start + k);
        out[k] = Sleef_finz_logd1_u35purecfma(number + num + 1.0) / sqrt(number + den + 1.0);
    }
}

#else /* not x86-64: no path */

int vm_supported(int path) { (void)path; return 0; }
int vm_best(void) { return -1; }
void vm_sin(int path, const double *in, double *out, int64_t count) { (void)path; (void)in; (void)out; (void)count; }
double vm_sin_row_sum(int path, double x, double ymin, double hy, int64_t bins)
{
    (void)path; (void)x; (void)ymin; (void)hy; (void)bins;
    return NAN;
}
void vm_driver(int path, double *out, int64_t start, int64_t count, double num, double den)
{
    (void)path; (void)out; (void)start; (void)count; (void)num; (void)den;
}

#endif

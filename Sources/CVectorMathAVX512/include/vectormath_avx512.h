/*
 * vectormath_avx512.h - the AVX-512 path of CVectorMath (see vectormath.h): whole groups of eight
 * elements; the caller finishes the rest on the scalar path. Call only where vm_supported(VM_AVX512).
 */
#ifndef VECTORMATH_AVX512_H
#define VECTORMATH_AVX512_H

#include <stdint.h>

/* out[k] = sin(in[k]) for k below the returned count (at most count; the caller does the rest). */
int64_t vm_avx512_sin(const double *in, double *out, int64_t count);

/* The eight partial sums of a row's columns j below the returned count (a multiple of 8). */
int64_t vm_avx512_row(double x, double ymin, double hy, int64_t bins, double partial[8]);

/* The map's elements k below the returned count (at most count; the caller does the rest). */
int64_t vm_avx512_driver(double *out, int64_t start, int64_t count, double num, double den);

#endif

/*
 * vectormath.h - deterministic vector math for the integrate2d and parallel-map kernels.
 *
 * Every element goes through SLEEF's "finz" functions (FMA, deterministic): an element's result
 * does not depend on the vector width, its lane, or the CPU, so the scalar, AVX2 and AVX-512 paths
 * give the same bits. Sums keep a fixed order whatever the width: eight partial sums, element j
 * into partial j mod 8, combined as ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)).
 * Every path needs x86-64 with FMA (SLEEF's scalar purecfma functions use it).
 */
#ifndef VECTORMATH_H
#define VECTORMATH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The code paths. */
enum { VM_SCALAR = 0, VM_AVX2 = 1, VM_AVX512 = 2 };

/* 1 if this CPU can run `path`, else 0. */
int vm_supported(int path);

/* The widest path this CPU can run, or -1 when it lacks FMA (no path). */
int vm_best(void);

/* out[k] = sin(in[k]) (SLEEF finz, 3.5 ulp) for k < count, through `path`. */
void vm_sin(int path, const double *in, double *out, int64_t count);

/* Sum over j < bins of sin(x + (ymin + hy * (j + 0.5))), in the fixed order above. */
double vm_sin_row_sum(int path, double x, double ymin, double hy, int64_t bins);

/* out[k] = log(i + num + 1) / sqrt(i + den + 1), i = start + k, for k < count (log: SLEEF finz,
 * 3.5 ulp; sqrt and the division: IEEE, correctly rounded). */
void vm_driver(int path, double *out, int64_t start, int64_t count, double num, double den);

#ifdef __cplusplus
}
#endif

#endif

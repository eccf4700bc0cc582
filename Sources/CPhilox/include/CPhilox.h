/*
 * Philox4x32-10 in SIMD lanes: the same numbers as the scalar generator (Kernels/Philox.swift),
 * several counters at a time, for Monte Carlo π and e.
 *
 * Every path gives every lane the same bits: the generator is integer arithmetic, the doubles are
 * the top 53 bits of two words scaled by 2^-53 (exact), and the only floating-point arithmetic,
 * x*x + y*y < 1, is done as two roundings (no FMA contraction) on every path. So a count does not
 * depend on the vector width, the position of a dart in its vector, or the CPU.
 *
 * The path is chosen once per process from the CPU (AVX-512 F+DQ, else AVX2, else scalar C), or
 * from SPMD_VECTOR=scalar|avx2|avx512 (a path the CPU lacks falls back to the best it has).
 */
#ifndef CPHILOX_H
#define CPHILOX_H

#include <stddef.h>
#include <stdint.h>

/* The paths, for tests: each function below has an `_on` form that takes one. */
enum cphilox_path { CPHILOX_SCALAR = 0, CPHILOX_AVX2 = 1, CPHILOX_AVX512 = 2 };

/* The path the plain functions use. */
int cphilox_path(void);
/* Whether this CPU can run `path`. */
int cphilox_supports(int path);

/* How many of darts first..<first+count fall inside the quarter circle: dart k is the pair of
 * uniforms of counter (k, 0) under `seed` (words 0-1 and 2-3). */
int64_t cphilox_darts_inside(uint64_t seed, uint64_t first, size_t count);
int64_t cphilox_darts_inside_on(int path, uint64_t seed, uint64_t first, size_t count);

/* For i < n: the uniform pair of counter (index[i], stream) under `seed` into first[i], second[i]. */
void cphilox_uniform_pairs(uint64_t seed, const uint64_t *index, uint64_t stream, size_t n,
                           double *first, double *second);
void cphilox_uniform_pairs_on(int path, uint64_t seed, const uint64_t *index, uint64_t stream, size_t n,
                              double *first, double *second);

#endif

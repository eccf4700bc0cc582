/*
 * xoshiro.h - xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro256starstar.c),
 * seeded through splitmix64 as its authors advise: the fast generator a C programmer would pick for
 * Monte Carlo. A stream per rank (seed + rank), so its darts depend on the split, unlike Philox's.
 */
#ifndef BENCH_XOSHIRO_H
#define BENCH_XOSHIRO_H

#include <stdint.h>

typedef struct { uint64_t s[4]; } xoshiro256;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline xoshiro256 xoshiro_seeded(uint64_t seed)
{
    xoshiro256 g;
    for (int i = 0; i < 4; i++) g.s[i] = splitmix64(&seed);
    return g;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro_next(xoshiro256 *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A double in [0, 1) from the top 53 bits. */
static inline double xoshiro_unit(xoshiro256 *g) { return (double)(xoshiro_next(g) >> 11) * 0x1p-53; }

#endif

/*
 * philox.h - Philox4x32-10 (Random123's algorithm), scalar, as Sources/Kernels/Philox.swift: the C
 * references of pi and euler's Monte Carlo method draw with it, so their bits match the programs'.
 */
#ifndef BENCH_PHILOX_H
#define BENCH_PHILOX_H

#include <stdint.h>

/* The ten rounds on counter c under the key (k0, k1). */
static inline void philox4x32_10(uint32_t c[4], uint32_t k0, uint32_t k1)
{
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
        uint64_t p0 = (uint64_t)0xD2511F53u * c[0], p1 = (uint64_t)0xCD9E8D57u * c[2];
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c[1] ^ k0, n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c[3] ^ k1, n3 = (uint32_t)p0;
        c[0] = n0; c[1] = n1; c[2] = n2; c[3] = n3;
    }
}

/* The top 53 bits of high:low as a double in [0, 1). */
static inline double unit(uint32_t low, uint32_t high)
{
    return (double)((((uint64_t)high << 32) | low) >> 11) * 0x1p-53;
}

#endif

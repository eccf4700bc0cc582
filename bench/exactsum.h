/*
 * exactsum.h - the superaccumulator of Sources/SPMDCore/ExactSum.swift, in C, for the references:
 * every double added exactly into 68 limbs of 32 bits (in int64_t), carries propagated every
 * 2^30 additions, rounded once to nearest-even at the end. Finite inputs only (the references
 * never add infinities).
 */
#ifndef EXACTSUM_H
#define EXACTSUM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define EXACTSUM_LIMBS 68
#define EXACTSUM_PENDING_LIMIT (1L << 30)

typedef struct {
    int64_t limb[EXACTSUM_LIMBS];
    long pending;
} exactsum;

static inline void exactsum_init(exactsum *s) { memset(s, 0, sizeof *s); }

static inline void exactsum_normalize(exactsum *s)
{
    for (int i = 0; i < EXACTSUM_LIMBS - 1; i++) {
        int64_t carry = s->limb[i] >> 32;
        s->limb[i] -= carry * ((int64_t)1 << 32);
        s->limb[i + 1] += carry;
    }
    s->pending = 0;
}

static inline void exactsum_add(exactsum *s, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t significand = (bits & 0x000fffffffffffffULL) | (biased == 0 ? 0 : (1ULL << 52));
    int position = biased == 0 ? 0 : biased - 1;
    int limb = position >> 5;
    unsigned shift = (unsigned)(position & 31);
    int64_t negate = (int64_t)bits >> 63;
    int64_t low = (int64_t)((significand << shift) & 0xffffffffULL);
    int64_t middle = (int64_t)((significand >> (32 - shift)) & 0xffffffffULL);
    int64_t high = shift == 0 ? 0 : (int64_t)(significand >> (64 - shift));
    s->limb[limb] += (low ^ negate) - negate;
    s->limb[limb + 1] += (middle ^ negate) - negate;
    s->limb[limb + 2] += (high ^ negate) - negate;
    if (++s->pending >= EXACTSUM_PENDING_LIMIT) exactsum_normalize(s);
}

/* The limbs of a normalized sum (or of such sums added element-wise), rounded to nearest-even. */
static inline double exactsum_round(const int64_t *given)
{
    int64_t limb[EXACTSUM_LIMBS];
    memcpy(limb, given, sizeof limb);
    for (int i = 0; i < EXACTSUM_LIMBS - 1; i++) {
        int64_t carry = limb[i] >> 32;
        limb[i] -= carry * ((int64_t)1 << 32);
        limb[i + 1] += carry;
    }
    int negative = limb[EXACTSUM_LIMBS - 1] < 0;
    if (negative) {
        for (int i = 0; i < EXACTSUM_LIMBS; i++) limb[i] = -limb[i];
        for (int i = 0; i < EXACTSUM_LIMBS - 1; i++) {
            int64_t carry = limb[i] >> 32;
            limb[i] -= carry * ((int64_t)1 << 32);
            limb[i + 1] += carry;
        }
    }
    int top = EXACTSUM_LIMBS - 1;
    while (top >= 0 && limb[top] == 0) top--;
    if (top < 0) return 0.0;
#define EXACTSUM_AT(i) ((i) >= 0 ? (unsigned __int128)(uint64_t)limb[i] : 0)
    unsigned __int128 window = EXACTSUM_AT(top) << 64 | EXACTSUM_AT(top - 1) << 32 | EXACTSUM_AT(top - 2);
#undef EXACTSUM_AT
    uint64_t high = (uint64_t)(window >> 64);
    int shift = high ? __builtin_clzll(high) : 64 + __builtin_clzll((uint64_t)window);
    unsigned __int128 aligned = window << shift;
    uint64_t significand = (uint64_t)(aligned >> 64);
    int sticky = (uint64_t)aligned != 0;
    for (int i = 0; i < top - 2 && !sticky; i++) sticky = limb[i] != 0;
    if (sticky) significand |= 1;
    double magnitude = ldexp((double)significand, 64 - shift + 32 * (top - 2) - 1074);
    return negative ? -magnitude : magnitude;
}

static inline void exactsum_merge(exactsum *into, exactsum *from)
{
    exactsum_normalize(into);
    exactsum_normalize(from);
    for (int i = 0; i < EXACTSUM_LIMBS; i++) into->limb[i] += from->limb[i];
    exactsum_normalize(into);
}

#endif

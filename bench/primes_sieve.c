/*
 * primes_sieve.c - the C reference of `primes --method sieve`: the same segmented wheel-30 sieve of
 * Eratosthenes as Sources/Kernels/Sieve*.swift, step for step:
 *   - byte b holds the 8 numbers 30b + {1, 7, 11, 13, 17, 19, 23, 29};
 *   - the multiples of 7 ... 97 are pre-sieved by ANDing 8 periodic patterns (two passes of 4);
 *   - segments of 256 KiB, each followed in memory by what comes next (as many bytes as the largest small or medium
 *     prime), pre-sieved before the current one is sieved; the sieving primes p <= 16384 work in 32 KiB chunks (the
 *     L1 cache), the medium ones up to twice the segment size over the whole segment (the L2 cache);
 *   - both cross off whole wheel turns (8 multiples in p bytes) while the turn starts in the chunk or segment,
 *     in one loop per residue class of p mod 30 (constant offsets and masks), unchecked: a last turn runs up to
 *     p bytes into the next chunk or segment, which is pre-sieved already, so no prime ever stops inside a turn;
 *     after each segment what follows it, with those crossings, moves to the front;
 *   - larger sieving primes are kept in buckets by the segment of their next multiple (a ring of buckets,
 *     plus a sorted waiting list for first multiples beyond the ring);
 *   - counting by population count of 64-bit words (the SWAR popcount LLVM emits for Swift's
 *     nonzeroBitCount on baseline x86-64: neither build assumes the POPCNT instruction).
 * Rank r counts the primes of its block block(N - 1, size, r) of [2, N + 1) (common.h); the counts are
 * reduced to rank 0, which prints `result` and the slowest rank's `compute_seconds`.
 * Usage: primes-sieve-c [--limit N]        (default 1e6, N <= 2^62)
 * Timed: each rank's count, with its tables (the Swift kernel builds its pre-sieve patterns on first use);
 * the base primes up to sqrt(N) are found before the timer, as Sources/primes does.
 */
#include <stdint.h>
#include <math.h>
#include "common.h"

#ifndef SEGMENT_BYTES            /* a power of two, at least CHUNK_BYTES (-DSEGMENT_BYTES=32768 in tests) */
#define SEGMENT_BYTES (256 * 1024)
#endif
#define CHUNK_BYTES (32 * 1024)
#define SMALL_PRIME_LIMIT (CHUNK_BYTES / 2)
#define PRESIEVE_LARGEST 97

static const int wheel_offsets[8] = {1, 7, 11, 13, 17, 19, 23, 29};
static int wheel_index_of_residue[30];

/* ---- base primes: a plain sieve over the odd numbers ---- */

/* The primes <= limit; *count gets their number. */
static long *base_primes(long limit, long *count)
{
    *count = 0;
    if (limit < 2) return malloc(sizeof(long));
    long n = (limit - 1) / 2 + 1;
    uint8_t *composite = calloc((size_t)n, 1);
    long *primes = malloc(sizeof(long) * (size_t)(n + 1));
    primes[(*count)++] = 2;
    for (long j = 1; j < n; j++) {
        if (composite[j]) continue;
        long p = 2 * j + 1;
        primes[(*count)++] = p;
        if (p <= limit / p)
            for (long m = p * p / 2; m < n; m += p) composite[m] = 1;
    }
    free(composite);
    return primes;
}

/* ---- pre-sieve ---- */

static const int presieve_groups[8][3] = {{7, 67, 71}, {11, 41, 73}, {13, 43, 59}, {17, 37, 53},
                                          {19, 29, 61}, {23, 31, 47}, {79, 97, 1}, {83, 89, 1}};
static long presieve_period[8];
static uint8_t *presieve_pattern[8];

static void presieve_init(void)
{
    for (int g = 0; g < 8; g++) {
        long period = 1;
        for (int k = 0; k < 3; k++) period *= presieve_groups[g][k];
        uint8_t *pattern = malloc((size_t)period);
        memset(pattern, 0xFF, (size_t)period);
        for (int k = 0; k < 3; k++) {
            long p = presieve_groups[g][k];
            if (p == 1) continue;
            long inverse = 1;
            while (30 * inverse % p != 1) inverse++;
            for (int j = 0; j < 8; j++)
                for (long b = (p - wheel_offsets[j] % p) * inverse % p; b < period; b += p)
                    pattern[b] &= (uint8_t)~(1u << j);
        }
        presieve_period[g] = period;
        presieve_pattern[g] = pattern;
    }
}

static inline void presieve_pass(uint8_t *s, long count, long first_byte, int g, int assign)
{
    const uint8_t *p0 = presieve_pattern[g], *p1 = presieve_pattern[g + 1];
    const uint8_t *p2 = presieve_pattern[g + 2], *p3 = presieve_pattern[g + 3];
    long n0 = presieve_period[g], n1 = presieve_period[g + 1], n2 = presieve_period[g + 2], n3 = presieve_period[g + 3];
    long o0 = first_byte % n0, o1 = first_byte % n1, o2 = first_byte % n2, o3 = first_byte % n3;
    long done = 0;
    while (done < count) {
        long run = count - done;
        if (n0 - o0 < run) run = n0 - o0;
        if (n1 - o1 < run) run = n1 - o1;
        if (n2 - o2 < run) run = n2 - o2;
        if (n3 - o3 < run) run = n3 - o3;
        uint8_t *d = s + done;
        const uint8_t *a = p0 + o0, *b = p1 + o1, *c = p2 + o2, *e = p3 + o3;
        if (assign)
            for (long t = 0; t < run; t++) d[t] = a[t] & b[t] & c[t] & e[t];
        else
            for (long t = 0; t < run; t++) d[t] &= a[t] & b[t] & c[t] & e[t];
        done += run;
        o0 += run; if (o0 == n0) o0 = 0;
        o1 += run; if (o1 == n1) o1 = 0;
        o2 += run; if (o2 == n2) o2 = 0;
        o3 += run; if (o3 == n3) o3 = 0;
    }
}

static inline void presieve_apply(uint8_t *s, long count, long first_byte)
{
    presieve_pass(s, count, first_byte, 0, 1);
    presieve_pass(s, count, first_byte, 4, 0);
}

/* Sets the pre-sieved primes' own bits and clears 1, in a chunk starting at global byte first_byte. */
static void presieve_restore(uint8_t *s, long count, long first_byte)
{
    for (int g = 0; g < 8; g++)
        for (int k = 0; k < 3; k++) {
            long p = presieve_groups[g][k];
            if (p == 1) continue;
            long b = p / 30 - first_byte;
            if (b >= 0 && b < count) s[b] |= (uint8_t)(1u << wheel_index_of_residue[p % 30]);
        }
    if (first_byte == 0) s[0] &= 0xFE;
}

/* ---- small and medium sieving primes ---- */

typedef struct {
    long turn;       /* byte of the current wheel turn (of p(30k + 1)) in the current chunk or segment;
                        the next multiple is at turn + o_wheel_index; may be negative */
    uint32_t q;      /* p = 30q + r, r given by the list */
    uint8_t wheel_index;
} sieving_prime;

/* The 8 multiples of a turn lie at t + o_j with o_j = q(w_j - 1) + c_j, c_j = floor(r w_j / 30), where t is the
   byte of p(30k + 1); the next turn starts p bytes later. Each prime whose turn starts in s[0, length) finishes
   that turn, then crosses off whole turns while the turn starts in it, unchecked: the last turn may run up to p
   bytes past the end (the next chunk or segment, pre-sieved already), and every prime then starts a whole turn
   (wheel index 0) there. */
static inline __attribute__((always_inline)) void
cross_off_whole_generic(uint8_t *s, long length, sieving_prime *primes, long count, long r,
                        long c1, long c2, long c3, long c4, long c5, long c6, long c7,
                        uint8_t m0, uint8_t m1, uint8_t m2, uint8_t m3, uint8_t m4, uint8_t m5, uint8_t m6, uint8_t m7)
{
    uint8_t *chunk_end = s + length;
    for (long k = 0; k < count; k++) {
        long turn = primes[k].turn;
        if (turn >= length) { /* the turn starts past this chunk or segment */
            primes[k].turn = turn - length;
            continue;
        }
        uint8_t *t = s + turn;
        long q = primes[k].q;
        long o1 = q * 6 + c1, o2 = q * 10 + c2, o3 = q * 12 + c3, o4 = q * 16 + c4;
        long o5 = q * 18 + c5, o6 = q * 22 + c6, o7 = q * 28 + c7, p = q * 30 + r;
        switch (primes[k].wheel_index) { /* finish the current turn: its multiples lie before t + p */
        case 1: t[o1] &= m1; /* fall through */
        case 2: t[o2] &= m2; /* fall through */
        case 3: t[o3] &= m3; /* fall through */
        case 4: t[o4] &= m4; /* fall through */
        case 5: t[o5] &= m5; /* fall through */
        case 6: t[o6] &= m6; /* fall through */
        case 7: t[o7] &= m7; t += p; break;
        default: break;
        }
        while (t < chunk_end) { /* whole turns that start in the chunk */
            t[0] &= m0; t[o1] &= m1; t[o2] &= m2; t[o3] &= m3;
            t[o4] &= m4; t[o5] &= m5; t[o6] &= m6; t[o7] &= m7;
            t += p;
        }
        primes[k].turn = t - chunk_end;
        primes[k].wheel_index = 0;
    }
}

#define CROSS_OFF(R, C1, C2, C3, C4, C5, C6, C7, M0, M1, M2, M3, M4, M5, M6, M7)                     \
    static __attribute__((noinline)) void cross_off_whole_##R(uint8_t *s, long length,                  \
                                                              sieving_prime *primes, long count)        \
    {                                                                                                   \
        cross_off_whole_generic(s, length, primes, count, R, C1, C2, C3, C4, C5, C6, C7,                \
                                M0, M1, M2, M3, M4, M5, M6, M7);                                        \
    }
CROSS_OFF(1, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFD, 0xFB, 0xF7, 0xEF, 0xDF, 0xBF, 0x7F)
CROSS_OFF(7, 1, 2, 3, 3, 4, 5, 6, 0xFD, 0xDF, 0xEF, 0xFE, 0x7F, 0xF7, 0xFB, 0xBF)
CROSS_OFF(11, 2, 4, 4, 6, 6, 8, 10, 0xFB, 0xEF, 0xFE, 0xBF, 0xFD, 0x7F, 0xF7, 0xDF)
CROSS_OFF(13, 3, 4, 5, 7, 8, 9, 12, 0xF7, 0xFE, 0xBF, 0xDF, 0xFB, 0xFD, 0x7F, 0xEF)
CROSS_OFF(17, 3, 6, 7, 9, 10, 13, 16, 0xEF, 0x7F, 0xFD, 0xFB, 0xDF, 0xBF, 0xFE, 0xF7)
CROSS_OFF(19, 4, 6, 8, 10, 12, 14, 18, 0xDF, 0xF7, 0x7F, 0xFD, 0xBF, 0xFE, 0xEF, 0xFB)
CROSS_OFF(23, 5, 8, 9, 13, 14, 17, 22, 0xBF, 0xFB, 0xF7, 0x7F, 0xFE, 0xEF, 0xDF, 0xFD)
CROSS_OFF(29, 6, 10, 12, 16, 18, 22, 28, 0x7F, 0xBF, 0xDF, 0xEF, 0xF7, 0xFB, 0xFD, 0xFE)

static inline void cross_off_whole(int ri, uint8_t *s, long length, sieving_prime *primes, long count)
{
    switch (ri) {
    case 0: cross_off_whole_1(s, length, primes, count); break;
    case 1: cross_off_whole_7(s, length, primes, count); break;
    case 2: cross_off_whole_11(s, length, primes, count); break;
    case 3: cross_off_whole_13(s, length, primes, count); break;
    case 4: cross_off_whole_17(s, length, primes, count); break;
    case 5: cross_off_whole_19(s, length, primes, count); break;
    case 6: cross_off_whole_23(s, length, primes, count); break;
    default: cross_off_whole_29(s, length, primes, count); break;
    }
}

/* ---- large sieving primes: buckets ---- */

typedef struct {
    uint32_t q;        /* p = 30q + r */
    uint32_t packed;   /* position in the segment of the bucket << 6 | ri * 8 + i */
} large_prime;

typedef struct {
    uint8_t mask, step_factor, step_correction, next;
} wheel_step;

static wheel_step wheel_steps[64];

typedef struct {
    large_prime *items;
    long count, capacity;
} bucket;

static inline void bucket_append(bucket *b, large_prime item)
{
    if (b->count == b->capacity) {
        long grown = b->capacity < 32 ? 64 : b->capacity * 2;
        b->items = realloc(b->items, sizeof(large_prime) * (size_t)grown);
        b->capacity = grown;
    }
    b->items[b->count++] = item;
}

typedef struct {
    long segment;
    large_prime prime;
} waiting_prime;

static int compare_waiting(const void *a, const void *b)
{
    long x = ((const waiting_prime *)a)->segment, y = ((const waiting_prime *)b)->segment;
    return (x > y) - (x < y);
}

static void wheel_init(void)
{
    static const int w[9] = {1, 7, 11, 13, 17, 19, 23, 29, 31};
    for (int r = 0; r < 30; r++) wheel_index_of_residue[r] = -1;
    for (int i = 0; i < 8; i++) wheel_index_of_residue[wheel_offsets[i]] = i;
    for (int ri = 0; ri < 8; ri++)
        for (int i = 0; i < 8; i++) {
            int r = w[ri];
            wheel_steps[ri * 8 + i].mask = (uint8_t)~(1u << wheel_index_of_residue[r * w[i] % 30]);
            wheel_steps[ri * 8 + i].step_factor = (uint8_t)(w[i + 1] - w[i]);
            wheel_steps[ri * 8 + i].step_correction = (uint8_t)(r * w[i + 1] / 30 - r * w[i] / 30);
            wheel_steps[ri * 8 + i].next = (uint8_t)(ri * 8 + (i + 1) % 8);
        }
}

static inline uint64_t popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

/* Pre-sieves s[0, count), the global bytes from first_byte, chunk by chunk. */
static void presieve_region(uint8_t *s, long count, long first_byte)
{
    for (long chunk = 0; chunk < count; chunk += CHUNK_BYTES) {
        long chunk_length = count - chunk < CHUNK_BYTES ? count - chunk : CHUNK_BYTES;
        presieve_apply(s + chunk, chunk_length, first_byte + chunk);
        if (first_byte + chunk < PRESIEVE_LARGEST / 30 + 1) presieve_restore(s + chunk, chunk_length, first_byte + chunk);
    }
}

/* ---- the segmented sieve: the number of primes in [low, high) ---- */

static long count_primes(long low, long high, const long *base, long base_count)
{
    long total = 0;
    for (long p = 2; p <= 5; p++)
        if (p != 4 && low <= p && p < high) total++;
    if (low < 0) low = 0;
    if (low >= high || high <= 7) return total;
    long first_byte = low / 30, end_byte = (high - 1) / 30 + 1, total_bytes = end_byte - first_byte;
    long root = integer_sqrt(high - 1);
    int shift = __builtin_ctzl(SEGMENT_BYTES);

    /* sieving primes in 16 lists (small then medium, by residue), large ones aside */
    long list_count[16] = {0}, largest_q = 0, large_count = 0, largest_medium = 0;
    sieving_prime *lists[16];
    for (int l = 0; l < 16; l++) lists[l] = malloc(sizeof(sieving_prime) * (size_t)(base_count + 1));
    large_prime *large = malloc(sizeof(large_prime) * (size_t)(base_count + 1));
    long *large_position = malloc(sizeof(long) * (size_t)(base_count + 1));
    for (long k = 0; k < base_count; k++) {
        long p = base[k];
        if (p <= PRESIEVE_LARGEST) continue;
        if (p > root) break;
        long q = p / 30, ri = wheel_index_of_residue[p % 30];
        long m = low / p + (low % p == 0 ? 0 : 1);
        if (m < p) m = p;
        long kk = m / 30, i = 0;
        while (i < 8 && wheel_offsets[i] < m % 30) i++;
        if (i == 8) { i = 0; kk++; }
        long position = p * kk + q * wheel_offsets[i] + wheel_offsets[ri] * wheel_offsets[i] / 30 - first_byte;
        if (position >= total_bytes) continue;
        largest_q = q;
        if (p > 2 * SEGMENT_BYTES) {
            large[large_count].q = (uint32_t)q;
            large[large_count].packed = (uint32_t)(ri * 8 + i);
            large_position[large_count++] = position;
        } else {
            int l = (p <= SMALL_PRIME_LIMIT ? 0 : 8) + (int)ri;
            largest_medium = p;
            sieving_prime entry = {p * kk + q - first_byte, (uint32_t)q, (uint8_t)i};  /* byte of p(30kk + 1) */
            lists[l][list_count[l]++] = entry;
        }
    }

    /* the bucket ring and the waiting list */
    long ring_size = 1;
    while (ring_size < 2 + ((6 * largest_q + 6) >> shift)) ring_size *= 2;
    long ring_mask = ring_size - 1;
    bucket *ring = calloc((size_t)ring_size, sizeof(bucket));
    waiting_prime *waiting = malloc(sizeof(waiting_prime) * (size_t)(large_count + 1));
    long waiting_count = 0, next_waiting = 0;
    for (long k = 0; k < large_count; k++) {
        long segment = large_position[k] >> shift;
        large_prime item = large[k];
        item.packed |= (uint32_t)((large_position[k] & (SEGMENT_BYTES - 1)) << 6);
        if (segment < ring_size) bucket_append(&ring[segment], item);
        else { waiting[waiting_count].segment = segment; waiting[waiting_count++].prime = item; }
    }
    qsort(waiting, (size_t)waiting_count, sizeof(waiting_prime), compare_waiting);

    /* the sieve array of one segment, followed by `ahead` bytes of what comes next, pre-sieved before the current
       segment is sieved, and room before it: both as long as the largest small or medium prime (rounded up to 64); its
       last turn in a segment may run up to p bytes past it, and its first turn in the range may start up to p bytes
       before the array */
    long room = (largest_medium + 63) / 64 * 64;
    long middle = total_bytes < SEGMENT_BYTES ? total_bytes : SEGMENT_BYTES;
    middle = (middle + 63) / 64 * 64;
    long ahead = room;
    uint8_t *allocation = aligned_alloc(64, (size_t)(room + middle + ahead + 64));
    uint8_t *bytes = allocation + room;
    long ready = 0; /* bytes from the segment's start pre-sieved already */
    long segment = 0;
    for (long start = 0; start < total_bytes; start += SEGMENT_BYTES, segment++) {
        long length = total_bytes - start < SEGMENT_BYTES ? total_bytes - start : SEGMENT_BYTES;
        /* what follows is pre-sieved before any prime crosses off into it */
        long wanted = total_bytes - start < SEGMENT_BYTES + ahead ? total_bytes - start : SEGMENT_BYTES + ahead;
        if (wanted > ready) presieve_region(bytes + ready, wanted - ready, first_byte + start + ready);
        /* the small primes chunk by chunk (L1), then the medium primes over the whole segment (L2) */
        for (long chunk = 0; chunk < length; chunk += CHUNK_BYTES) {
            long chunk_length = length - chunk < CHUNK_BYTES ? length - chunk : CHUNK_BYTES;
            for (int ri = 0; ri < 8; ri++)
                if (list_count[ri]) cross_off_whole(ri, bytes + chunk, chunk_length, lists[ri], list_count[ri]);
        }
        for (int ri = 0; ri < 8; ri++)
            if (list_count[8 + ri]) cross_off_whole(ri, bytes, length, lists[8 + ri], list_count[8 + ri]);

        /* large primes: this segment's bucket */
        while (next_waiting < waiting_count && waiting[next_waiting].segment <= segment + ring_mask) {
            bucket_append(&ring[waiting[next_waiting].segment & ring_mask], waiting[next_waiting].prime);
            next_waiting++;
        }
        {
            bucket *current = &ring[segment & ring_mask];
            long count = current->count, remaining = total_bytes - start;
            large_prime *items = current->items;
            current->count = 0;
            for (long k = 0; k < count; k++) {
                long position = items[k].packed >> 6, q = items[k].q, wheel = items[k].packed & 63;
                do {
                    wheel_step step = wheel_steps[wheel];
                    bytes[position] &= step.mask;
                    position += q * step.step_factor + step.step_correction;
                    wheel = step.next;
                } while (position < length);
                if (position < remaining) {
                    large_prime next = {(uint32_t)q, (uint32_t)((position & (SEGMENT_BYTES - 1)) << 6 | wheel)};
                    bucket_append(&ring[(segment + (position >> shift)) & ring_mask], next);
                }
            }
        }

        /* clear the bits outside [low, high) and the padding, then count */
        if (start == 0) {
            int b = 0;
            while (b < 8 && 30 * first_byte + wheel_offsets[b] < low) b++;
            bytes[0] &= (uint8_t)(0xFF << b);
        }
        if (start + length == total_bytes) {
            int b = 0;
            while (b < 8 && 30 * (end_byte - 1) + wheel_offsets[b] < high) b++;
            bytes[length - 1] &= (uint8_t)((1 << b) - 1);
        }
        long words = (length + 7) / 8;
        for (long pad = length; pad < words * 8; pad++) bytes[pad] = 0;
        const uint64_t *w = (const uint64_t *)bytes;
        long sum = 0;
        for (long k = 0; k < words; k++) sum += (long)popcount64(w[k]);
        total += sum;
        /* what follows, pre-sieved and with the crossings that ran into it, moves to the front */
        ready = wanted - length;
        if (ready > 0) memmove(bytes, bytes + SEGMENT_BYTES, (size_t)ready);
    }

    free(allocation);
    for (long k = 0; k < ring_size; k++) free(ring[k].items);
    free(ring);
    free(waiting);
    free(large);
    free(large_position);
    for (int l = 0; l < 16; l++) free(lists[l]);
    return total;
}

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long limit = (long)option(argc, argv, "--limit", 1e6);
    if (limit < 0 || limit >= (1L << 62)) {
        if (rank == 0) fprintf(stderr, "--limit: 0 ... 2^62 - 1\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    long first, last;
    block(limit + 1 > 2 ? limit - 1 : 0, size, rank, &first, &last);  /* a block of [2, limit + 1) */

    long base_count;
    long *base = base_primes(integer_sqrt(limit), &base_count);  /* before the timer, as in Sources/primes */

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    wheel_init();
    presieve_init();
    long count = count_primes(2 + first, 2 + last, base, base_count);
    double seconds = MPI_Wtime() - start;
    free(base);

    long total = 0;
    MPI_Reduce(&count, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("primes", (double)total, seconds);
    MPI_Finalize();
    return 0;
}

/*
 * collatz_table.c - the C port of Sources/collatz's algorithm, the peer of the Swift program (as
 * collatz.c is the lesson's algorithm): for k = 1..N the Collatz steps summed, the largest count and
 * its first k; rank 0 prints the total.
 * - Only odd parts m need a trajectory: steps(2^j m) = j + steps(m). The odd parts 1, 3, 5, ... <= N
 *   are block-split over ranks (index i is m = 2i + 1), as the Swift program's static schedule.
 * - Each trajectory jumps 16 steps of T (n/2, (3n+1)/2) at a time through a 2^16-entry table, until
 *   it falls below 2^22 (less for N below it, at least 2^17), then adds a table of step counts.
 * - Trajectories run 1024 at a time, in rounds of one jump each (Kernels/CollatzTable.swift).
 * - A value past 3^16 (n + 1) + 1 > 2^64 - 1 takes single steps; a tripling past 2^64 - 1 aborts.
 * Usage: collatz-table-c [--limit N]
 * Timed: the table (built per rank) and the local odd parts, as the Swift program's compute time.
 */
#include <stdint.h>
#include "common.h"

enum { JUMP_BITS = 16, BATCH = 1024 };

static uint16_t *table;             /* steps of n < size */
static uint32_t jumps[1 << JUMP_BITS];   /* T^16(b) | odd steps << 26 */
static uint64_t powers[JUMP_BITS + 1];   /* 3^c */
static uint64_t size, jump_limit;

static inline uint64_t jump(uint64_t n, uint32_t *count)
{
    uint32_t entry = jumps[n & 0xFFFF];
    *count += JUMP_BITS + (entry >> 26);
    return (n >> JUMP_BITS) * powers[entry >> 26] + (entry & 0x3FFFFFF);
}

static void build_table(uint64_t limit)
{
    for (size = 1u << (JUMP_BITS + 1); size < (1u << 22) && size < limit; size *= 2) {}   /* as size(from: 1, through: limit) */
    powers[0] = 1;
    for (int i = 1; i <= JUMP_BITS; i++) powers[i] = 3 * powers[i - 1];
    jump_limit = (UINT64_MAX - 1) / powers[JUMP_BITS] - 1;
    for (uint64_t b = 0; b < (1u << JUMP_BITS); b++) {
        uint64_t x = b, odd = 0;
        for (int i = 0; i < JUMP_BITS; i++) {
            if (x & 1) { x = (3 * x + 1) / 2; odd++; } else x /= 2;
        }
        jumps[b] = (uint32_t)(odd << 26 | x);
    }
    table = calloc(size, sizeof *table);
    if (!table) { fprintf(stderr, "out of memory\n"); MPI_Abort(MPI_COMM_WORLD, 1); }
    uint64_t first = 1u << (JUMP_BITS + 1);
    for (uint64_t n = 2; n < first; n++) {
        if (!(n & 1)) { table[n] = table[n / 2] + 1; continue; }
        uint64_t x = n;
        uint16_t count = 0;
        while (x >= n) { x = (x & 1) ? 3 * x + 1 : x / 2; count++; }
        table[n] = count + table[x];
    }
    for (uint64_t low = first; low < size; low *= 2)
        for (uint64_t n = low; n < 2 * low; n++) {
            if (!(n & 1)) { table[n] = table[n / 2] + 1; continue; }
            uint64_t x = n;
            uint32_t count = 0;
            while (x >= low) x = jump(x, &count);
            table[n] = (uint16_t)(count + table[x]);
        }
}

/* Steps from n >= size to 1; aborts naming `start` if a tripling would pass 2^64 - 1. */
static long finish(uint64_t n, long start, int rank)
{
    long steps = 0;
    while (n >= size) {
        if (n <= jump_limit) {
            uint32_t count = 0;
            n = jump(n, &count);
            steps += count;
        } else if ((n & 1) == 0) {
            int zeros = __builtin_ctzll(n);
            n >>= zeros;
            steps += zeros;
        } else {
            if (n > (UINT64_MAX - 1) / 3) {
                fprintf(stderr, "rank %d: the Collatz trajectory of %ld exceeds 2^64 - 1\n", rank, start);
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
            n = 3 * n + 1;
            steps += 1;
        }
    }
    return steps + table[n];
}

static long total, best = -1, argmax;
static uint64_t limit;

/* The starts 2^j m <= limit of odd parts m, m only growing: j = 0..top; top falls when m passes
 * bound = limit >> top, and between those points count and the sum of j stay the same. */
static int top;
static uint64_t bound;
static long count, sum_of_j;

static void settle(void)
{
    bound = limit >> top;
    count = top + 1;
    sum_of_j = (long)top * count / 2;
}

static inline void add(uint64_t m, long steps)
{
    if (m > bound) {
        do top--; while (m > (limit >> top));
        settle();
    }
    total += count * steps + sum_of_j;
    long most = steps + top, start = (long)(m << top);
    if (most > best || (most == best && start < argmax)) { best = most; argmax = start; }
}

int main(int argc, char **argv)
{
    int rank, size_ranks;
    start_mpi(&argc, &argv, &rank, &size_ranks);
    limit = (uint64_t)option(argc, argv, "--limit", 10000000);
    long first, last;
    block((long)(limit + 1) / 2, size_ranks, rank, &first, &last);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    build_table(limit);
    uint64_t m = 2 * (uint64_t)first + 1, end = 2 * (uint64_t)last + 1;   /* odd parts m < end */
    if (m < end) {   /* m <= limit */
        top = __builtin_clzll(m) - __builtin_clzll(limit);
        if ((m << top) > limit) top--;
        settle();
    }
    for (; m < end && m < size; m += 2) add(m, table[m]);
    static uint64_t values[BATCH];
    static uint32_t counts[BATCH], active[BATCH];
    while (m < end && m <= jump_limit) {
        uint64_t lanes = (end - m) / 2;
        if (lanes > BATCH) lanes = BATCH;
        if (lanes > (jump_limit - m) / 2 + 1) lanes = (jump_limit - m) / 2 + 1;
        for (uint32_t lane = 0; lane < lanes; lane++) {
            values[lane] = m + 2 * lane;
            counts[lane] = 0;
            active[lane] = lane;
        }
        uint32_t remaining = (uint32_t)lanes;
        while (remaining > 0) {
            uint32_t next = 0;
            for (uint32_t slot = 0; slot < remaining; slot++) {
                uint32_t lane = active[slot];
                uint64_t y = jump(values[lane], &counts[lane]);
                values[lane] = y;
                active[next] = lane;
                /* stays if size <= y <= jump_limit (y < 2^49): as the Swift kernel, arithmetic */
                int64_t outside = ((int64_t)y - (int64_t)size) | ((int64_t)jump_limit - (int64_t)y);
                next += 1 + (int32_t)(outside >> 63);
            }
            remaining = next;
        }
        /* two passes with fewer values live in each, as the Swift kernel: the steps, then the sums */
        for (uint32_t lane = 0; lane < lanes; lane++) {
            uint64_t y = values[lane];
            counts[lane] += y < size ? table[y] : (uint32_t)finish(y, (long)(m + 2 * lane), rank);
        }
        for (uint32_t lane = 0; lane < lanes; lane++) add(m + 2 * lane, counts[lane]);
        m += 2 * lanes;
    }
    for (; m < end; m += 2) add(m, finish(m, (long)m, rank));
    double seconds = MPI_Wtime() - start;

    long sum = 0;
    MPI_Reduce(&total, &sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("collatz-table", (double)sum, seconds);
    free(table);
    MPI_Finalize();
    return 0;
}

/*
 * collatz.c - the C reference of Sources/collatz (static schedule): for k = 1..N the Collatz steps
 * (halvings taken at once by the trailing zero bits, a tripling that would pass 2^64 - 1 aborts),
 * summed; the largest count and its first k. Start values block-split over ranks, reduced to rank 0.
 * Usage: collatz-c [--limit N]
 * Timed: the local start values (as the Swift program's compute time).
 */
#include <stdint.h>
#include "common.h"

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long limit = (long)option(argc, argv, "--limit", 10000000);
    long first, last;
    block(limit, size, rank, &first, &last);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    long total = 0, best = -1, argmax = 0;
    for (long k = first + 1; k <= last; k++) {
        uint64_t n = (uint64_t)k;
        long steps = 0;
        while (n != 1) {
            if ((n & 1) == 0) {
                int zeros = __builtin_ctzll(n);
                n >>= zeros;
                steps += zeros;
            } else {
                if (n > (UINT64_MAX - 1) / 3) {
                    fprintf(stderr, "rank %d: the Collatz trajectory of %ld exceeds 2^64 - 1\n", rank, k);
                    MPI_Abort(MPI_COMM_WORLD, 1);
                }
                n = 3 * n + 1;
                steps += 1;
            }
        }
        total += steps;
        if (steps > best) { best = steps; argmax = k; }
    }
    double seconds = MPI_Wtime() - start;

    long sum = 0;
    MPI_Reduce(&total, &sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    (void)argmax;
    report("collatz", (double)sum, seconds);
    MPI_Finalize();
    return 0;
}

/*
 * primes_trial.c - the C reference of `primes --method trial --schedule cyclic`: the lesson's kernel, k is
 * prime when no d in 2..isqrt(k) divides it (every d, not only primes; isqrt exact, as integerSquareRoot
 * in Sources/Kernels/SieveBasePrimes.swift), counted over [2, N].
 * Split: cyclic, as the harness's CyclicPartition(2..<N+1, parts: size)[rank]: rank r tests
 * k = 2 + r, 2 + r + size, 2 + r + 2 size, ... (k - 2 = r mod size), so the costly large k are spread
 * over all ranks instead of piling up on the last block. With an even number of ranks the even k (which
 * cost one division) all go to the even ranks, so the odd ranks do nearly all the work; the
 * compute_seconds printed is the slowest rank's, as for the Swift program.
 * The counts are reduced to rank 0, which prints `result` and `compute_seconds`.
 * Usage: primes-trial-c [--limit N]        (default 1e6)
 * Timed: each rank's loop over its numbers.
 */
#include <math.h>
#include "common.h"

static inline int is_prime_by_trial_division(long k)
{
    if (k < 2) return 0;
    long root = integer_sqrt(k);
    for (long d = 2; d <= root; d++)
        if (k % d == 0) return 0;
    return 1;
}

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long limit = (long)option(argc, argv, "--limit", 1e6);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    long count = 0;
    for (long k = 2 + rank; k <= limit; k += size) count += is_prime_by_trial_division(k);
    double seconds = MPI_Wtime() - start;

    long total = 0;
    MPI_Reduce(&count, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("primes", (double)total, seconds);
    MPI_Finalize();
    return 0;
}

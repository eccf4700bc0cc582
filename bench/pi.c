/*
 * pi.c - the C reference of Sources/pi: dart k is the Philox4x32-10 block of counter (k, 0) under the
 * key `seed` (Random123's algorithm), x and y the top 53 bits of words 0-1 and 2-3; darts are
 * block-split over ranks, the counts reduced to rank 0.
 * Usage: pi-c [--darts N] [--seed S]
 * Timed: the local darts (as the Swift program's compute time).
 */
#include <stdint.h>
#include "common.h"
#include "philox.h"

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long darts = (long)option(argc, argv, "--darts", 30000000);
    uint64_t seed = (uint64_t)option(argc, argv, "--seed", 1);
    long first, last;
    block(darts, size, rank, &first, &last);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    long inside = 0;
    for (long dart = first; dart < last; dart++) {
        uint32_t c[4] = {(uint32_t)dart, (uint32_t)((uint64_t)dart >> 32), 0, 0};
        philox4x32_10(c, (uint32_t)seed, (uint32_t)(seed >> 32));
        double x = unit(c[0], c[1]), y = unit(c[2], c[3]);
        if (x * x + y * y < 1.0) inside++;
    }
    double seconds = MPI_Wtime() - start;

    long total = 0;
    MPI_Reduce(&inside, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("pi", 4.0 * (double)total / (double)darts, seconds);
    MPI_Finalize();
    return 0;
}

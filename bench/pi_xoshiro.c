/*
 * pi_xoshiro.c - Monte Carlo pi as a C programmer would write it for speed: xoshiro256** per rank
 * (bench/xoshiro.h), darts block-split over ranks, counts reduced to rank 0. The peer of Sources/pi
 * for speed only: its darts, so its count, change with the number of ranks.
 * Usage: pi-xoshiro-c [--darts N] [--seed S]
 */
#include "common.h"
#include "xoshiro.h"

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long darts = (long)option(argc, argv, "--darts", 30000000);
    uint64_t seed = (uint64_t)option(argc, argv, "--seed", 1);
    long first, last;
    block(darts, size, rank, &first, &last);
    xoshiro256 g = xoshiro_seeded(seed + (uint64_t)rank);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    long inside = 0;
    for (long dart = first; dart < last; dart++) {
        double x = xoshiro_unit(&g), y = xoshiro_unit(&g);
        inside += x * x + y * y < 1.0;
    }
    double seconds = MPI_Wtime() - start;

    long total = 0;
    MPI_Reduce(&inside, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("pi", 4.0 * (double)total / (double)darts, seconds);
    MPI_Finalize();
    return 0;
}

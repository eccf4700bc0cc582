/*
 * euler_mc.c - the C reference of euler's Monte Carlo method (Sources/Kernels/EulerMonteCarlo.swift):
 * trial k adds the uniforms of Philox4x32-10 blocks (k, j), j = 0, 1, ..., two per block (words 0-1,
 * then 2-3), until the sum passes 1; the mean count estimates e. Trials block-split over ranks,
 * totals reduced to rank 0. With --xoshiro, the peer for speed only: xoshiro256** per rank
 * (bench/xoshiro.h), whose uniforms change with the number of ranks.
 * Usage: euler-mc-c [--trials N] [--seed S] [--xoshiro 1]
 */
#include <stdint.h>
#include "common.h"
#include "philox.h"
#include "xoshiro.h"

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long trials = (long)option(argc, argv, "--trials", 100000000);
    uint64_t seed = (uint64_t)option(argc, argv, "--seed", 1);
    int xoshiro = option(argc, argv, "--xoshiro", 0) != 0;
    long first, last;
    block(trials, size, rank, &first, &last);
    xoshiro256 g = xoshiro_seeded(seed + (uint64_t)rank);

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    long count = 0;
    if (xoshiro) {
        for (long trial = first; trial < last; trial++) {
            double sum = 0;
            do { sum += xoshiro_unit(&g); count++; } while (sum <= 1.0);
        }
    } else {
        for (long trial = first; trial < last; trial++) {
            double sum = 0;
            for (uint32_t block = 0;; block++) {
                uint32_t c[4] = {(uint32_t)trial, (uint32_t)((uint64_t)trial >> 32), block, 0};
                philox4x32_10(c, (uint32_t)seed, (uint32_t)(seed >> 32));
                sum += unit(c[0], c[1]);
                count++;
                if (sum > 1.0) break;
                sum += unit(c[2], c[3]);
                count++;
                if (sum > 1.0) break;
            }
        }
    }
    double seconds = MPI_Wtime() - start;

    long total = 0;
    MPI_Reduce(&count, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    report("euler", (double)total / (double)trials, seconds);
    MPI_Finalize();
    return 0;
}

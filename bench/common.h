/*
 * common.h - what the C references share: option values, the block split of the harness
 * (Sources/SPMDCore/Partition.swift: the first count % parts pieces one longer), and the report.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MPI_Init, then this process's rank and the number of ranks. */
static inline void start_mpi(int *argc, char ***argv, int *rank, int *size)
{
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
}

/* floor(sqrt(n)), exact for every n >= 0 (as integerSquareRoot in Sources/Kernels/Sieve.swift). */
static inline long integer_sqrt(long n)
{
    if (n < 2) return n;
    long r = (long)sqrt((double)n);
    while (r > n / r) r--;
    while (r + 1 <= n / (r + 1)) r++;
    return r;
}

/* The value after `--name` on the command line, or `fallback`; accepts 1e8 and 30000000. */
static inline double option(int argc, char **argv, const char *name, double fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) {
            char *end = NULL;
            double value = strtod(argv[i + 1], &end);
            if (end == argv[i + 1] || *end != '\0') {
                fprintf(stderr, "%s: bad value %s\n", name, argv[i + 1]);
                MPI_Abort(MPI_COMM_WORLD, 2);
            }
            return value;
        }
    return fallback;
}

/* Rank `part`'s block [*start, *end) of [0, count) split into `parts`. */
static inline void block(long count, int parts, int part, long *start, long *end)
{
    long quotient = count / parts, remainder = count % parts;
    *start = part * quotient + (part < remainder ? part : remainder);
    *end = *start + quotient + (part < remainder ? 1 : 0);
}

/* Rank 0 prints the result with all its digits and the slowest rank's seconds. */
static inline void report(const char *program, double result, double seconds)
{
    int rank, size;
    double slowest;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Reduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("%s-c: ranks %d\nresult %.17g\ncompute_seconds %.9f\n", program, size, result, slowest);
}

#endif

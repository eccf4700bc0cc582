/*
 * parallel_map.c - the C reference of Sources/parallel-map (gather mode): result[i] =
 * log(i + num + 1) / sqrt(i + den + 1), block-split over ranks, computed by the same vector kernel
 * (Sources/CVectorMath*, compiled in here: SLEEF's deterministic log, IEEE sqrt and division, the
 * widest path of this CPU or SPMD_VECTOR's), each element added into an exact sum (the checksum,
 * reduced to rank 0), the blocks gathered in index order into rank 0's array (rank 0 computes its
 * block in place there).
 * Built with -DLIBM_LOOP (and -O3 -march=native -ffast-math), it is the fast-math peer instead: the
 * lessons' loop over libm's log and sqrt; its bits differ, so only its time and accuracy are compared.
 * Usage: parallel-map-c [--size N] [--num A] [--den B]
 * Timed: everything from allocation to the end of the gather and the free, as the Swift program's
 * compute time, which ends after its buffer is deallocated.
 */
#include <math.h>
#include "common.h"
#include "exactsum.h"
#ifndef LIBM_LOOP
#include "../Sources/CVectorMath/vectormath.c"
#include "../Sources/CVectorMathAVX2/avx2.c"
#include "../Sources/CVectorMathAVX512/avx512.c"
#include "vectorpath.h"
#endif

int main(int argc, char **argv)
{
    int rank, size;
    start_mpi(&argc, &argv, &rank, &size);
    long count = (long)option(argc, argv, "--size", 1048576);
    double num = option(argc, argv, "--num", 0), den = option(argc, argv, "--den", 0);
    long first, last;
    block(count, size, rank, &first, &last);
#ifndef LIBM_LOOP
    int path = vector_path(rank);
#endif
    int *counts = malloc(sizeof(int) * size), *displacements = malloc(sizeof(int) * size);
    for (int r = 0; r < size; r++) {
        long s, e;
        block(count, size, r, &s, &e);
        counts[r] = (int)(e - s);
        displacements[r] = (int)s;
    }

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    double *values = malloc(sizeof(double) * (size_t)(rank == 0 ? count : last - first));
    exactsum sum;
    exactsum_init(&sum);
#ifdef LIBM_LOOP
    for (long i = first; i < last; i++) {
        double number = (double)i;
        double value = log(number + num + 1.0) / sqrt(number + den + 1.0);
        values[i - first] = value;
        exactsum_add(&sum, value);
    }
#else
    /* In pieces of 32 KiB, each added to the checksum while it is still in the cache. */
    for (long start = first; start < last; start += 4096) {
        long end = start + 4096 < last ? start + 4096 : last;
        vm_driver(path, values + (start - first), start, end - start, num, den);
        for (long i = start; i < end; i++) exactsum_add(&sum, values[i - first]);
    }
#endif
    exactsum_normalize(&sum);
    int64_t limbs[EXACTSUM_LIMBS];
    MPI_Reduce(sum.limb, limbs, EXACTSUM_LIMBS, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0)
        MPI_Gatherv(MPI_IN_PLACE, 0, MPI_DOUBLE, values, counts, displacements, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    else
        MPI_Gatherv(values, counts[rank], MPI_DOUBLE, NULL, NULL, NULL, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    /* Freed inside the timed region, as the Swift program frees its buffer before its compute
     * time ends: returning the buffer to the kernel (800 MB at make bench's 10^8) is part of the
     * work. */
    free(values);
    double seconds = MPI_Wtime() - start;

    report("parallel-map", rank == 0 ? exactsum_round(limbs) : 0, seconds);
    free(counts);
    free(displacements);
    MPI_Finalize();
    return 0;
}

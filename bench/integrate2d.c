/*
 * integrate2d.c - the C reference of Sources/integrate2d: the midpoint rule for the integral of
 * sin(x + y) on an n x n grid, rows block-split over ranks, each row summed by the same vector
 * kernel (Sources/CVectorMath*, compiled in here: SLEEF's deterministic sin, eight partial sums in a
 * fixed order, the widest path of this CPU or SPMD_VECTOR's), the row sums added into an exact sum,
 * whose limbs are reduced to rank 0 and rounded once.
 * Built with -DLIBM_LOOP (and -O3 -march=native -ffast-math), it is the fast-math peer instead: the
 * lessons' loop left to right over libm's sin, which the compiler vectorizes (glibc's libmvec); its
 * bits differ, so only its time and accuracy are compared.
 * Usage: integrate2d-c [--bins N] [--xmin A] [--xmax B] [--ymin C] [--ymax D]
 * Timed: the local rows (as the Swift program's compute time).
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
    long bins = (long)option(argc, argv, "--bins", 10000);
    double xmin = option(argc, argv, "--xmin", 0), xmax = option(argc, argv, "--xmax", 3.141592653589793);
    double ymin = option(argc, argv, "--ymin", 0), ymax = option(argc, argv, "--ymax", 3.141592653589793);
    double hx = (xmax - xmin) / (double)bins, hy = (ymax - ymin) / (double)bins;
    long first, last;
    block(bins, size, rank, &first, &last);
#ifndef LIBM_LOOP
    int path = vector_path(rank);
#endif

    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    exactsum total;
    exactsum_init(&total);
    for (long row = first; row < last; row++) {
        double x = xmin + hx * ((double)row + 0.5);
#ifdef LIBM_LOOP
        double sum = 0.0;
        for (long column = 0; column < bins; column++) sum += sin(x + (ymin + hy * ((double)column + 0.5)));
#else
        double sum = vm_sin_row_sum(path, x, ymin, hy, bins);
#endif
        exactsum_add(&total, sum);
    }
    exactsum_normalize(&total);
    double seconds = MPI_Wtime() - start;

    int64_t limbs[EXACTSUM_LIMBS];
    MPI_Reduce(total.limb, limbs, EXACTSUM_LIMBS, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    report("integrate2d", rank == 0 ? hx * hy * exactsum_round(limbs) : 0, seconds);
    MPI_Finalize();
    return 0;
}

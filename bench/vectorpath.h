/*
 * vectorpath.h - the vector path of the references that use Sources/CVectorMath: SPMD_VECTOR
 * (scalar, avx2, avx512), else the widest this CPU has (as Sources/Kernels/VectorPath.swift).
 */
#ifndef BENCH_VECTORPATH_H
#define BENCH_VECTORPATH_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int vector_path(int rank)
{
    static const char *names[] = {"scalar", "avx2", "avx512"};
    const char *given = getenv("SPMD_VECTOR");
    int path = vm_best();
    if (given && *given) {
        path = -1;
        for (int p = 0; p < 3; p++)
            if (strcmp(given, names[p]) == 0) path = vm_supported(p) ? p : -1;
    }
    if (path < 0) {
        fprintf(stderr, "rank %d: no vector path (SPMD_VECTOR=%s; FMA needed)\n", rank, given ? given : "");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    return path;
}

#endif

/*
 * pingpong.c - OSU-style MPI ping-pong latency/bandwidth reference in C.
 *
 * Ranks 0 and 1 exchange MPI_UINT8_T buffers with blocking MPI_Send/MPI_Recv;
 * any further ranks only take part in the per-size barriers.
 *
 * Usage: pingpong [--min-size BYTES] [--max-size BYTES] [--iterations N]
 *   --min-size    smallest message in bytes (default 1)
 *   --max-size    largest message in bytes (default 16777216)
 *   --iterations  timed round trips per size (default 0 = automatic:
 *                 10000 for size <= 8192, 1000 above)
 * Sizes are the powers of two from min to max. Warm-up (not timed):
 * 100 round trips for size <= 8192, 10 above.
 *
 * Output (rank 0 only):
 *   # pingpong-c: ranks 0 and 1 of N
 *   # bytes latency_us bandwidth_MBps
 *   <bytes> <latency_us %.3f> <bandwidth_MBps %.2f>
 */
#define _POSIX_C_SOURCE 200112L

#include <errno.h>
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LARGE_THRESHOLD 8192L
#define ITERS_SMALL 10000L
#define ITERS_LARGE 1000L
#define SKIP_SMALL 100L
#define SKIP_LARGE 10L
#define ALIGNMENT 64

static int parse_long(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        return -1;
    }
    *out = v;
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: pingpong [--min-size BYTES] [--max-size BYTES] "
               "[--iterations N]\n");
}

/* Returns 0 on success, 1 for --help, -1 on error (message already printed). */
static int parse_args(int argc, char **argv, int rank, long *min_size,
                      long *max_size, long *iterations)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long *target = NULL;
        if (strcmp(a, "--min-size") == 0) {
            target = min_size;
        } else if (strcmp(a, "--max-size") == 0) {
            target = max_size;
        } else if (strcmp(a, "--iterations") == 0) {
            target = iterations;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            if (rank == 0) {
                usage(stdout);
            }
            return 1;
        } else {
            if (rank == 0) {
                fprintf(stderr, "pingpong-c: unknown argument '%s'\n", a);
                usage(stderr);
            }
            return -1;
        }
        if (i + 1 >= argc || parse_long(argv[i + 1], target) != 0) {
            if (rank == 0) {
                fprintf(stderr, "pingpong-c: %s needs an integer value\n", a);
            }
            return -1;
        }
        i++;
    }
    if (*min_size < 1 || *max_size < *min_size || *max_size > INT_MAX ||
        *iterations < 0) {
        if (rank == 0) {
            fprintf(stderr, "pingpong-c: need 1 <= min-size <= max-size <= %d "
                            "and iterations >= 0\n", INT_MAX);
        }
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);

    MPI_Comm comm = MPI_COMM_WORLD;
    int rank = 0;
    int nranks = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &nranks);

    long min_size = 1;
    long max_size = 16777216L;
    long iterations = 0;
    int pa = parse_args(argc, argv, rank, &min_size, &max_size, &iterations);
    if (pa != 0) {
        MPI_Finalize();
        return pa > 0 ? 0 : 2;
    }

    if (nranks < 2) {
        if (rank == 0) {
            fprintf(stderr, "pingpong-c: needs at least 2 ranks\n");
        }
        MPI_Finalize();
        return 2;
    }

    /* Powers of two from min to max: start at the smallest power >= min. */
    long first = 1;
    while (first < min_size) {
        first *= 2;
    }

    uint8_t *buf = NULL;
    if (rank < 2) {
        void *p = NULL;
        if (posix_memalign(&p, ALIGNMENT, (size_t)max_size) != 0) {
            fprintf(stderr, "pingpong-c: rank %d: cannot allocate %ld bytes\n",
                    rank, max_size);
            MPI_Abort(comm, 1);
        }
        buf = p;
        memset(buf, rank == 0 ? 'a' : 'b', (size_t)max_size);
    }

    if (rank == 0) {
        printf("# pingpong-c: ranks 0 and 1 of %d\n", nranks);
        printf("# bytes latency_us bandwidth_MBps\n");
        fflush(stdout);
    }

    for (long size = first; size <= max_size; size *= 2) {
        long iters = iterations > 0
                         ? iterations
                         : (size <= LARGE_THRESHOLD ? ITERS_SMALL : ITERS_LARGE);
        long skip = size <= LARGE_THRESHOLD ? SKIP_SMALL : SKIP_LARGE;
        int count = (int)size;

        MPI_Barrier(comm);

        if (rank == 0) {
            double t0 = 0.0;
            for (long i = 0; i < skip + iters; i++) {
                if (i == skip) {
                    t0 = MPI_Wtime();
                }
                MPI_Send(buf, count, MPI_UINT8_T, 1, 1, comm);
                MPI_Recv(buf, count, MPI_UINT8_T, 1, 1, comm,
                         MPI_STATUS_IGNORE);
            }
            double t1 = MPI_Wtime();
            double latency_us = (t1 - t0) * 1e6 / (2.0 * (double)iters);
            double bandwidth = (double)size / latency_us;
            printf("%ld %.3f %.2f\n", size, latency_us, bandwidth);
            fflush(stdout);
        } else if (rank == 1) {
            for (long i = 0; i < skip + iters; i++) {
                MPI_Recv(buf, count, MPI_UINT8_T, 0, 1, comm,
                         MPI_STATUS_IGNORE);
                MPI_Send(buf, count, MPI_UINT8_T, 0, 1, comm);
            }
        }

        if (size > LONG_MAX / 2) {
            break;
        }
    }

    free(buf);
    MPI_Finalize();
    return 0;
}

/* Errors that return, under the MPI 5.0 standard ABI: the C reproducer behind the layer's one
 * library workaround (Sources/CMPI/shim.h, Implementation.ignoresErrorsReturn). Built with
 * mpicc_abi, run under each libmpi_abi.so by scripts/check-abi-errors.sh.
 *
 *   abi-errors predefined   MPI_ERRORS_RETURN on MPI_COMM_WORLD, then a send to a rank that does
 *                           not exist: prints "returned <class>" if the call returned an error.
 *   abi-errors own          the same with an error handler of our own that only returns.
 *
 * Seen here: MPICH 5.0.2 returns under "predefined" and returns MPI_SUCCESS under "own" (the error
 * is lost); Intel MPI 2021.19 aborts the job under "predefined" and returns the error under "own".
 * Each line is also tried on a duplicate of the world and on a window (MPI_Put to that rank). */
#include <mpi.h>
#include <stdio.h>
#include <string.h>

static void comm_returns(MPI_Comm *comm, int *code, ...) { (void)comm; (void)code; }
static void win_returns(MPI_Win *window, int *code, ...) { (void)window; (void)code; }

static void report(const char *where, int rc) {
    int class = MPI_SUCCESS;
    if (rc != MPI_SUCCESS) MPI_Error_class(rc, &class);
    printf("%s: %s %d\n", where, rc == MPI_SUCCESS ? "success" : "returned", class);
    fflush(stdout);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int own = argc > 1 && strcmp(argv[1], "own") == 0, x = 1, size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Errhandler comm_handler = MPI_ERRORS_RETURN, win_handler = MPI_ERRORS_RETURN;
    if (own) {
        MPI_Comm_create_errhandler(comm_returns, &comm_handler);
        MPI_Win_create_errhandler(win_returns, &win_handler);
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, comm_handler);
    report("world", MPI_Send(&x, 1, MPI_INT, size + 5, 0, MPI_COMM_WORLD));
    MPI_Comm dup;
    MPI_Comm_dup(MPI_COMM_WORLD, &dup);
    report("duplicate", MPI_Send(&x, 1, MPI_INT, size + 5, 0, dup));
    void *base;
    MPI_Win window;
    MPI_Win_allocate(sizeof x, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &base, &window);
    MPI_Win_set_errhandler(window, win_handler);
    MPI_Win_lock_all(0, window);
    report("window", MPI_Put(&x, 1, MPI_INT, size + 5, 0, 1, MPI_INT, window));
    MPI_Win_unlock_all(window);
    MPI_Win_free(&window);
    MPI_Comm_free(&dup);
    MPI_Finalize();
    return 0;
}

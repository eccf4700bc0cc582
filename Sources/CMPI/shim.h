// The one C file between mpi.h and Swift. It hides the differences between MPI implementations:
//
// - Handles are pointers to incomplete structs in Open MPI (and in the MPI 5.0 standard ABI) and
//   `int` in MPICH and its ABI family (Intel MPI, MVAPICH, Cray MPICH). Every call the Swift layer
//   makes goes through a `cmpi_` wrapper here, declared inside `assume_nonnull`, so a handle imports
//   as a non-optional value of one type per implementation (OpaquePointer or Int32) and Swift code
//   that only stores and passes handles compiles against either.
// - Predefined handles and constants are macros (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(...)`,
//   `#define MPI_COMM_WORLD ((MPI_Comm)0x44000000)`); Swift imports MPICH's partly and Open MPI's
//   not at all, so each one is a getter here and Swift never names an MPI macro.
// - `MPI_THREAD_*` are an enum in Open MPI and #defines in MPICH; `MPI_ANY_SOURCE` is -1 in one
//   and -2 in the other; `MPI_Status` differs in size and hidden fields (only MPI_SOURCE, MPI_TAG
//   and MPI_ERROR are portable). All of them are read through here.
#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H

// An MPI with more than one header (MPICH 5.0: mpi.h, or mpi_abi.h for the standard ABI) provides
// cmpi_mpi.h on the include path to choose (scripts/install-mpi.sh); every other one is mpi.h.
#if __has_include(<cmpi_mpi.h>)
#include <cmpi_mpi.h>
#else
#include <mpi.h>
#endif
#include <string.h>

#pragma clang assume_nonnull begin

// MARK: Which implementation this was compiled against
// 1: Open MPI (libmpi.so.40); 2: the MPICH ABI (MPICH, Intel MPI, MVAPICH, Cray MPICH: libmpi.so.12);
// 3: the MPI 5.0 standard ABI (libmpi_abi.so). Names as MPI_Get_library_version prints them.
#if defined(MPI_ABI_VERSION)
static inline int cmpi_family(void) { return 3; }
static inline const char *cmpi_compiled_name(void) { return "the MPI standard ABI"; }
static inline int cmpi_compiled_major(void) { return MPI_VERSION; }
#elif defined(OPEN_MPI)
static inline int cmpi_family(void) { return 1; }
static inline const char *cmpi_compiled_name(void) { return "Open MPI"; }
static inline int cmpi_compiled_major(void) { return OMPI_MAJOR_VERSION; }
#elif defined(I_MPI_VERSION)
static inline int cmpi_family(void) { return 2; }
static inline const char *cmpi_compiled_name(void) { return "Intel MPI"; }
static inline int cmpi_compiled_major(void) { return MPI_VERSION; }
#elif defined(MPICH_VERSION)
static inline int cmpi_family(void) { return 2; }
static inline const char *cmpi_compiled_name(void) { return "MPICH"; }
static inline int cmpi_compiled_major(void) { return MPICH_NUMVERSION / 10000000; }
#else
static inline int cmpi_family(void) { return 0; }
static inline const char *cmpi_compiled_name(void) { return "an unknown MPI"; }
static inline int cmpi_compiled_major(void) { return MPI_VERSION; }
#endif

// Handles written through a pointer (`MPI_Comm CMPI_NN *out`): assume_nonnull covers only the outer pointer,
// so a pointer handle is marked non-null here (CMPI_NN); an int handle takes no nullability.
#if defined(OPEN_MPI) || defined(MPI_ABI_VERSION)
#define CMPI_NN _Nonnull
#else
#define CMPI_NN
#endif

// MARK: Error handlers that return
// The layer makes MPI calls return their errors (MPIError). MPI_ERRORS_RETURN does that under every
// library here but one: Intel MPI 2021.19's standard-ABI library (libmpi_abi.so) accepts it and still
// aborts the job on the first error. A handler of our own that only returns works there, on
// communicators, their duplicates and splits, and windows. It is used only there (Environment):
// MPICH 5.0's libmpi_abi.so returns MPI_SUCCESS from a failing call after such a handler.
// scripts/abi-errors.c reproduces both (make test MPI=abi runs it).
static void cmpi_comm_errors_return_handler(MPI_Comm *comm, int *code, ...) { (void)comm; (void)code; }
static void cmpi_win_errors_return_handler(MPI_Win *window, int *code, ...) { (void)window; (void)code; }
static inline int cmpi_comm_create_returning_errhandler(MPI_Errhandler CMPI_NN *out) {
    return MPI_Comm_create_errhandler(cmpi_comm_errors_return_handler, out);
}
static inline int cmpi_win_create_returning_errhandler(MPI_Errhandler CMPI_NN *out) {
    return MPI_Win_create_errhandler(cmpi_win_errors_return_handler, out);
}

// MARK: Communicators
static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm cmpi_comm_self(void) { return MPI_COMM_SELF; }
static inline MPI_Comm cmpi_comm_null(void) { return MPI_COMM_NULL; }

// MARK: Datatypes
static inline MPI_Datatype cmpi_int8(void) { return MPI_INT8_T; }
static inline MPI_Datatype cmpi_int16(void) { return MPI_INT16_T; }
static inline MPI_Datatype cmpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype cmpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype cmpi_uint8(void) { return MPI_UINT8_T; }
static inline MPI_Datatype cmpi_uint16(void) { return MPI_UINT16_T; }
static inline MPI_Datatype cmpi_uint32(void) { return MPI_UINT32_T; }
static inline MPI_Datatype cmpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype cmpi_bool(void) { return MPI_C_BOOL; }
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
// Value-location pairs for MPI_MINLOC / MPI_MAXLOC
static inline MPI_Datatype cmpi_float_int(void) { return MPI_FLOAT_INT; }
static inline MPI_Datatype cmpi_double_int(void) { return MPI_DOUBLE_INT; }
static inline MPI_Datatype cmpi_long_int(void) { return MPI_LONG_INT; }
static inline MPI_Datatype cmpi_2int(void) { return MPI_2INT; }

// MARK: Reduction operations
static inline MPI_Op cmpi_op_sum(void) { return MPI_SUM; }
static inline MPI_Op cmpi_op_prod(void) { return MPI_PROD; }
static inline MPI_Op cmpi_op_min(void) { return MPI_MIN; }
static inline MPI_Op cmpi_op_max(void) { return MPI_MAX; }
static inline MPI_Op cmpi_op_land(void) { return MPI_LAND; }
static inline MPI_Op cmpi_op_lor(void) { return MPI_LOR; }
static inline MPI_Op cmpi_op_lxor(void) { return MPI_LXOR; }
static inline MPI_Op cmpi_op_band(void) { return MPI_BAND; }
static inline MPI_Op cmpi_op_bor(void) { return MPI_BOR; }
static inline MPI_Op cmpi_op_bxor(void) { return MPI_BXOR; }
static inline MPI_Op cmpi_op_minloc(void) { return MPI_MINLOC; }
static inline MPI_Op cmpi_op_maxloc(void) { return MPI_MAXLOC; }
static inline MPI_Op cmpi_op_replace(void) { return MPI_REPLACE; }
static inline MPI_Op cmpi_op_no_op(void) { return MPI_NO_OP; }

// MARK: Sentinels
static inline void *_Nullable cmpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Errhandler cmpi_errhandler_null(void) { return MPI_ERRHANDLER_NULL; }
static inline MPI_File _Nullable cmpi_file_null(void) { return MPI_FILE_NULL; }
static inline MPI_Win cmpi_win_null(void) { return MPI_WIN_NULL; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int cmpi_undefined(void) { return MPI_UNDEFINED; }
static inline int cmpi_success(void) { return MPI_SUCCESS; }
static inline int cmpi_err_count(void) { return MPI_ERR_COUNT; }
static inline int cmpi_err_arg(void) { return MPI_ERR_ARG; }
static inline int cmpi_err_io(void) { return MPI_ERR_IO; }
static inline int cmpi_err_no_space(void) { return MPI_ERR_NO_SPACE; }
static inline int cmpi_err_quota(void) { return MPI_ERR_QUOTA; }
static inline int cmpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }
static inline int cmpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
static inline int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

// MARK: MPI-IO and one-sided modes
static inline int cmpi_mode_create(void) { return MPI_MODE_CREATE; }
static inline int cmpi_mode_wronly(void) { return MPI_MODE_WRONLY; }
static inline int cmpi_mode_rdonly(void) { return MPI_MODE_RDONLY; }
static inline int cmpi_mode_excl(void) { return MPI_MODE_EXCL; }

// MARK: Thread levels
static inline int cmpi_thread_single(void) { return MPI_THREAD_SINGLE; }
static inline int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }

// MARK: Status (Status.swift reads its portable fields, MPI_SOURCE, MPI_TAG and MPI_ERROR)
static inline MPI_Status cmpi_status_empty(void) { MPI_Status s; memset(&s, 0, sizeof s); return s; }

// MARK: Environment
static inline int cmpi_init_thread(int required, int *provided) { return MPI_Init_thread(NULL, NULL, required, provided); }
static inline int cmpi_query_thread(int *provided) { return MPI_Query_thread(provided); }
static inline int cmpi_finalize(void) { return MPI_Finalize(); }
static inline int cmpi_initialized(int *flag) { return MPI_Initialized(flag); }
static inline int cmpi_finalized(int *flag) { return MPI_Finalized(flag); }
static inline int cmpi_abort(MPI_Comm comm, int code) { return MPI_Abort(comm, code); }
static inline int cmpi_get_processor_name(char *name, int *length) { return MPI_Get_processor_name(name, length); }
static inline int cmpi_get_library_version(char *text, int *length) { return MPI_Get_library_version(text, length); }
static inline int cmpi_get_version(int *major, int *minor) { return MPI_Get_version(major, minor); }
static inline double cmpi_wtime(void) { return MPI_Wtime(); }
static inline double cmpi_wtick(void) { return MPI_Wtick(); }
static inline int cmpi_error_class(int code, int *errorClass) { return MPI_Error_class(code, errorClass); }
static inline int cmpi_error_string(int code, char *text, int *length) { return MPI_Error_string(code, text, length); }

// MARK: Communicators
static inline int cmpi_comm_rank(MPI_Comm comm, int *rank) { return MPI_Comm_rank(comm, rank); }
static inline int cmpi_comm_size(MPI_Comm comm, int *size) { return MPI_Comm_size(comm, size); }
static inline int cmpi_comm_set_errhandler(MPI_Comm comm, MPI_Errhandler handler) {
    return MPI_Comm_set_errhandler(comm, handler);
}
static inline int cmpi_comm_dup(MPI_Comm comm, MPI_Comm CMPI_NN *out) { return MPI_Comm_dup(comm, out); }
static inline int cmpi_comm_split(MPI_Comm comm, int color, int key, MPI_Comm CMPI_NN *out) {
    return MPI_Comm_split(comm, color, key, out);
}
static inline int cmpi_comm_split_type_shared(MPI_Comm comm, int key, MPI_Comm CMPI_NN *out) {
    return MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, key, MPI_INFO_NULL, out);
}
static inline int cmpi_comm_free(MPI_Comm CMPI_NN *comm) { return MPI_Comm_free(comm); }

// MARK: Collectives (buffers may be NULL for empty arrays)
static inline int cmpi_barrier(MPI_Comm comm) { return MPI_Barrier(comm); }
static inline int cmpi_bcast(void *_Nullable buffer, int count, MPI_Datatype type, int root, MPI_Comm comm) {
    return MPI_Bcast(buffer, count, type, root, comm);
}
static inline int cmpi_reduce(const void *_Nullable send, void *_Nullable receive, int count, MPI_Datatype type,
                              MPI_Op op, int root, MPI_Comm comm) {
    return MPI_Reduce(send, receive, count, type, op, root, comm);
}
static inline int cmpi_allreduce(const void *_Nullable send, void *_Nullable receive, int count, MPI_Datatype type,
                                 MPI_Op op, MPI_Comm comm) {
    return MPI_Allreduce(send, receive, count, type, op, comm);
}
static inline int cmpi_scan(const void *_Nullable send, void *_Nullable receive, int count, MPI_Datatype type,
                            MPI_Op op, MPI_Comm comm) {
    return MPI_Scan(send, receive, count, type, op, comm);
}
static inline int cmpi_exscan(const void *_Nullable send, void *_Nullable receive, int count, MPI_Datatype type,
                              MPI_Op op, MPI_Comm comm) {
    return MPI_Exscan(send, receive, count, type, op, comm);
}
static inline int cmpi_gather(const void *_Nullable send, int count, void *_Nullable receive, MPI_Datatype type,
                              int root, MPI_Comm comm) {
    return MPI_Gather(send, count, type, receive, count, type, root, comm);
}
static inline int cmpi_gatherv(const void *_Nullable send, int count, void *_Nullable receive, const int *counts,
                               const int *displacements, MPI_Datatype type, int root, MPI_Comm comm) {
    return MPI_Gatherv(send, count, type, receive, counts, displacements, type, root, comm);
}
static inline int cmpi_allgather(const void *_Nullable send, int count, void *_Nullable receive, MPI_Datatype type,
                                 MPI_Comm comm) {
    return MPI_Allgather(send, count, type, receive, count, type, comm);
}
static inline int cmpi_allgatherv(const void *_Nullable send, int count, void *_Nullable receive, const int *counts,
                                  const int *displacements, MPI_Datatype type, MPI_Comm comm) {
    return MPI_Allgatherv(send, count, type, receive, counts, displacements, type, comm);
}
static inline int cmpi_scatter(const void *_Nullable send, int count, void *_Nullable receive, MPI_Datatype type,
                               int root, MPI_Comm comm) {
    return MPI_Scatter(send, count, type, receive, count, type, root, comm);
}
static inline int cmpi_scatterv(const void *_Nullable send, const int *counts, const int *displacements,
                                void *_Nullable receive, int count, MPI_Datatype type, int root, MPI_Comm comm) {
    return MPI_Scatterv(send, counts, displacements, type, receive, count, type, root, comm);
}
static inline int cmpi_alltoall(const void *_Nullable send, int count, void *_Nullable receive, MPI_Datatype type,
                                MPI_Comm comm) {
    return MPI_Alltoall(send, count, type, receive, count, type, comm);
}

// MARK: Point to point
static inline int cmpi_send(const void *_Nullable buffer, int count, MPI_Datatype type, int destination, int tag,
                            MPI_Comm comm) {
    return MPI_Send(buffer, count, type, destination, tag, comm);
}
static inline int cmpi_recv(void *_Nullable buffer, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm,
                            MPI_Status *status) {
    return MPI_Recv(buffer, count, type, source, tag, comm, status);
}
static inline int cmpi_sendrecv(const void *_Nullable send, int sendCount, int destination, int sendTag,
                                void *_Nullable receive, int receiveCount, int source, int receiveTag,
                                MPI_Datatype type, MPI_Comm comm, MPI_Status *status) {
    return MPI_Sendrecv(send, sendCount, type, destination, sendTag,
                        receive, receiveCount, type, source, receiveTag, comm, status);
}
static inline int cmpi_isend(const void *_Nullable buffer, int count, MPI_Datatype type, int destination, int tag,
                             MPI_Comm comm, MPI_Request CMPI_NN *request) {
    return MPI_Isend(buffer, count, type, destination, tag, comm, request);
}
static inline int cmpi_irecv(void *_Nullable buffer, int count, MPI_Datatype type, int source, int tag,
                             MPI_Comm comm, MPI_Request CMPI_NN *request) {
    return MPI_Irecv(buffer, count, type, source, tag, comm, request);
}
static inline int cmpi_wait(MPI_Request CMPI_NN *request, MPI_Status *status) { return MPI_Wait(request, status); }
static inline int cmpi_test(MPI_Request CMPI_NN *request, int *flag, MPI_Status *status) {
    return MPI_Test(request, flag, status);
}
static inline int cmpi_cancel(MPI_Request CMPI_NN *request) { return MPI_Cancel(request); }
static inline int cmpi_test_cancelled(const MPI_Status *status, int *flag) { return MPI_Test_cancelled(status, flag); }
static inline int cmpi_waitall(int count, MPI_Request CMPI_NN *requests, MPI_Status *statuses) {
    return MPI_Waitall(count, requests, statuses);
}
static inline int cmpi_probe(int source, int tag, MPI_Comm comm, MPI_Status *status) {
    return MPI_Probe(source, tag, comm, status);
}
static inline int cmpi_iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status) {
    return MPI_Iprobe(source, tag, comm, flag, status);
}
static inline int cmpi_get_count(const MPI_Status *status, MPI_Datatype type, int *count) {
    return MPI_Get_count(status, type, count);
}

// MARK: MPI-IO (offsets as int64_t: MPI_Offset is `long long` everywhere here)
// MPI_File is a pointer everywhere (ROMIO's in MPICH), and MPI_FILE_NULL is NULL in MPICH: nullable.
static inline int cmpi_file_open(MPI_Comm comm, const char *path, int mode, MPI_File _Nullable *file) {
    return MPI_File_open(comm, path, mode, MPI_INFO_NULL, file);
}
static inline int cmpi_file_close(MPI_File _Nullable *file) { return MPI_File_close(file); }
static inline int cmpi_file_delete(const char *path) { return MPI_File_delete(path, MPI_INFO_NULL); }
static inline int cmpi_file_set_size(MPI_File file, long long size) { return MPI_File_set_size(file, (MPI_Offset)size); }
static inline int cmpi_file_get_size(MPI_File file, long long *size) {
    MPI_Offset s = 0; int code = MPI_File_get_size(file, &s); *size = (long long)s; return code;
}
// The status comes back: its count is checked (a full disk can leave a write short with MPI_SUCCESS).
static inline int cmpi_file_write_at_all(MPI_File file, long long offset, const void *_Nullable buffer, int count,
                                         MPI_Datatype type, MPI_Status *status) {
    return MPI_File_write_at_all(file, (MPI_Offset)offset, buffer, count, type, status);
}
static inline int cmpi_file_read_at_all(MPI_File file, long long offset, void *_Nullable buffer, int count,
                                        MPI_Datatype type, MPI_Status *status) {
    return MPI_File_read_at_all(file, (MPI_Offset)offset, buffer, count, type, status);
}
static inline int cmpi_file_sync(MPI_File file) { return MPI_File_sync(file); }

// MARK: One-sided communication (displacements and sizes as long: MPI_Aint is `long` on LP64)
static inline int cmpi_win_allocate(long bytes, int unit, MPI_Comm comm, void *_Nullable *_Nonnull base,
                                    MPI_Win CMPI_NN *window) {
    return MPI_Win_allocate((MPI_Aint)bytes, unit, MPI_INFO_NULL, comm, base, window);
}
static inline int cmpi_win_set_errhandler(MPI_Win window, MPI_Errhandler handler) {
    return MPI_Win_set_errhandler(window, handler);
}
static inline int cmpi_win_free(MPI_Win CMPI_NN *window) { return MPI_Win_free(window); }
static inline int cmpi_win_lock_all_nocheck(MPI_Win window) { return MPI_Win_lock_all(MPI_MODE_NOCHECK, window); }
static inline int cmpi_win_unlock_all(MPI_Win window) { return MPI_Win_unlock_all(window); }
static inline int cmpi_win_flush(int rank, MPI_Win window) { return MPI_Win_flush(rank, window); }
static inline int cmpi_win_sync(MPI_Win window) { return MPI_Win_sync(window); }
static inline int cmpi_fetch_and_op(const void *_Nullable origin, void *_Nullable result, MPI_Datatype type, int rank,
                                    long displacement, MPI_Op op, MPI_Win window) {
    return MPI_Fetch_and_op(origin, result, type, rank, (MPI_Aint)displacement, op, window);
}
static inline int cmpi_accumulate(const void *_Nullable origin, int count, MPI_Datatype type, int rank,
                                  long displacement, MPI_Op op, MPI_Win window) {
    return MPI_Accumulate(origin, count, type, rank, (MPI_Aint)displacement, count, type, op, window);
}

// MARK: Datatypes
static inline int cmpi_type_extent(MPI_Datatype type, long *extent) {
    MPI_Aint lowerBound = 0, e = 0; int code = MPI_Type_get_extent(type, &lowerBound, &e); *extent = (long)e; return code;
}

// MARK: User-defined reductions, all-to-all with counts, nonblocking collectives
static inline MPI_Op cmpi_op_null(void) { return MPI_OP_NULL; }
static inline MPI_Datatype cmpi_datatype_null(void) { return MPI_DATATYPE_NULL; }
// MPI_User_function with the handle's nullability spelled out, the same shape under every MPI.
typedef void (*cmpi_user_function)(void *_Nullable input, void *_Nullable inout_, int *length,
                                   MPI_Datatype CMPI_NN *_Nonnull datatype);
static inline int cmpi_op_create(cmpi_user_function function, int commutes, MPI_Op CMPI_NN *op) {
    return MPI_Op_create((MPI_User_function *)function, commutes, op);
}
static inline int cmpi_op_free(MPI_Op CMPI_NN *op) { return MPI_Op_free(op); }
static inline int cmpi_type_contiguous(int count, MPI_Datatype old, MPI_Datatype CMPI_NN *out) {
    return MPI_Type_contiguous(count, old, out);
}
static inline int cmpi_type_commit(MPI_Datatype CMPI_NN *type) { return MPI_Type_commit(type); }
static inline int cmpi_type_free(MPI_Datatype CMPI_NN *type) { return MPI_Type_free(type); }
static inline int cmpi_alltoallv(const void *_Nullable send, const int *send_counts, const int *send_displacements,
                                 void *_Nullable receive, const int *receive_counts,
                                 const int *receive_displacements, MPI_Datatype type, MPI_Comm comm) {
    return MPI_Alltoallv(send, send_counts, send_displacements, type, receive, receive_counts, receive_displacements,
                         type, comm);
}
static inline int cmpi_ibarrier(MPI_Comm comm, MPI_Request CMPI_NN *request) { return MPI_Ibarrier(comm, request); }
static inline int cmpi_ibcast(void *_Nullable buffer, int count, MPI_Datatype type, int root, MPI_Comm comm,
                              MPI_Request CMPI_NN *request) {
    return MPI_Ibcast(buffer, count, type, root, comm, request);
}
static inline int cmpi_iallreduce(const void *_Nullable send, void *_Nullable receive, int count, MPI_Datatype type,
                                  MPI_Op op, MPI_Comm comm, MPI_Request CMPI_NN *request) {
    return MPI_Iallreduce(send, receive, count, type, op, comm, request);
}

#pragma clang assume_nonnull end

#endif

// Static inline getters for what mpi.h defines as macros, so that Swift can see it.
// Open MPI defines its predefined handles as addresses of global objects
// (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`),
// which the Swift importer cannot turn into constants. Each getter returns the handle.
#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H

#include <mpi.h>

// Communicators
static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm cmpi_comm_self(void) { return MPI_COMM_SELF; }
static inline MPI_Comm cmpi_comm_null(void) { return MPI_COMM_NULL; }

// Datatypes
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

// Reduction operations
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

// Sentinels
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Status *cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *cmpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Info cmpi_info_null(void) { return MPI_INFO_NULL; }
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int cmpi_proc_null(void) { return MPI_PROC_NULL; }
static inline int cmpi_undefined(void) { return MPI_UNDEFINED; }
static inline int cmpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }
static inline int cmpi_success(void) { return MPI_SUCCESS; }
static inline int cmpi_err_count(void) { return MPI_ERR_COUNT; }
static inline int cmpi_err_arg(void) { return MPI_ERR_ARG; }
static inline int cmpi_err_io(void) { return MPI_ERR_IO; }
static inline int cmpi_err_no_space(void) { return MPI_ERR_NO_SPACE; }
static inline int cmpi_err_quota(void) { return MPI_ERR_QUOTA; }
static inline int cmpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }
static inline int cmpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
static inline int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

// MPI-IO
static inline MPI_File cmpi_file_null(void) { return MPI_FILE_NULL; }
static inline int cmpi_mode_create(void) { return MPI_MODE_CREATE; }
static inline int cmpi_mode_wronly(void) { return MPI_MODE_WRONLY; }
static inline int cmpi_mode_rdonly(void) { return MPI_MODE_RDONLY; }
static inline int cmpi_mode_excl(void) { return MPI_MODE_EXCL; }

// One-sided communication
static inline MPI_Win cmpi_win_null(void) { return MPI_WIN_NULL; }
static inline int cmpi_mode_nocheck(void) { return MPI_MODE_NOCHECK; }

// Thread levels
static inline int cmpi_thread_single(void) { return MPI_THREAD_SINGLE; }
static inline int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }

// Timers: MPI may define these as macros too.
static inline double cmpi_wtime(void) { return MPI_Wtime(); }
static inline double cmpi_wtick(void) { return MPI_Wtick(); }

#endif

internal import CMPI

// Every MPI function this module calls, wrapped once: the C call and the check of its code.
// The public API turns Swift values into these pointers and counts.
// Every call goes through the shim's `cmpi_` wrappers, never through mpi.h directly: a handle is
// an OpaquePointer under Open MPI and an Int32 under MPICH, and only the shim's non-null
// signatures let one Swift source serve both (see Sources/CMPI/shim.h).

typealias Buffer = UnsafeRawPointer?
typealias MutableBuffer = UnsafeMutableRawPointer?

enum Call {
    // MARK: Environment
    static func initThread(_ required: Int32) throws(MPIError) -> Int32 {
        var provided: Int32 = 0
        try check(cmpi_init_thread(required, &provided), "MPI_Init_thread")
        return provided
    }
    static func queryThread() throws(MPIError) -> Int32 {
        var provided: Int32 = 0
        try check(cmpi_query_thread(&provided), "MPI_Query_thread")
        return provided
    }
    static func finalize() throws(MPIError) { try check(cmpi_finalize(), "MPI_Finalize") }
    static func initialized() -> Bool { var flag: Int32 = 0; cmpi_initialized(&flag); return flag != 0 }
    static func finalized() -> Bool { var flag: Int32 = 0; cmpi_finalized(&flag); return flag != 0 }
    static func abort(_ comm: MPI_Comm, _ code: Int32) { _ = cmpi_abort(comm, code) }
    static func processorName() throws(MPIError) -> String {
        var name = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
        var length: Int32 = 0
        try check(cmpi_get_processor_name(&name, &length), "MPI_Get_processor_name")
        return String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    static func libraryVersion() throws(MPIError) -> String {
        var text = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()) + 1)
        var length: Int32 = 0
        try check(cmpi_get_library_version(&text, &length), "MPI_Get_library_version")
        // Open MPI counts the terminating NUL in `length`; stop at the first one.
        let bytes = text.prefix(Int(length)).prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
    static func version() throws(MPIError) -> (Int, Int) {
        var major: Int32 = 0, minor: Int32 = 0
        try check(cmpi_get_version(&major, &minor), "MPI_Get_version")
        return (Int(major), Int(minor))
    }
    static func wtime() -> Double { cmpi_wtime() }
    static func wtick() -> Double { cmpi_wtick() }

    // MARK: Communicators
    static func commRank(_ comm: MPI_Comm) throws(MPIError) -> Int {
        var rank: Int32 = 0
        try check(cmpi_comm_rank(comm, &rank), "MPI_Comm_rank")
        return Int(rank)
    }
    static func commSize(_ comm: MPI_Comm) throws(MPIError) -> Int {
        var size: Int32 = 0
        try check(cmpi_comm_size(comm, &size), "MPI_Comm_size")
        return Int(size)
    }
    /// The error handlers that make MPI calls return their errors: `MPI_ERRORS_RETURN`, or where the
    /// library ignores it, the shim's own handlers that return (`useReturningHandlers`). Set once, by
    /// `Environment.initialize`, before any other thread exists.
    nonisolated(unsafe) static var commErrorsReturn: MPI_Errhandler = cmpi_errors_return()
    nonisolated(unsafe) static var winErrorsReturn: MPI_Errhandler = cmpi_errors_return()
    static func useReturningHandlers() throws(MPIError) {
        var comm = cmpi_errhandler_null(), window = cmpi_errhandler_null()
        try check(cmpi_comm_create_returning_errhandler(&comm), "MPI_Comm_create_errhandler")
        try check(cmpi_win_create_returning_errhandler(&window), "MPI_Win_create_errhandler")
        commErrorsReturn = comm
        winErrorsReturn = window
    }
    static func setErrorsReturn(_ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_comm_set_errhandler(comm, commErrorsReturn), "MPI_Comm_set_errhandler")
    }
    static func commDup(_ comm: MPI_Comm) throws(MPIError) -> MPI_Comm {
        var new = cmpi_comm_null()
        try check(cmpi_comm_dup(comm, &new), "MPI_Comm_dup")
        return new
    }
    static func commSplit(_ comm: MPI_Comm, _ color: Int32, _ key: Int32) throws(MPIError) -> MPI_Comm? {
        var new = cmpi_comm_null()
        try check(cmpi_comm_split(comm, color, key, &new), "MPI_Comm_split")
        return new == cmpi_comm_null() ? nil : new
    }
    static func commSplitTypeShared(_ comm: MPI_Comm, _ key: Int32) throws(MPIError) -> MPI_Comm {
        var new = cmpi_comm_null()
        try check(cmpi_comm_split_type_shared(comm, key, &new), "MPI_Comm_split_type")
        return new
    }
    static func commFree(_ comm: MPI_Comm) throws(MPIError) {
        var handle = comm
        try check(cmpi_comm_free(&handle), "MPI_Comm_free")
    }

    // MARK: Collectives
    static func barrier(_ comm: MPI_Comm) throws(MPIError) { try check(cmpi_barrier(comm), "MPI_Barrier") }
    static func bcast(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ root: Int32,
                      _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_bcast(buffer, count, type, root, comm), "MPI_Bcast")
    }
    static func reduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                       _ op: MPI_Op, _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_reduce(send, receive, count, type, op, root, comm), "MPI_Reduce")
    }
    static func allreduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                          _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_allreduce(send, receive, count, type, op, comm), "MPI_Allreduce")
    }
    static func scan(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                     _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_scan(send, receive, count, type, op, comm), "MPI_Scan")
    }
    static func exscan(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                       _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_exscan(send, receive, count, type, op, comm), "MPI_Exscan")
    }
    static func gather(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                       _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_gather(send, count, receive, type, root, comm), "MPI_Gather")
    }
    static func gatherv(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ counts: [Int32],
                        _ displacements: [Int32], _ type: MPI_Datatype, _ root: Int32,
                        _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_gatherv(send, count, receive, counts, displacements, type, root, comm), "MPI_Gatherv")
    }
    static func allgather(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                          _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_allgather(send, count, receive, type, comm), "MPI_Allgather")
    }
    static func allgatherv(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ counts: [Int32],
                           _ displacements: [Int32], _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_allgatherv(send, count, receive, counts, displacements, type, comm), "MPI_Allgatherv")
    }
    static func scatter(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                        _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_scatter(send, count, receive, type, root, comm), "MPI_Scatter")
    }
    static func scatterv(_ send: Buffer, _ counts: [Int32], _ displacements: [Int32], _ receive: MutableBuffer,
                         _ count: Int32, _ type: MPI_Datatype, _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_scatterv(send, counts, displacements, receive, count, type, root, comm), "MPI_Scatterv")
    }
    static func alltoall(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                         _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_alltoall(send, count, receive, type, comm), "MPI_Alltoall")
    }

    // MARK: Point to point
    @inline(__always)
    static func send(_ buffer: Buffer, _ count: Int32, _ type: MPI_Datatype, _ destination: Int32, _ tag: Int32,
                     _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_send(buffer, count, type, destination, tag, comm), "MPI_Send")
    }
    @inline(__always)
    static func recv(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ source: Int32, _ tag: Int32,
                     _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = cmpi_status_empty()
        try check(cmpi_recv(buffer, count, type, source, tag, comm, &status), "MPI_Recv")
        return status
    }
    static func sendrecv(_ send: Buffer, _ sendCount: Int32, _ destination: Int32, _ sendTag: Int32,
                         _ receive: MutableBuffer, _ receiveCount: Int32, _ source: Int32, _ receiveTag: Int32,
                         _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = cmpi_status_empty()
        try check(cmpi_sendrecv(send, sendCount, destination, sendTag,
                                receive, receiveCount, source, receiveTag, type, comm, &status), "MPI_Sendrecv")
        return status
    }
    @inline(__always)
    static func isend(_ buffer: Buffer, _ count: Int32, _ type: MPI_Datatype, _ destination: Int32, _ tag: Int32,
                      _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request = cmpi_request_null()
        try check(cmpi_isend(buffer, count, type, destination, tag, comm, &request), "MPI_Isend")
        return request
    }
    @inline(__always)
    static func irecv(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ source: Int32, _ tag: Int32,
                      _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request = cmpi_request_null()
        try check(cmpi_irecv(buffer, count, type, source, tag, comm, &request), "MPI_Irecv")
        return request
    }
    @inline(__always)
    static func wait(_ request: inout MPI_Request) throws(MPIError) -> MPI_Status {
        var status = cmpi_status_empty()
        try check(cmpi_wait(&request, &status), "MPI_Wait")
        return status
    }
    @inline(__always)
    static func test(_ request: inout MPI_Request) throws(MPIError) -> MPI_Status? {
        var status = cmpi_status_empty()
        var flag: Int32 = 0
        try check(cmpi_test(&request, &flag, &status), "MPI_Test")
        return flag != 0 ? status : nil
    }
    static func cancel(_ request: inout MPI_Request) throws(MPIError) {
        try check(cmpi_cancel(&request), "MPI_Cancel")
    }
    static func testCancelled(_ status: MPI_Status) throws(MPIError) -> Bool {
        var status = status
        var flag: Int32 = 0
        try check(cmpi_test_cancelled(&status, &flag), "MPI_Test_cancelled")
        return flag != 0
    }
    static func waitall(_ requests: inout [MPI_Request], _ statuses: inout [MPI_Status]) throws(MPIError) {
        try check(cmpi_waitall(Int32(requests.count), &requests, &statuses), "MPI_Waitall")
    }
    static func probe(_ source: Int32, _ tag: Int32, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = cmpi_status_empty()
        try check(cmpi_probe(source, tag, comm, &status), "MPI_Probe")
        return status
    }
    static func iprobe(_ source: Int32, _ tag: Int32, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status? {
        var status = cmpi_status_empty()
        var flag: Int32 = 0
        try check(cmpi_iprobe(source, tag, comm, &flag, &status), "MPI_Iprobe")
        return flag != 0 ? status : nil
    }
    static func getCount(_ status: MPI_Status, _ type: MPI_Datatype) throws(MPIError) -> Int32 {
        var status = status
        var count: Int32 = 0
        try check(cmpi_get_count(&status, type, &count), "MPI_Get_count")
        return count
    }

    // MARK: MPI-IO
    static func fileOpen(_ comm: MPI_Comm, _ path: String, _ mode: Int32) throws(MPIError) -> MPI_File {
        var file = cmpi_file_null()
        try check(cmpi_file_open(comm, path, mode, &file), "MPI_File_open")
        guard let file else { throw MPIError(invalid: "MPI_File_open", "MPI returned no file") }
        return file
    }
    static func fileClose(_ file: inout MPI_File?) throws(MPIError) {
        try check(cmpi_file_close(&file), "MPI_File_close")
    }
    static func fileDelete(_ path: String) throws(MPIError) {
        try check(cmpi_file_delete(path), "MPI_File_delete")
    }
    static func fileSetSize(_ file: MPI_File, _ size: Int64) throws(MPIError) {
        try check(cmpi_file_set_size(file, size), "MPI_File_set_size")
    }
    static func fileGetSize(_ file: MPI_File) throws(MPIError) -> Int64 {
        var size: Int64 = 0
        try check(cmpi_file_get_size(file, &size), "MPI_File_get_size")
        return Int64(size)
    }
    /// Returns how many values MPI reports written: fewer than `count` on a full disk, where some
    /// implementations return MPI_SUCCESS all the same.
    static func fileWriteAtAll(_ file: MPI_File, _ offset: Int64, _ buffer: Buffer, _ count: Int32,
                               _ type: MPI_Datatype) throws(MPIError) -> Int32 {
        var status = cmpi_status_empty()
        try check(cmpi_file_write_at_all(file, offset, buffer, count, type, &status),
                  "MPI_File_write_at_all")
        return try getCount(status, type)
    }
    /// Returns how many values MPI reports read.
    static func fileReadAtAll(_ file: MPI_File, _ offset: Int64, _ buffer: MutableBuffer, _ count: Int32,
                              _ type: MPI_Datatype) throws(MPIError) -> Int32 {
        var status = cmpi_status_empty()
        try check(cmpi_file_read_at_all(file, offset, buffer, count, type, &status),
                  "MPI_File_read_at_all")
        return try getCount(status, type)
    }
    static func fileSync(_ file: MPI_File) throws(MPIError) { try check(cmpi_file_sync(file), "MPI_File_sync") }

    // MARK: One-sided communication
    static func winAllocate(_ bytes: Int, _ unit: Int32, _ comm: MPI_Comm) throws(MPIError)
        -> (MPI_Win, UnsafeMutableRawPointer?) {
        var base: UnsafeMutableRawPointer? = nil
        var window = cmpi_win_null()
        try check(cmpi_win_allocate(bytes, unit, comm, &base, &window), "MPI_Win_allocate")
        try check(cmpi_win_set_errhandler(window, winErrorsReturn), "MPI_Win_set_errhandler")
        return (window, base)
    }
    static func winFree(_ window: inout MPI_Win?) throws(MPIError) {
        guard var handle = window else { return }
        try check(cmpi_win_free(&handle), "MPI_Win_free")
        window = handle
    }
    static func winLockAll(_ window: MPI_Win) throws(MPIError) {
        try check(cmpi_win_lock_all_nocheck(window), "MPI_Win_lock_all")
    }
    static func winUnlockAll(_ window: MPI_Win) throws(MPIError) { try check(cmpi_win_unlock_all(window), "MPI_Win_unlock_all") }
    static func winFlush(_ rank: Int32, _ window: MPI_Win) throws(MPIError) {
        try check(cmpi_win_flush(rank, window), "MPI_Win_flush")
    }
    static func winSync(_ window: MPI_Win) throws(MPIError) { try check(cmpi_win_sync(window), "MPI_Win_sync") }
    static func fetchAndOp(_ origin: Buffer, _ result: MutableBuffer, _ type: MPI_Datatype, _ rank: Int32,
                           _ displacement: Int, _ op: MPI_Op, _ window: MPI_Win) throws(MPIError) {
        try check(cmpi_fetch_and_op(origin, result, type, rank, displacement, op, window), "MPI_Fetch_and_op")
    }
    static func accumulate(_ origin: Buffer, _ count: Int32, _ type: MPI_Datatype, _ rank: Int32, _ displacement: Int,
                           _ op: MPI_Op, _ window: MPI_Win) throws(MPIError) {
        try check(cmpi_accumulate(origin, count, type, rank, displacement, op, window),
                  "MPI_Accumulate")
    }

    // MARK: Datatypes
    static func typeExtent(_ type: MPI_Datatype) throws(MPIError) -> Int {
        var extent = 0
        try check(cmpi_type_extent(type, &extent), "MPI_Type_get_extent")
        return extent
    }
}

internal import CMPI

// Every MPI function this module calls, wrapped once: the C call and the check of its code.
// The public API turns Swift values into these pointers and counts.

typealias Buffer = UnsafeRawPointer?
typealias MutableBuffer = UnsafeMutableRawPointer?

enum Call {
    // MARK: Environment
    static func initThread(_ required: Int32) throws(MPIError) -> Int32 {
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, required, &provided), "MPI_Init_thread")
        return provided
    }
    static func queryThread() throws(MPIError) -> Int32 {
        var provided: Int32 = 0
        try check(MPI_Query_thread(&provided), "MPI_Query_thread")
        return provided
    }
    static func finalize() throws(MPIError) { try check(MPI_Finalize(), "MPI_Finalize") }
    static func initialized() -> Bool { var flag: Int32 = 0; MPI_Initialized(&flag); return flag != 0 }
    static func finalized() -> Bool { var flag: Int32 = 0; MPI_Finalized(&flag); return flag != 0 }
    static func abort(_ comm: MPI_Comm, _ code: Int32) { MPI_Abort(comm, code) }
    static func processorName() throws(MPIError) -> String {
        var name = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
        var length: Int32 = 0
        try check(MPI_Get_processor_name(&name, &length), "MPI_Get_processor_name")
        return String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    static func libraryVersion() throws(MPIError) -> String {
        var text = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()) + 1)
        var length: Int32 = 0
        try check(MPI_Get_library_version(&text, &length), "MPI_Get_library_version")
        // Open MPI counts the terminating NUL in `length`; stop at the first one.
        let bytes = text.prefix(Int(length)).prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
    static func version() throws(MPIError) -> (Int, Int) {
        var major: Int32 = 0, minor: Int32 = 0
        try check(MPI_Get_version(&major, &minor), "MPI_Get_version")
        return (Int(major), Int(minor))
    }
    static func wtime() -> Double { cmpi_wtime() }
    static func wtick() -> Double { cmpi_wtick() }

    // MARK: Communicators
    static func commRank(_ comm: MPI_Comm) throws(MPIError) -> Int {
        var rank: Int32 = 0
        try check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank")
        return Int(rank)
    }
    static func commSize(_ comm: MPI_Comm) throws(MPIError) -> Int {
        var size: Int32 = 0
        try check(MPI_Comm_size(comm, &size), "MPI_Comm_size")
        return Int(size)
    }
    static func setErrorsReturn(_ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Comm_set_errhandler(comm, cmpi_errors_return()), "MPI_Comm_set_errhandler")
    }
    static func commDup(_ comm: MPI_Comm) throws(MPIError) -> MPI_Comm {
        var new: MPI_Comm? = nil
        try check(MPI_Comm_dup(comm, &new), "MPI_Comm_dup")
        return new!
    }
    static func commSplit(_ comm: MPI_Comm, _ color: Int32, _ key: Int32) throws(MPIError) -> MPI_Comm? {
        var new: MPI_Comm? = nil
        try check(MPI_Comm_split(comm, color, key, &new), "MPI_Comm_split")
        return new == cmpi_comm_null() ? nil : new
    }
    static func commSplitTypeShared(_ comm: MPI_Comm, _ key: Int32) throws(MPIError) -> MPI_Comm {
        var new: MPI_Comm? = nil
        try check(MPI_Comm_split_type(comm, cmpi_comm_type_shared(), key, cmpi_info_null(), &new),
                  "MPI_Comm_split_type")
        return new!
    }
    static func commFree(_ comm: MPI_Comm) throws(MPIError) {
        var handle: MPI_Comm? = comm
        try check(MPI_Comm_free(&handle), "MPI_Comm_free")
    }

    // MARK: Collectives
    static func barrier(_ comm: MPI_Comm) throws(MPIError) { try check(MPI_Barrier(comm), "MPI_Barrier") }
    static func bcast(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ root: Int32,
                      _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Bcast(buffer, count, type, root, comm), "MPI_Bcast")
    }
    static func reduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                       _ op: MPI_Op, _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Reduce(send, receive, count, type, op, root, comm), "MPI_Reduce")
    }
    static func allreduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                          _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Allreduce(send, receive, count, type, op, comm), "MPI_Allreduce")
    }
    static func scan(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                     _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Scan(send, receive, count, type, op, comm), "MPI_Scan")
    }
    static func exscan(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                       _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Exscan(send, receive, count, type, op, comm), "MPI_Exscan")
    }
    static func gather(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                       _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Gather(send, count, type, receive, count, type, root, comm), "MPI_Gather")
    }
    static func gatherv(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ counts: [Int32],
                        _ displacements: [Int32], _ type: MPI_Datatype, _ root: Int32,
                        _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Gatherv(send, count, type, receive, counts, displacements, type, root, comm), "MPI_Gatherv")
    }
    static func allgather(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                          _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Allgather(send, count, type, receive, count, type, comm), "MPI_Allgather")
    }
    static func allgatherv(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ counts: [Int32],
                           _ displacements: [Int32], _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Allgatherv(send, count, type, receive, counts, displacements, type, comm), "MPI_Allgatherv")
    }
    static func scatter(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                        _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Scatter(send, count, type, receive, count, type, root, comm), "MPI_Scatter")
    }
    static func scatterv(_ send: Buffer, _ counts: [Int32], _ displacements: [Int32], _ receive: MutableBuffer,
                         _ count: Int32, _ type: MPI_Datatype, _ root: Int32, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Scatterv(send, counts, displacements, type, receive, count, type, root, comm), "MPI_Scatterv")
    }
    static func alltoall(_ send: Buffer, _ count: Int32, _ receive: MutableBuffer, _ type: MPI_Datatype,
                         _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Alltoall(send, count, type, receive, count, type, comm), "MPI_Alltoall")
    }

    // MARK: Point to point
    @inline(__always)
    static func send(_ buffer: Buffer, _ count: Int32, _ type: MPI_Datatype, _ destination: Int32, _ tag: Int32,
                     _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Send(buffer, count, type, destination, tag, comm), "MPI_Send")
    }
    @inline(__always)
    static func recv(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ source: Int32, _ tag: Int32,
                     _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = MPI_Status()
        try check(MPI_Recv(buffer, count, type, source, tag, comm, &status), "MPI_Recv")
        return status
    }
    static func sendrecv(_ send: Buffer, _ sendCount: Int32, _ destination: Int32, _ sendTag: Int32,
                         _ receive: MutableBuffer, _ receiveCount: Int32, _ source: Int32, _ receiveTag: Int32,
                         _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = MPI_Status()
        try check(MPI_Sendrecv(send, sendCount, type, destination, sendTag,
                               receive, receiveCount, type, source, receiveTag, comm, &status), "MPI_Sendrecv")
        return status
    }
    @inline(__always)
    static func isend(_ buffer: Buffer, _ count: Int32, _ type: MPI_Datatype, _ destination: Int32, _ tag: Int32,
                      _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request: MPI_Request? = nil
        try check(MPI_Isend(buffer, count, type, destination, tag, comm, &request), "MPI_Isend")
        return request!
    }
    @inline(__always)
    static func irecv(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ source: Int32, _ tag: Int32,
                      _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request: MPI_Request? = nil
        try check(MPI_Irecv(buffer, count, type, source, tag, comm, &request), "MPI_Irecv")
        return request!
    }
    @inline(__always)
    static func wait(_ request: inout MPI_Request?) throws(MPIError) -> MPI_Status {
        var status = MPI_Status()
        try check(MPI_Wait(&request, &status), "MPI_Wait")
        return status
    }
    @inline(__always)
    static func test(_ request: inout MPI_Request?) throws(MPIError) -> MPI_Status? {
        var status = MPI_Status()
        var flag: Int32 = 0
        try check(MPI_Test(&request, &flag, &status), "MPI_Test")
        return flag != 0 ? status : nil
    }
    static func cancel(_ request: inout MPI_Request?) throws(MPIError) {
        try check(MPI_Cancel(&request), "MPI_Cancel")
    }
    static func testCancelled(_ status: MPI_Status) throws(MPIError) -> Bool {
        var status = status
        var flag: Int32 = 0
        try check(MPI_Test_cancelled(&status, &flag), "MPI_Test_cancelled")
        return flag != 0
    }
    static func waitall(_ requests: inout [MPI_Request?], _ statuses: inout [MPI_Status]) throws(MPIError) {
        try check(MPI_Waitall(Int32(requests.count), &requests, &statuses), "MPI_Waitall")
    }
    static func probe(_ source: Int32, _ tag: Int32, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status {
        var status = MPI_Status()
        try check(MPI_Probe(source, tag, comm, &status), "MPI_Probe")
        return status
    }
    static func iprobe(_ source: Int32, _ tag: Int32, _ comm: MPI_Comm) throws(MPIError) -> MPI_Status? {
        var status = MPI_Status()
        var flag: Int32 = 0
        try check(MPI_Iprobe(source, tag, comm, &flag, &status), "MPI_Iprobe")
        return flag != 0 ? status : nil
    }
    static func getCount(_ status: MPI_Status, _ type: MPI_Datatype) throws(MPIError) -> Int32 {
        var status = status
        var count: Int32 = 0
        try check(MPI_Get_count(&status, type, &count), "MPI_Get_count")
        return count
    }

    // MARK: MPI-IO
    static func fileOpen(_ comm: MPI_Comm, _ path: String, _ mode: Int32) throws(MPIError) -> MPI_File {
        var file: MPI_File? = nil
        try check(MPI_File_open(comm, path, mode, cmpi_info_null(), &file), "MPI_File_open")
        return file!
    }
    static func fileClose(_ file: inout MPI_File?) throws(MPIError) {
        try check(MPI_File_close(&file), "MPI_File_close")
    }
    static func fileDelete(_ path: String) throws(MPIError) {
        try check(MPI_File_delete(path, cmpi_info_null()), "MPI_File_delete")
    }
    static func fileSetSize(_ file: MPI_File, _ size: Int64) throws(MPIError) {
        try check(MPI_File_set_size(file, MPI_Offset(size)), "MPI_File_set_size")
    }
    static func fileGetSize(_ file: MPI_File) throws(MPIError) -> Int64 {
        var size: MPI_Offset = 0
        try check(MPI_File_get_size(file, &size), "MPI_File_get_size")
        return Int64(size)
    }
    static func fileWriteAtAll(_ file: MPI_File, _ offset: Int64, _ buffer: Buffer, _ count: Int32,
                               _ type: MPI_Datatype) throws(MPIError) {
        try check(MPI_File_write_at_all(file, MPI_Offset(offset), buffer, count, type, cmpi_status_ignore()),
                  "MPI_File_write_at_all")
    }
    static func fileReadAtAll(_ file: MPI_File, _ offset: Int64, _ buffer: MutableBuffer, _ count: Int32,
                              _ type: MPI_Datatype) throws(MPIError) {
        try check(MPI_File_read_at_all(file, MPI_Offset(offset), buffer, count, type, cmpi_status_ignore()),
                  "MPI_File_read_at_all")
    }

    // MARK: One-sided communication
    static func winAllocate(_ bytes: Int, _ unit: Int32, _ comm: MPI_Comm) throws(MPIError)
        -> (MPI_Win, UnsafeMutableRawPointer?) {
        var base: UnsafeMutableRawPointer? = nil
        var window: MPI_Win? = nil
        try check(MPI_Win_allocate(MPI_Aint(bytes), unit, cmpi_info_null(), comm, &base, &window), "MPI_Win_allocate")
        try check(MPI_Win_set_errhandler(window, cmpi_errors_return()), "MPI_Win_set_errhandler")
        return (window!, base)
    }
    static func winFree(_ window: inout MPI_Win?) throws(MPIError) { try check(MPI_Win_free(&window), "MPI_Win_free") }
    static func winLockAll(_ window: MPI_Win) throws(MPIError) {
        try check(MPI_Win_lock_all(cmpi_mode_nocheck(), window), "MPI_Win_lock_all")
    }
    static func winUnlockAll(_ window: MPI_Win) throws(MPIError) { try check(MPI_Win_unlock_all(window), "MPI_Win_unlock_all") }
    static func winFlush(_ rank: Int32, _ window: MPI_Win) throws(MPIError) {
        try check(MPI_Win_flush(rank, window), "MPI_Win_flush")
    }
    static func winSync(_ window: MPI_Win) throws(MPIError) { try check(MPI_Win_sync(window), "MPI_Win_sync") }
    static func fetchAndOp(_ origin: Buffer, _ result: MutableBuffer, _ type: MPI_Datatype, _ rank: Int32,
                           _ displacement: Int, _ op: MPI_Op, _ window: MPI_Win) throws(MPIError) {
        try check(MPI_Fetch_and_op(origin, result, type, rank, MPI_Aint(displacement), op, window), "MPI_Fetch_and_op")
    }
    static func accumulate(_ origin: Buffer, _ count: Int32, _ type: MPI_Datatype, _ rank: Int32, _ displacement: Int,
                           _ op: MPI_Op, _ window: MPI_Win) throws(MPIError) {
        try check(MPI_Accumulate(origin, count, type, rank, MPI_Aint(displacement), count, type, op, window),
                  "MPI_Accumulate")
    }

    // MARK: Datatypes
    static func typeExtent(_ type: MPI_Datatype) throws(MPIError) -> Int {
        var lowerBound: MPI_Aint = 0, extent: MPI_Aint = 0
        try check(MPI_Type_get_extent(type, &lowerBound, &extent), "MPI_Type_get_extent")
        return Int(extent)
    }
}

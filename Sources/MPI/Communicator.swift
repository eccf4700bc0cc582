internal import CMPI

/// A group of processes that communicate. The corresponding MPI type is `MPI_Comm`.
///
/// Every communicator this layer hands out returns errors (`MPI_ERRORS_RETURN`) instead of aborting,
/// so each operation throws a typed `MPIError`.
public struct Communicator: @unchecked Sendable {
    let handle: MPI_Comm

    init(handle: MPI_Comm) { self.handle = handle }

    /// All processes of the job. The corresponding MPI constant is `MPI_COMM_WORLD`.
    public static var world: Communicator { Communicator(handle: cmpi_comm_world()) }

    /// This process alone. The corresponding MPI constant is `MPI_COMM_SELF`.
    public static var selfOnly: Communicator { Communicator(handle: cmpi_comm_self()) }

    /// Matches a message from any rank in a receive or probe. The corresponding MPI constant is `MPI_ANY_SOURCE`.
    public static var anySource: Int { Int(cmpi_any_source()) }

    /// Matches a message with any tag in a receive or probe. The corresponding MPI constant is `MPI_ANY_TAG`.
    public static var anyTag: Int { Int(cmpi_any_tag()) }

    /// This process's rank, 0..<size. The corresponding MPI function is `MPI_Comm_rank`.
    public var rank: Int {
        do { return try Call.commRank(handle) } catch { preconditionFailure("\(error)") }
    }

    /// The number of processes. The corresponding MPI function is `MPI_Comm_size`.
    public var size: Int {
        do { return try Call.commSize(handle) } catch { preconditionFailure("\(error)") }
    }

    /// Waits until every process has called it. The corresponding MPI function is `MPI_Barrier`.
    public func barrier() throws(MPIError) { try Call.barrier(handle) }

    /// A new communicator with the same processes and its own message space.
    /// The corresponding MPI function is `MPI_Comm_dup`.
    public func duplicate() throws(MPIError) -> Communicator {
        let new = try Call.commDup(handle)
        try Call.setErrorsReturn(new)
        return Communicator(handle: new)
    }

    /// Splits into one communicator per `color`, ranked by `key` (then by rank here);
    /// a nil color joins none and gets nil. The corresponding MPI function is `MPI_Comm_split`.
    public func split(color: Int?, key: Int? = nil) throws(MPIError) -> Communicator? {
        let color32 = try color.map { c throws(MPIError) in try mpiCount(c, "MPI_Comm_split") } ?? cmpi_undefined()
        let key32 = try mpiCount(key ?? rank, "MPI_Comm_split")
        guard let new = try Call.commSplit(handle, color32, key32) else { return nil }
        try Call.setErrorsReturn(new)
        return Communicator(handle: new)
    }

    /// One communicator per node: the processes that can share memory with this one, in rank order.
    /// The corresponding MPI function is `MPI_Comm_split_type` with `MPI_COMM_TYPE_SHARED`.
    public func splitByNode() throws(MPIError) -> Communicator {
        let new = try Call.commSplitTypeShared(handle, try mpiCount(rank, "MPI_Comm_split_type"))
        try Call.setErrorsReturn(new)
        return Communicator(handle: new)
    }

    /// Releases a communicator made by `duplicate` or `split`; every member calls it.
    /// The ones not freed are released by `Environment.finalize`. The corresponding MPI function is `MPI_Comm_free`.
    public func free() throws(MPIError) { try Call.commFree(handle) }

    /// The rank as MPI's int, for roots and peers.
    /// Negative ranks other than `anySource` (Open MPI's `MPI_PROC_NULL` is -2) are refused here,
    /// so a miscomputed neighbour never turns a message into a silent no-op.
    @inline(__always)
    func peer(_ rank: Int, _ function: StaticString) throws(MPIError) -> Int32 {
        guard _fastPath(rank >= 0 || rank == Int(cmpi_any_source())) else {
            throw MPIError(invalid: "\(function)", "rank \(rank) is not a rank of this communicator")
        }
        return try mpiCount(rank, function)
    }
}

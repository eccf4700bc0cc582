internal import CMPI

/// Memory that every rank of a communicator exposes to the others for one-sided, atomic updates:
/// `count` values of `T` on each rank (zero where `count` is 0), the counterpart of mpi4py's
/// `MPI.Win.Allocate` used as a shared counter.
///
/// The window is open for passive-target access from creation until `free()` (`MPI_Win_lock_all`),
/// so any rank may update any other at any time, without the target taking part. Not thread-safe:
/// at `MPI_THREAD_SERIALIZED`, callers on different threads take turns (a lock of their own).
///
/// The corresponding MPI functions are `MPI_Win_allocate`, `MPI_Win_lock_all`, `MPI_Fetch_and_op`
/// (with `MPI_SUM` or `MPI_NO_OP`), `MPI_Accumulate` (with an operation or `MPI_REPLACE`), `MPI_Win_flush`, `MPI_Win_unlock_all` and `MPI_Win_free`.
public final class Window<T: MPIScalar> {
    /// The ranks that share the window.
    public let communicator: Communicator
    private var handle: MPI_Win?
    private let base: UnsafeMutablePointer<T>?
    /// The number of values this rank exposes.
    public let count: Int

    /// Allocates `count` values, zeroed, on this rank (collective; ranks may pass different counts).
    public init(count: Int, communicator: Communicator) throws(MPIError) {
        precondition(count >= 0, "a window holds a count of values ≥ 0")
        self.communicator = communicator
        self.count = count
        let stride = MemoryLayout<T>.stride
        let (window, memory) = try Call.winAllocate(count * stride, Int32(stride), communicator.handle)
        handle = window
        base = memory?.bindMemory(to: T.self, capacity: count)
        if let base { UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: count * stride) }
        try communicator.barrier()  // every rank's memory is zeroed before anyone updates it
        try Call.winLockAll(window)
    }

    /// Not collective: a window still open here is left to `MPI_Finalize` or `MPI_Abort`. Freeing is
    /// collective, and a `deinit` can run while one rank alone unwinds an error, where a collective
    /// call would wait forever for ranks that are not coming. Call `free()`.
    deinit {}

    /// Adds `value` to element `index` of `rank`'s memory and returns the element's previous value,
    /// atomically with respect to every other update of the window.
    public func fetchAndAdd(_ value: T, rank: Int, index: Int = 0) throws(MPIError) -> T {
        let window = try open()
        var origin = value, result = value
        let target = try communicator.peer(rank, "MPI_Fetch_and_op")
        try withUnsafePointer(to: &origin) { origin throws(MPIError) in
            try withUnsafeMutablePointer(to: &result) { result throws(MPIError) in
                try Call.fetchAndOp(origin, result, T.datatype.handle, target, index, cmpi_op_sum(), window)
            }
        }
        try Call.winFlush(target, window)
        return result
    }

    /// Combines `value` into element `index` of `rank`'s memory with `operation`, atomically, and
    /// waits until it is done there.
    public func accumulate(_ value: T, operation: ReductionOperation, rank: Int, index: Int = 0) throws(MPIError) {
        let window = try open()
        var origin = value
        let target = try communicator.peer(rank, "MPI_Accumulate")
        try withUnsafePointer(to: &origin) { origin throws(MPIError) in
            try Call.accumulate(origin, 1, T.datatype.handle, target, index, operation.handle, window)
        }
        try Call.winFlush(target, window)
    }

    /// Reads element `index` of `rank`'s memory, atomically with respect to every other update of the
    /// window (`MPI_Fetch_and_op` with `MPI_NO_OP`), and waits for the value.
    public func load(rank: Int, index: Int = 0) throws(MPIError) -> T {
        let window = try open()
        // MPI_NO_OP ignores the origin value; both buffers are zeroed bytes enough for any scalar.
        precondition(MemoryLayout<T>.size <= 16, "a window scalar fits in 16 bytes")
        var origin: (UInt64, UInt64) = (0, 0), result: (UInt64, UInt64) = (0, 0)
        let target = try communicator.peer(rank, "MPI_Fetch_and_op")
        try withUnsafePointer(to: &origin) { origin throws(MPIError) in
            try withUnsafeMutablePointer(to: &result) { result throws(MPIError) in
                try Call.fetchAndOp(origin, result, T.datatype.handle, target, index, cmpi_op_no_op(), window)
            }
        }
        try Call.winFlush(target, window)
        return withUnsafeBytes(of: &result) { $0.loadUnaligned(as: T.self) }
    }

    /// Replaces element `index` of `rank`'s memory with `value`, atomically with respect to every
    /// other update of the window (`MPI_Accumulate` with `MPI_REPLACE`), and waits until it is done there.
    ///
    /// A `load` followed by a `store` is two operations, not one: another rank's update between them
    /// is overwritten (lost). `fetchAndAdd` is the one-operation read-modify-write.
    public func store(_ value: T, rank: Int, index: Int = 0) throws(MPIError) {
        let window = try open()
        var origin = value
        let target = try communicator.peer(rank, "MPI_Accumulate")
        try withUnsafePointer(to: &origin) { origin throws(MPIError) in
            try Call.accumulate(origin, 1, T.datatype.handle, target, index, cmpi_op_replace(), window)
        }
        try Call.winFlush(target, window)
    }

    /// This rank's values, once every rank has finished its updates (collective: a barrier, then
    /// the window's memory synchronized with what this rank sees).
    public func localValues() throws(MPIError) -> [T] {
        let window = try open()
        try communicator.barrier()
        try Call.winSync(window)
        guard let base else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Ends access and frees the window (collective).
    public func free() throws(MPIError) {
        let window = try open()
        try Call.winUnlockAll(window)
        try Call.winFree(&handle)
        handle = nil
    }

    private func open() throws(MPIError) -> MPI_Win {
        guard let handle else { throw MPIError(invalid: "MPI_Win", "the window is freed") }
        return handle
    }
}

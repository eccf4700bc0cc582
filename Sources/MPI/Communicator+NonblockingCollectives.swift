internal import CMPI

// Nonblocking collectives and allToAllv. Like `isend` and `ireceive`, each nonblocking collective
// returns a request that owns its buffers and must be completed with `wait`, `test` or
// `Request.waitAll`: a request dropped while pending ends the job with a message, never silently.
// Every rank starts the same collectives in the same order, with the same root and count.

extension Communicator {
    /// Starts a barrier; it completes once every rank has started it. The corresponding MPI function is `MPI_Ibarrier`.
    public func ibarrier() throws(MPIError) -> Request {
        try Request(storage: .allocate(byteCount: 1, alignment: 1)) { _ throws(MPIError) in
            try Call.ibarrier(handle)
        }
    }

    /// Starts broadcasting the root's `values`; every rank passes an array of the root's length (the
    /// other ranks' values are ignored) and reads `values` of the request once it completed.
    /// The corresponding MPI function is `MPI_Ibcast`.
    public func ibroadcast<T: MPIScalar>(_ values: [T], root: Int) throws(MPIError) -> CollectiveRequest<T> {
        let root32 = try peer(root, "MPI_Ibcast")
        let count = try mpiCount(values.count, "MPI_Ibcast")
        return try CollectiveRequest(values, resultOffset: 0) { buffer throws(MPIError) in
            try Call.ibcast(buffer, count, T.datatype.handle, root32, handle)
        }
    }

    /// Starts combining `values` element-wise across ranks; read `values` of the request, on every rank,
    /// once it completed. The corresponding MPI function is `MPI_Iallreduce`.
    public func iallReduce<T: MPIScalar>(_ values: [T], operation: ReductionOperation) throws(MPIError)
        -> CollectiveRequest<T> {
        let count = try mpiCount(values.count, "MPI_Iallreduce")
        let bytes = values.count * MemoryLayout<T>.stride
        return try CollectiveRequest(values, resultOffset: values.count) { buffer throws(MPIError) in
            try Call.iallreduce(buffer, buffer.map { $0 + bytes }, count, T.datatype.handle, operation.handle, handle)
        }
    }

    /// Rank r sends `values[blocks before r']`, `counts[r']` values long, to each rank r' and receives each
    /// rank's block for it, in rank order; `counts` has one count per rank and adds up to `values.count`.
    /// Returns the received values and how many came from each rank. A wrong `counts` on any rank
    /// makes every rank throw. The corresponding MPI functions are `MPI_Alltoall` (the counts) and
    /// `MPI_Alltoallv`.
    public func allToAllv<T: MPIScalar>(_ values: [T], counts: [Int]) throws(MPIError)
        -> (values: [T], counts: [Int]) {
        var problem: MPIError?
        var send = (counts: [Int32](repeating: 0, count: size), displacements: [Int32](repeating: 0, count: size))
        do throws(MPIError) {
            guard counts.count == size, counts.reduce(0, +) == values.count else {
                throw MPIError(invalid: "MPI_Alltoallv", "rank \(rank) has \(values.count) values and "
                               + "\(counts.count) counts adding up to \(counts.reduce(0, +)) for \(size) ranks")
            }
            send = try Self.layout(counts, "MPI_Alltoallv")
        } catch {
            problem = error
        }
        let first = try allReduce(problem == nil ? size : rank, operation: .min)
        guard first == size else {
            let message = try broadcast(problem?.message ?? "", root: first)
            throw MPIError(invalid: "MPI_Alltoallv", message)
        }
        var received = [Int32](repeating: 0, count: size)
        try Call.alltoall(send.counts, &received, handle)
        let receiveCounts = received.map(Int.init)
        let receive = try Self.layout(receiveCounts, "MPI_Alltoallv")
        let result: [T] = try values.withUnsafeBufferPointer { buffer throws(MPIError) in
            try filled(receiveCounts.reduce(0, +)) { output throws(MPIError) in
                try Call.alltoallv(buffer.baseAddress, send.counts, send.displacements, output,
                                   receive.counts, receive.displacements, T.datatype.handle, handle)
            }
        }
        return (result, receiveCounts)
    }
}

/// A nonblocking collective over values: it owns its buffers, and `values` holds the result once the
/// request completed. The corresponding MPI object is `MPI_Request` (from `MPI_Ibcast`, `MPI_Iallreduce`).
public final class CollectiveRequest<T: MPIScalar>: Request, @unchecked Sendable {
    private let count: Int
    private let resultOffset: Int
    private var result: [T]?

    /// Copies `values` into owned storage (with room for as many results after `resultOffset` values)
    /// and starts the operation on it.
    init(_ values: [T], resultOffset: Int,
         start: (UnsafeMutableRawPointer?) throws(MPIError) -> MPI_Request) throws(MPIError) {
        count = values.count
        self.resultOffset = resultOffset
        let stride = MemoryLayout<T>.stride
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max((resultOffset + count) * stride, 1),
                                                              alignment: MemoryLayout<T>.alignment)
        storage.bindMemory(to: T.self)
        values.withUnsafeBytes { storage.copyMemory(from: $0) }
        try super.init(storage: storage, start: start)
    }

    /// The result (as many values as were passed), from the buffer MPI filled; read after `wait`, `test`
    /// or `waitAll`. The corresponding MPI function is the `MPI_Ibcast` or `MPI_Iallreduce` that started it.
    public var values: [T] {
        guard let result else { preconditionFailure("CollectiveRequest.values read before the request completed") }
        return result
    }

    /// Waits until the operation completed and returns its result. The corresponding MPI function is `MPI_Wait`.
    public func waitForValues() throws(MPIError) -> [T] {
        try wait()
        return values
    }

    override func completed(_ status: Status) {
        super.completed(status)
        let start = storage.baseAddress?.assumingMemoryBound(to: T.self).advanced(by: resultOffset)
        result = Array(UnsafeBufferPointer(start: start, count: count))
    }
}

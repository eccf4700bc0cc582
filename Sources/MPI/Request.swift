internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// A nonblocking send or receive in flight. It must be completed with `wait`, `test` or `waitAll`:
/// a request dropped while still pending ends the job with a message naming the rank, never silently.
/// The corresponding MPI object is `MPI_Request`.
public class Request: @unchecked Sendable {
    var handle: MPI_Request?
    /// The memory MPI reads or writes until completion; owned here, freed only after the pending check.
    let storage: UnsafeMutableRawBufferPointer
    private let rank: Int

    init(storage: UnsafeMutableRawBufferPointer, start: (UnsafeMutableRawPointer?) throws(MPIError) -> MPI_Request)
        throws(MPIError) {
        self.storage = storage
        self.rank = Communicator.world.rank
        do {
            handle = try start(storage.baseAddress)
        } catch {
            handle = cmpi_request_null()
            throw error
        }
    }

    /// The status it completed with (MPI reports an empty one for a request already completed).
    private var completion: Status?

    /// Whether it has completed (its buffer is free for the sender, filled for the receiver).
    /// The corresponding MPI constant is `MPI_REQUEST_NULL`, which a completed request's handle becomes.
    public var isComplete: Bool { handle == cmpi_request_null() }

    /// Waits until it completes; on a completed request, returns its status at once.
    /// The corresponding MPI function is `MPI_Wait`.
    @discardableResult
    public func wait() throws(MPIError) -> Status {
        if let completion { return completion }
        let status = Status(raw: try Call.wait(&handle))
        completed(status)
        return status
    }

    /// The status if it has completed, else nil. The corresponding MPI function is `MPI_Test`.
    public func test() throws(MPIError) -> Status? {
        if let completion { return completion }
        guard let raw = try Call.test(&handle) else { return nil }
        let status = Status(raw: raw)
        completed(status)
        return status
    }

    /// Waits until all complete; the statuses in the same order. The corresponding MPI function is `MPI_Waitall`.
    @discardableResult
    public static func waitAll(_ requests: [Request]) throws(MPIError) -> [Status] {
        let pending = requests.map { $0.completion == nil }
        var handles = requests.map(\.handle)
        var raw = [MPI_Status](repeating: MPI_Status(), count: requests.count)
        // On failure too (MPI_ERR_IN_STATUS), the requests MPI completed without error are complete.
        defer {
            for (index, request) in requests.enumerated() {
                request.handle = handles[index]
                if pending[index] && request.isComplete && raw[index].MPI_ERROR == MPI_SUCCESS {
                    request.completed(Status(raw: raw[index]))
                }
            }
        }
        try Call.waitall(&handles, &raw)
        return requests.indices.map { pending[$0] ? Status(raw: raw[$0]) : requests[$0].completion! }
    }

    /// Called once, when the request stops being pending: receivers read their buffer here.
    func completed(_ status: Status) { completion = status }

    deinit {
        if handle != cmpi_request_null() && Environment.isInitialized && !Environment.isFinalized {
            Environment.printError("rank \(rank): a nonblocking request was dropped before wait or test completed it")
            Environment.abort(code: 1)
        }
        storage.deallocate()
    }
}

/// A nonblocking send. It owns a copy of the values, so the caller may change or drop its array at once.
/// The corresponding MPI function is `MPI_Isend`.
public final class SendRequest<T: MPIScalar>: Request, @unchecked Sendable {
    init(_ values: [T], destination: Int32, tag: Int32, communicator: MPI_Comm) throws(MPIError) {
        let count = try mpiCount(values.count, "MPI_Isend")
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(values.count, 1) * MemoryLayout<T>.stride,
                                                              alignment: MemoryLayout<T>.alignment)
        values.withUnsafeBytes { storage.copyMemory(from: $0) }
        try super.init(storage: storage) { buffer throws(MPIError) in
            try Call.isend(buffer, count, T.datatype.handle, destination, tag, communicator)
        }
    }
}

/// A nonblocking receive into a buffer it owns; `values` holds the message once the request completed.
/// The corresponding MPI function is `MPI_Irecv`.
public final class ReceiveRequest<T: MPIScalar>: Request, @unchecked Sendable {
    private let capacity: Int
    private var received: [T]?

    init(count: Int, source: Int32, tag: Int32, communicator: MPI_Comm) throws(MPIError) {
        let count32 = try mpiCount(count, "MPI_Irecv")
        capacity = count
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1) * MemoryLayout<T>.stride,
                                                              alignment: MemoryLayout<T>.alignment)
        storage.bindMemory(to: T.self)  // MPI writes T values here; `completed` reads them as T
        try super.init(storage: storage) { buffer throws(MPIError) in
            try Call.irecv(buffer, count32, T.datatype.handle, source, tag, communicator)
        }
    }

    /// The received values (as many as the message held); read after `wait`, `test` or `waitAll`.
    public var values: [T] {
        guard let received else { preconditionFailure("ReceiveRequest.values read before the request completed") }
        return received
    }

    /// Waits until the message has arrived and returns its values and status.
    /// The corresponding MPI function is `MPI_Wait`.
    public func waitForValues() throws(MPIError) -> (values: [T], status: Status) {
        let status = try wait()
        return (values, status)
    }

    /// Withdraws a receive that no message has matched yet and completes it; returns true if it was
    /// withdrawn, false if a message had already matched it (then `values` holds that message, as
    /// after `wait`). A completed request returns false at once. Local: it never waits for another
    /// rank, so it is safe on an error path. The corresponding MPI functions are `MPI_Cancel`,
    /// `MPI_Wait` and `MPI_Test_cancelled`.
    @discardableResult
    public func cancel() throws(MPIError) -> Bool {
        if isComplete { return false }
        try Call.cancel(&handle)
        let status = try wait()
        return try Call.testCancelled(status.raw)
    }

    /// Copies the message out of the owned buffer, as many values as the status counts.
    override func completed(_ status: Status) {
        super.completed(status)
        // A message that is not a whole number of T values (never, when both sides use T) yields none,
        // rather than a buffer MPI did not fill.
        let count = min((try? status.count(of: T.self)).flatMap { $0 } ?? 0, capacity)
        received = Array(UnsafeBufferPointer(start: storage.baseAddress?.assumingMemoryBound(to: T.self), count: count))
    }
}

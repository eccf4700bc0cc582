internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// A nonblocking send or receive in flight. It must be completed with `wait`, `test` or `waitAll`:
/// a request dropped while still pending ends the job with a message naming the rank, never silently.
/// The corresponding MPI object is `MPI_Request`.
public class Request: @unchecked Sendable {
    var handle: MPI_Request?
    private let rank: Int

    init(handle: MPI_Request) {
        self.handle = handle
        self.rank = Communicator.world.rank
    }

    /// Whether it has completed (its buffer is free for the sender, filled for the receiver).
    public var isComplete: Bool { handle == cmpi_request_null() }

    /// Waits until it completes. The corresponding MPI function is `MPI_Wait`.
    @discardableResult
    public func wait() throws(MPIError) -> Status {
        let status = Status(raw: try Call.wait(&handle))
        completed(status)
        return status
    }

    /// The status if it has completed, else nil. The corresponding MPI function is `MPI_Test`.
    public func test() throws(MPIError) -> Status? {
        guard let raw = try Call.test(&handle) else { return nil }
        let status = Status(raw: raw)
        completed(status)
        return status
    }

    /// Waits until all complete; the statuses in the same order. The corresponding MPI function is `MPI_Waitall`.
    @discardableResult
    public static func waitAll(_ requests: [Request]) throws(MPIError) -> [Status] {
        var handles = requests.map(\.handle)
        let statuses = try Call.waitall(&handles).map(Status.init(raw:))
        for (request, (handle, status)) in zip(requests, zip(handles, statuses)) {
            request.handle = handle
            request.completed(status)
        }
        return statuses
    }

    /// Called once the request is no longer pending: receivers read their buffer here.
    func completed(_ status: Status) {}

    deinit {
        if handle != cmpi_request_null() && Environment.isInitialized && !Environment.isFinalized {
            Environment.printError("rank \(rank): a nonblocking request was dropped before wait or test completed it")
            Environment.abort(code: 1)
        }
    }
}

/// A nonblocking send. It owns a copy of the values, so the caller may change or drop its array at once.
/// The corresponding MPI function is `MPI_Isend`.
public final class SendRequest<T: MPIScalar>: Request, @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<T>

    init(_ values: [T], destination: Int32, tag: Int32, communicator: MPI_Comm) throws(MPIError) {
        let count = try mpiCount(values.count, "MPI_Isend")
        storage = .allocate(capacity: max(values.count, 1))
        _ = storage.initialize(from: values)
        do {
            super.init(handle: try Call.isend(storage.baseAddress, count, T.datatype.handle, destination, tag,
                                              communicator))
        } catch {
            storage.deallocate()
            throw error
        }
    }

    deinit { storage.deallocate() }
}

/// A nonblocking receive into a buffer it owns; `values` holds the message once the request completed.
/// The corresponding MPI function is `MPI_Irecv`.
public final class ReceiveRequest<T: MPIScalar>: Request, @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<T>
    private var received: [T]?

    init(count: Int, source: Int32, tag: Int32, communicator: MPI_Comm) throws(MPIError) {
        let count32 = try mpiCount(count, "MPI_Irecv")
        storage = .allocate(capacity: max(count, 1))
        do {
            super.init(handle: try Call.irecv(storage.baseAddress, count32, T.datatype.handle, source, tag,
                                              communicator))
        } catch {
            storage.deallocate()
            throw error
        }
    }

    /// The received values (as many as the message held); call after `wait`, `test` or `waitAll`.
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

    /// Copies the message out of the owned buffer, as many values as the status counts.
    override func completed(_ status: Status) {
        let count = (try? status.count(of: T.self)).flatMap { $0 } ?? storage.count
        received = Array(storage.prefix(count))
    }

    deinit { storage.deallocate() }
}

import MPI
import Synchronization

/// The lessons' `multiprocessing.Value` *without* its `Lock`, kept to show the race: one `Int` on
/// rank 0 that every thread of every rank updates by reading it and writing back the value plus its
/// amount, in two separate one-sided operations. An update by anyone else between the read and the
/// write is overwritten, so updates are lost under contention and the final value is too small,
/// by a different amount on every run. `SharedCounter` is the correct counterpart.
///
/// Each read and each write is itself atomic and complete before the next begins
/// (`Window.load`: `MPI_Fetch_and_op` with `MPI_NO_OP`, then `MPI_Win_flush`; `Window.store`:
/// `MPI_Accumulate` with `MPI_REPLACE`, then `MPI_Win_flush`), so the program is correct MPI and
/// the only race is the one shown: the pair is not atomic. A rank's threads make their MPI calls one
/// at a time (a lock around each call, never around the pair), so it needs only
/// `MPI_THREAD_SERIALIZED`. It needs a one-sided window: Open MPI 4.1 builds one within a node,
/// not over TCP between nodes.
public final class RacyCounter: @unchecked Sendable {
    private let window: Window<Int>
    /// One MPI call at a time from this rank's threads.
    private let calls = Mutex<Void>(())

    /// A counter at 0 on rank 0 (collective).
    public init(communicator: Communicator) throws {
        let level = try Environment.threadLevel()
        guard level >= .serialized else {
            throw RunError("the racy counter's threads call MPI: it needs MPI_THREAD_SERIALIZED (this MPI gives \(level))")
        }
        do {
            window = try Window<Int>(count: communicator.rank == 0 ? 1 : 0, communicator: communicator)
        } catch {
            throw RunError("the racy counter needs a one-sided MPI window, which this MPI cannot build here: \(error)")
        }
    }

    /// Reads the count, then writes back count + `amount`: not atomic as a whole, on purpose.
    /// From any thread.
    public func add(_ amount: Int) throws {
        let seen = try calls.withLock { _ throws(MPIError) in try window.load(rank: 0) }
        try calls.withLock { _ throws(MPIError) in try window.store(seen + amount, rank: 0) }
    }

    /// The final count on rank 0, nil elsewhere, once every rank has finished adding; frees the
    /// counter (collective: every rank calls it after its threads' last `add`).
    public func finish() throws -> Int? {
        let values = try window.localValues()
        try window.free()
        return values.first
    }
}

import ArgumentParser
import Kernels
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// How the indices of a range are shared among the ranks × threads of the job.
public enum Schedule: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// One contiguous block per worker (rank-major, then thread): no coordination, fine when every
    /// index costs the same.
    case block
    /// Round-robin: worker w of W takes indices w, w + W, w + 2W, ...: evens out work that grows
    /// along the range, with no coordination.
    case cyclic
    /// Chunks handed out on demand from one counter on rank 0 (an MPI window updated with
    /// `MPI_Fetch_and_op`), to every thread of every rank, rank 0 included: no rank is a dedicated
    /// manager. For irregular work; each chunk costs one atomic round trip to rank 0.
    case dynamic
}

/// A share of a range under a schedule: a contiguous run (block, dynamic) or every `step`-th index
/// (cyclic). Iterate it for the indices; `range` gives a contiguous piece as a `Range`.
public struct Piece: Sequence, Sendable, Equatable {
    /// The first index and the end (exclusive), and the distance between indices.
    public let start: Int, end: Int, step: Int

    public init(start: Int, end: Int, step: Int = 1) {
        precondition(step >= 1, "a piece steps forward")
        (self.start, self.end, self.step) = (start, Swift.max(start, end), step)
    }

    /// A contiguous piece as a range (a cyclic piece of a schedule with more than one worker is not one).
    public var range: Range<Int> {
        precondition(step == 1, "a cyclic piece is not a contiguous range")
        return start..<end
    }

    /// How many indices the piece holds.
    public var count: Int { start < end ? (end - start - 1) / step + 1 : 0 }

    public func makeIterator() -> StrideTo<Int>.Iterator { stride(from: start, to: end, by: step).makeIterator() }
}

extension Context {
    /// Runs `body` on this rank's threads over their share of `range` under `schedule`: each thread
    /// folds the pieces it gets into its own copy of `initial`, and the copies come back in thread
    /// order. Under `.block` a thread gets one contiguous piece; under `.cyclic` one strided piece
    /// (every (ranks·threads)-th index); under `.dynamic` contiguous pieces of `chunk` indices, in
    /// whatever order the threads ask.
    ///
    /// Collective: every rank calls it with the same arguments. `.dynamic` with more than one thread
    /// needs the program's thread level to be at least `.serialized` (threads take turns calling MPI).
    public func parallel<R>(_ schedule: Schedule, over range: Range<Int>, chunk: Int, into initial: R,
                            _ body: (inout R, Piece) throws -> Void) throws -> [R] {
        switch schedule {
        case .block:
            return try parallel(over: range) { block in
                var result = initial
                try body(&result, Piece(start: block.lowerBound, end: block.upperBound))
                return result
            }
        case .cyclic:
            return try parallel { thread in
                var result = initial
                let share = cyclicPiece(of: range, thread: thread)
                try body(&result, Piece(start: share.first ?? range.upperBound, end: range.upperBound,
                                        step: ranks * threads))
                return result
            }
        case .dynamic:
            precondition(chunk >= 1, "a chunk holds at least one index")
            precondition(threads == 1 || threadLevel >= .serialized,
                         "dynamic scheduling over threads needs MPI_THREAD_SERIALIZED (static threadLevel)")
            let counter = try ChunkCounter(range: range, chunk: chunk, communicator: communicator)
            let results = try parallel { _ in
                var result = initial
                while let piece = try counter.next() {
                    try body(&result, Piece(start: piece.lowerBound, end: piece.upperBound))
                }
                return result
            }
            try counter.free()
            return results
        }
    }
}

/// One `Int` on rank 0 that every thread of every rank updates atomically (an MPI window), the
/// counterpart of the lessons' `multiprocessing.Value` with its `Lock`. A rank's threads take turns
/// through one mutex shared by every counter of the process (a dynamic schedule's and a program's
/// own), so MPI is called by one thread at a time (`MPI_THREAD_SERIALIZED`): MPICH over UCX asserts
/// when two threads make progress at once.
public final class SharedCounter {
    private let window: Window<Int>
    private var mutex: UnsafeMutablePointer<pthread_mutex_t> { sharedCounterMutex }

    /// A counter at 0 (collective).
    public init(communicator: Communicator) throws {
        window = try Window(count: communicator.rank == 0 ? 1 : 0, communicator: communicator)
    }

    /// Adds `amount` and returns the value before (`MPI_Fetch_and_op`); safe from any thread.
    @discardableResult
    public func add(_ amount: Int) throws -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try window.fetchAndAdd(amount, rank: 0)
    }

    /// The final value on rank 0, nil elsewhere, once every rank has finished adding; frees the
    /// counter (collective).
    public func finish() throws -> Int? {
        let values = try window.localValues()
        try window.free()
        return values.first
    }
}

/// The one mutex of every SharedCounter in this process.
nonisolated(unsafe) private let sharedCounterMutex: UnsafeMutablePointer<pthread_mutex_t> = {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    return mutex
}()

/// The job-wide next-chunk counter of a dynamic schedule.
final class ChunkCounter {
    private let counter: SharedCounter
    private let range: Range<Int>
    private let chunk: Int

    init(range: Range<Int>, chunk: Int, communicator: Communicator) throws {
        self.range = range
        self.chunk = chunk
        counter = try SharedCounter(communicator: communicator)
    }

    /// The next chunk of the range, or nil once it is used up.
    func next() throws -> Range<Int>? {
        let offset = try counter.add(chunk)
        guard offset < range.count else { return nil }
        let start = range.lowerBound + offset
        return start..<start + min(chunk, range.count - offset)
    }

    func free() throws { _ = try counter.finish() }
}

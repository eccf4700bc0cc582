import SPMDCore
import MPI

/// What a program's compute function works with: its rank among the others, its threads,
/// the split of the work, and a stopwatch for the local part of the work.
///
/// Sendable, so the threads of `parallel` may read it: its only mutable state (the run number and
/// the time `measure` adds up) is written by the rank's own thread, outside `parallel`.
public final class Context: @unchecked Sendable {
    /// All ranks of the job.
    public let communicator: Communicator
    /// This rank, 0..<ranks.
    public let rank: Int
    /// The number of ranks.
    public let ranks: Int
    /// Threads per rank, and where the number came from.
    public let threadCount: ThreadCount
    /// The run being computed, 1...repeat.
    public internal(set) var run = 1
    /// Seconds measured by `measure` in this run, if the program used it.
    var measured: Double?
    /// The MPI thread level provided.
    let threadLevel: ThreadLevel
    /// A `JobProgram`'s checkpoint or combined parts, read before the first run (`startJob`).
    var jobStart: JobStart?
    /// A checkpoint to delete once the result is printed.
    var removeAfterReport: String?

    /// Threads per rank.
    public var threads: Int { threadCount.count }

    /// How many ranks of the job run on this rank's node (itself included).
    public let ranksOnNode: Int

    /// Every thread of every rank is one worker, numbered rank-major (rank 0's threads first): the
    /// job's number of workers, and this rank's first. Ranks may run different numbers of threads (a
    /// rank bound to fewer CPUs), so these come from every rank's count, not from `ranks * threads`.
    public private(set) var workers: Int
    public private(set) var firstWorker: Int

    init(communicator: Communicator, threadCount: ThreadCount, threadLevel: ThreadLevel, ranksOnNode: Int = 1) {
        self.threadLevel = threadLevel
        self.ranksOnNode = ranksOnNode
        self.communicator = communicator
        self.rank = communicator.rank
        self.ranks = communicator.size
        self.threadCount = threadCount
        (workers, firstWorker) = (communicator.size * threadCount.count, communicator.rank * threadCount.count)
    }

    /// Sets the worker numbering from every rank's thread count (in rank order).
    func setWorkers(threadsOfEveryRank counts: [Int]) {
        precondition(counts.count == ranks, "one thread count per rank")
        workers = counts.reduce(0, +)
        firstWorker = counts[..<rank].reduce(0, +)
    }

    /// This rank's block of `range` (balanced block split over ranks).
    public func block(of range: Range<Int>) -> Range<Int> { BlockPartition(range, parts: ranks)[rank] }

    /// Runs `body(thread)` on this rank's threads and returns the results in thread order.
    /// `body` is `@Sendable`: threads that write one shared buffer, each its own part, say so with
    /// `DisjointWrites`.
    public func parallel<R>(_ body: @Sendable (Int) throws -> R) throws -> [R] {
        precondition(threads == 1 || threadLevel >= .funneled, "a program at MPI_THREAD_SINGLE runs no threads")
        return try ThreadTeam.run(count: threads, body)
    }

    /// Runs `body` on this rank's threads, each with its block of this rank's block of `range`;
    /// returns the results in thread order (so a sum over them has a fixed order). The block schedule
    /// of `parallel(_:over:chunk:into:)`, for work that maps a block to a result.
    public func parallel<R>(over range: Range<Int>, _ body: @Sendable (Range<Int>) throws -> R) throws -> [R] {
        let threadBlocks = BlockPartition(block(of: range), parts: threads)
        return try parallel { try body(threadBlocks[$0]) }
    }

    /// Throws a `UsageError` unless `bytes` bytes on every rank of this node fit the memory the node
    /// gives the job (`NodeLimits.memory`); for `prepare`. `what` names the need: `--size 3e9 gathers
    /// on rank 0`.
    public func requireMemory(_ bytes: Int, for what: String) throws {
        try NodeLimits.checkMemory(bytes, ranksOnNode: ranksOnNode, for: what)
    }

    /// Times the local work of this rank (its compute time in the report). Without it, the whole
    /// compute call is timed, communication included. Call it from `compute`'s own thread (around
    /// `parallel`), not from inside the threads.
    public func measure<R>(_ body: () throws -> R) rethrows -> R {
        let start = Environment.time()
        defer { measured = (measured ?? 0) + Environment.time() - start }
        return try body()
    }
}

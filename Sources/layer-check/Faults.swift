import SPMD
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Faults injected on purpose, for the tests: each must end the whole job, fast, naming the rank.
struct Faults {
    /// Throws `injected failure`.
    var failOnRank: Int?
    /// Hits a Swift runtime trap.
    var crashOnRank: Int?
    /// Sends itself SIGKILL.
    var killRank: Int?
    /// Drops a nonblocking receive that is never matched.
    var dropRequestOnRank: Int?
    /// Throws `injected failure while writing` while the other ranks write a shared output file.
    var failWhileWritingOnRank: Int?
    /// The shared output file of `failWhileWritingOnRank`.
    var outputPath = "/tmp/layer-check-fault.bin"
    /// Throws from the body of a dynamic schedule, on its third chunk, while every other thread of
    /// every rank is still taking chunks (a schedule that would take several seconds to finish).
    var failInDynamicOnRank: Int?

    /// The options given, by name.
    var given: [(option: String, rank: Int)] {
        [("--fail-on-rank", failOnRank), ("--crash-on-rank", crashOnRank), ("--kill-rank", killRank),
         ("--drop-request-on-rank", dropRequestOnRank), ("--fail-while-writing-on-rank", failWhileWritingOnRank),
         ("--fail-in-dynamic-on-rank", failInDynamicOnRank)].compactMap { name, rank in rank.map { (name, $0) } }
    }

    /// After a barrier, the chosen rank fails in its way while every other rank waits in an
    /// allReduce, where a job that failed to end would hang.
    func inject(_ context: Context) throws {
        guard !given.isEmpty else { return }
        let world = context.communicator
        try world.barrier()
        let rank = world.rank
        if rank == failOnRank { throw RunError("injected failure") }
        // The rank comes from the command line, so the optimizer cannot remove the trap.
        precondition(rank != crashOnRank, "injected crash")
        if rank == killRank { kill(getpid(), SIGKILL) }
        if let writer = failWhileWritingOnRank {
            // 64 MiB per rank: the others are still writing, or waiting in the collective write, when
            // the failing rank throws; its temporary file must go, and no file may appear.
            let part = [Double](repeating: Double(rank), count: 1 << 23)
            try SharedOutput.write(outputPath, bytes: part.count * 8 * world.size, communicator: world) { file in
                if rank == writer { throw RunError("injected failure while writing") }
                try part.withUnsafeBufferPointer { try file.writeAll($0, at: rank * part.count * 8) }
            }
        }
        if rank == dropRequestOnRank {
            let pending = try world.ireceive(count: 1, of: Int.self, from: Communicator.anySource, tag: 9_999)
            _ = pending.isComplete  // never completed: dropped at the end of this scope
        }
        if let failing = failInDynamicOnRank {
            // 60,000 chunks of 2 ms: 120 s of work for the whole job, 15 s or more of it at 4 ranks of 2
            // threads, so a job that ended only once the schedule was used up would pass the tests'
            // generous bound (Launch.promptly, 10 s).
            let taken = Atomic<Int>(0)
            _ = try context.parallel(.dynamic, over: 0..<60_000, chunk: 1, into: 0) { _, _ in
                if rank == failing, taken.wrappingAdd(1, ordering: .relaxed).newValue == 3 {
                    throw RunError("injected failure in a dynamic schedule")
                }
                usleep(2_000)
            }
        }
        _ = try world.allReduce(1, operation: .sum)
        throw RunError("the injected fault (\(given.map { "\($0.option) \($0.rank)" }.joined(separator: ", "))) "
                       + "did not end the job")
    }
}

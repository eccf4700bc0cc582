import ArgumentParser
import SPMDCore
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
    /// Chunks handed out on demand from one counter on rank 0, to every thread of every rank, rank 0
    /// included: no rank is a dedicated manager. Rank 0's threads take chunks from memory; another
    /// rank's thread asks a server thread on rank 0 (two-sided messages) and keeps one request in
    /// flight while it works, so the round trip hides behind the work. Chunks are guided: each is
    /// half of an even share of what is left, and never smaller than `--chunk` (`GuidedChunks`), so
    /// there are few requests while much is left and a fine balance at the end. For irregular work.
    case dynamic
}

extension Schedule {
    /// Checks a program's `--chunk` against this schedule: only the dynamic schedule has chunks, and
    /// a chunk holds at least one index. For `validate()`.
    public func validate(chunk: Count?) throws {
        guard let chunk else { return }
        guard self == .dynamic else {
            throw ValidationError("--chunk applies to --schedule dynamic, not --schedule \(rawValue)")
        }
        guard chunk.value >= 1 else { throw ValidationError("--chunk must be at least 1 (got \(chunk))") }
    }
}

/// The sizes of a dynamic schedule's chunks: guided self-scheduling. The chunk that starts with
/// `remaining` indices left holds half an even share of them, `remaining / (2 · workers)` rounded
/// up, but at least `smallest` (the program's `--chunk`) and at most what is left.
///
/// Large chunks while much is left keep the requests few (each crosses the network to rank 0 from
/// another host); small ones at the end even out the finish. Half a share, not a whole one: a
/// worker that takes a chunk early may be slower (or its indices dearer) than the others, and a
/// rank other than 0 has its next chunk reserved while it works on the current one. A chunk's size
/// depends only on where it starts, so a rank that learns a chunk's start knows the chunk, and the
/// chunks are the same in every run; which worker gets which chunk is not, and never changes a
/// result, since every program combines its chunks' results exactly.
struct GuidedChunks: Sendable, Equatable {
    /// The indices in all, the smallest chunk and the workers (threads of every rank) sharing them.
    let count: Int, smallest: Int, workers: Int

    init(count: Int, smallest: Int, workers: Int) {
        precondition(count >= 0 && smallest >= 1 && workers >= 1, "a chunk holds an index; a worker takes it")
        (self.count, self.smallest, self.workers) = (count, smallest, workers)
    }

    /// The size of the chunk that starts at `offset` (0 ≤ offset < count).
    @inline(__always)
    func size(at offset: Int) -> Int {
        let remaining = count - offset
        let (share, carry) = remaining.quotientAndRemainder(dividingBy: 2 * workers)
        return Swift.min(remaining, Swift.max(smallest, share + (carry > 0 ? 1 : 0)))
    }
}

extension Context {
    /// Runs `body` on this rank's threads over their share of `range` under `schedule`: each thread
    /// folds the pieces it gets into its own copy of `initial`, and the copies come back in thread
    /// order. Under `.block` a thread gets one contiguous piece; under `.cyclic` one strided piece
    /// (every `workers`-th index); under `.dynamic` contiguous pieces of at least `chunk` indices
    /// (`GuidedChunks`: large first, `chunk` at the end), in whatever order the threads ask.
    ///
    /// Collective: every rank calls it with the same arguments. `.dynamic` over more than one rank
    /// needs the program's thread level to be at least `.serialized` (rank 0's server thread and
    /// other ranks' threads call MPI, one at a time) and throws a `RunError` otherwise; `body` then
    /// makes no MPI call of its own on rank 0 unless the level is `.multiple`. If `body` throws, this
    /// rank's threads stop taking chunks and the error comes out here, with no collective call on
    /// the way (the harness then ends the job; other ranks waiting for a chunk end with it).
    public func parallel<R: Sendable>(_ schedule: Schedule, over range: Range<Int>, chunk: Int, into initial: R,
                                      _ body: @Sendable (inout R, Piece) throws -> Void) throws -> [R] {
        switch schedule {
        case .block:
            return try parallel(over: range) { block in
                var result = initial
                try body(&result, Piece(block))
                return result
            }
        case .cyclic:
            return try parallel { thread in
                var result = initial
                try body(&result, CyclicPartition(range, parts: workers)[firstWorker + thread])
                return result
            }
        case .dynamic:
            precondition(chunk >= 1, "a chunk holds at least one index")
            let counter = try ChunkCounter(range: range, smallest: chunk, context: self)
            let results = try parallel { _ in
                var result = initial
                try counter.forEachChunk { piece in
                    try body(&result, Piece(piece))
                }
                return result
            }
            try counter.finish()
            return results
        }
    }
}

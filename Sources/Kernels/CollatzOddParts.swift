import SPMDCore

/// The start values `from...limit` of the Collatz sum, seen through their odd parts: every start is
/// k = 2^j · m with m odd, and steps(k) = j + steps(m) (each halving is one step), so one trajectory
/// per odd part m serves every start 2^j · m in the range.
///
/// The odd parts are numbered 0..<count, and that index range is what ranks and threads split. Each
/// odd part appears once, in a run of consecutive odd numbers: run j holds the odd m whose smallest
/// multiple 2^j · m in the range has j halvings (m ≥ ⌈from / 2^j⌉ and m < ⌈from / 2^(j−1)⌉). For
/// `from` = 1 there is one run, m = 1, 3, 5, ... ≤ limit, in that order.
public struct CollatzOddParts: Sendable, Equatable {
    /// The first and last start values (1 ≤ from ≤ limit < 2^63 − 1).
    public let from: Int, limit: Int
    /// How many odd parts there are: the length of the index range.
    public let count: Int
    /// The runs in index order.
    @usableFromInline let runs: [Run]

    /// Odd parts first, first + 2, ..., at indices offset..<offset + count; j halvings to the
    /// smallest start of each (its multiples 2^j · m, 2^(j+1) · m, ... ≤ limit are starts too).
    @usableFromInline struct Run: Sendable, Equatable {
        @usableFromInline let first: Int, count: Int, halvings: Int, offset: Int
    }

    public init(from: Int, through limit: Int) {
        precondition(from >= 1 && from <= limit && limit < Int.max, "starts run from 1 ≤ from ≤ limit < 2^63 − 1")
        (self.from, self.limit) = (from, limit)
        var runs: [Run] = []
        var offset = 0
        var previousLow = Int.max  // ⌈from / 2^(j−1)⌉: odd parts at or above it belong to an earlier run
        for halvings in 0..<Int.bitWidth {
            let low = ((from - 1) >> halvings) + 1  // ⌈from / 2^j⌉
            let high = Swift.min(limit >> halvings, previousLow - 1)
            let first = low | 1  // the first odd number ≥ low
            if first <= high {
                let count = (high - first) / 2 + 1
                runs.append(Run(first: first, count: count, halvings: halvings, offset: offset))
                offset += count
            }
            if low == 1 { break }
            previousLow = low
        }
        self.runs = runs
        self.count = offset
    }

    /// Calls `body` with the runs of odd parts that the indices cover, in index order: the first odd
    /// part, how many, and the halvings to their smallest start. The odd parts of a run are first,
    /// first + 2, ...
    @inlinable
    public func forEachRun(in indices: Range<Int>, _ body: (_ first: Int, _ count: Int, _ halvings: Int) -> Bool) {
        forEachRun(in: Piece(indices), body)
    }

    /// As `forEachRun(in:_:)` over the indices of `piece`: with a cyclic piece (step s) the odd parts
    /// of a run are first, first + 2s, ...
    @inlinable
    public func forEachRun(in piece: Piece, _ body: (_ first: Int, _ count: Int, _ halvings: Int) -> Bool) {
        guard !piece.isEmpty else { return }
        precondition(piece.start >= 0 && piece.end <= count, "indices \(piece.start)..<\(piece.end) outside 0..<\(count)")
        for run in runs where run.offset < piece.end && run.offset + run.count > piece.start {
            // The piece's first index at or after the run's start, and how many of its indices the run holds.
            let behind = Swift.max(0, run.offset - piece.start)
            let start = piece.start + (behind + piece.step - 1) / piece.step * piece.step
            let end = Swift.min(piece.end, run.offset + run.count)
            guard start < end else { continue }
            if !body(run.first + 2 * (start - run.offset), (end - start - 1) / piece.step + 1, run.halvings) { return }
        }
    }
}

/// Collatz steps (OEIS A006577): how many halving and tripling steps take k to 1.
///
/// Halvings are taken all at once (a shift by the trailing zero bits). A tripling that would pass
/// 2^64 − 1 is reported as nil, never wrapped and never a trap.
@inlinable
public func collatzSteps(_ start: UInt64) -> Int? {
    precondition(start >= 1, "Collatz steps start at 1")
    var n = start
    var steps = 0
    while n != 1 {
        if n & 1 == 0 {
            let zeros = n.trailingZeroBitCount
            n &>>= UInt64(zeros)
            steps &+= zeros
        } else {
            guard n <= (UInt64.max - 1) / 3 else { return nil }
            n = 3 &* n &+ 1
            steps &+= 1
        }
    }
    return steps
}

/// What a range of starting values adds up to: total steps, and the largest step count with the
/// first start that reaches it. Merging is exact and order-free, so any split gives the same summary.
public struct CollatzSummary: Sendable, Equatable {
    /// Σ steps(k).
    public var totalSteps = 0
    /// max steps(k), and the smallest k with that many (0 for an empty range).
    public var maxSteps = -1
    public var argmax = 0

    public init() {}

    /// Adds one start value's steps.
    @inlinable
    public mutating func add(start: Int, steps: Int) {
        totalSteps &+= steps
        if steps > maxSteps || (steps == maxSteps && start < argmax) { (maxSteps, argmax) = (steps, start) }
    }

    /// Merges another summary, as if its starts had been added here.
    public mutating func merge(_ other: CollatzSummary) {
        totalSteps &+= other.totalSteps
        if other.maxSteps > maxSteps || (other.maxSteps == maxSteps && other.argmax < argmax) {
            (maxSteps, argmax) = (other.maxSteps, other.argmax)
        }
    }
}

/// A start value whose trajectory would leave 64 bits.
public struct CollatzOverflow: Error, CustomStringConvertible, Sendable {
    public let start: Int
    public var description: String { "the Collatz trajectory of \(start) exceeds 2^64 - 1" }
}

/// Adds every start value of `range` (all ≥ 1) to `summary`; throws at the first overflow.
public func collatzSummary(_ range: Range<Int>, into summary: inout CollatzSummary) throws(CollatzOverflow) {
    for start in range {
        guard let steps = collatzSteps(UInt64(start)) else { throw CollatzOverflow(start: start) }
        summary.add(start: start, steps: steps)
    }
}

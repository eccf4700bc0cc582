import SPMDCore

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

    /// The summary as three words (total, largest count, its first start), for checkpoints and parts.
    public var words: [Int64] { [Int64(totalSteps), Int64(maxSteps), Int64(argmax)] }

    /// The summary of `words`; nil unless there are three.
    public init?(words: [Int64]) {
        guard words.count == 3 else { return nil }
        (totalSteps, maxSteps, argmax) = (Int(words[0]), Int(words[1]), Int(words[2]))
    }
}

/// A start value whose trajectory would leave 64 bits.
public struct CollatzOverflow: Error, CustomStringConvertible, Sendable, Equatable {
    public let start: Int
    public init(start: Int) { self.start = start }
    public var description: String { "the Collatz trajectory of \(start) exceeds 2^64 - 1" }
}

/// Adds every start value of `range` (all ≥ 1) to `summary`; throws at the first overflow.
public func collatzSummary(_ range: Range<Int>, into summary: inout CollatzSummary) throws(CollatzOverflow) {
    for start in range {
        guard let steps = collatzSteps(UInt64(start)) else { throw CollatzOverflow(start: start) }
        summary.add(start: start, steps: steps)
    }
}

/// Adds the start values whose odd parts have the indices `indices` of `starts` to `summary`: the
/// fast kernel, with the same summary as `collatzSummary(_:into:)` over the same starts, however
/// the indices are split. One trajectory per odd part m, through `table` (jumps until it falls
/// below the table, then the table's count); each start 2^j · m in the range adds j + steps(m).
/// The trajectories run 1,024 at a time, in rounds of one jump each, so that the jumps of
/// different starts overlap. Throws at the first odd part (in index order) whose trajectory would
/// pass 2^64 − 1, naming its smallest start in the range.
public func collatzSummary(_ indices: Range<Int>, of starts: CollatzOddParts, table: CollatzTable,
                           into summary: inout CollatzSummary) throws(CollatzOverflow) {
    try collatzSummary(Piece(indices), of: starts, table: table, into: &summary)
}

/// As `collatzSummary(_:of:table:into:)` over the indices of `piece`, contiguous or cyclic: a cyclic
/// piece's odd parts of a run (every step-th) still run 1,024 trajectories at a time.
public func collatzSummary(_ piece: Piece, of starts: CollatzOddParts, table: CollatzTable,
                           into summary: inout CollatzSummary) throws(CollatzOverflow) {
    var overflow: Int?
    starts.forEachRun(in: piece) { first, count, halvings in
        overflow = table.addRun(first: first, count: count, stride: piece.step, halvings: halvings,
                                limit: starts.limit, into: &summary)
        return overflow == nil
    }
    if let overflow { throw CollatzOverflow(start: overflow) }
}

/// The multiples 2^j · m of an odd part m that are starts: j = halvings...top, where top is the
/// largest j with 2^j · m ≤ limit. Along a run m only grows, so top only falls, at m = limit >> top
/// + 1; between those points the count and Σ j stay the same.
@usableFromInline struct CollatzMultiples {
    @usableFromInline let halvings: Int, limit: UInt64
    /// The largest j, the largest m that has it, how many j there are and their sum.
    @usableFromInline var top: Int, bound: UInt64, count: Int, sumOfHalvings: Int

    /// For the odd parts from `first` on (2^halvings · first ≤ limit).
    @inlinable init(first: UInt64, halvings: Int, limit: UInt64) {
        (self.halvings, self.limit) = (halvings, limit)
        top = first.leadingZeroBitCount - limit.leadingZeroBitCount  // 2^top · first has limit's highest bit
        if first << top > limit { top -= 1 }
        (bound, count, sumOfHalvings) = (0, 0, 0)
        settle()
    }

    @inlinable mutating func settle() {
        bound = limit >> top
        count = top - halvings + 1
        sumOfHalvings = (halvings + top) * count / 2
    }

    /// Adds the starts of odd part m (≥ every m before it) with `steps` steps: Σ (j + steps) over
    /// its multiples, and the largest, top + steps at 2^top · m.
    @inlinable @inline(__always)
    mutating func add(_ m: UInt64, steps: Int, to summary: inout CollatzSummary) {
        if _slowPath(m > bound) { lower(to: m) }  // once per halving of m
        // Wrapping arithmetic: nothing here can overflow (2^top · m ≤ limit < 2^63).
        summary.totalSteps &+= count &* steps &+ sumOfHalvings
        let most = steps &+ top
        if _slowPath(most >= summary.maxSteps) {  // rare, and out of the way of the common path
            let start = Int(truncatingIfNeeded: m &<< UInt64(truncatingIfNeeded: top))
            if most > summary.maxSteps || start < summary.argmax { (summary.maxSteps, summary.argmax) = (most, start) }
        }
    }

    /// Lowers top until 2^top · m ≤ limit (m > bound).
    @usableFromInline @inline(never)
    mutating func lower(to m: UInt64) {
        repeat { top -= 1 } while m > limit >> top
        settle()
    }

    /// Adds the odd parts m, m + gap, ... (`lanes` of them) with the step counts `steps`.
    @usableFromInline @inline(never)
    mutating func add(_ m: UInt64, gap: UInt64, steps: UnsafePointer<UInt32>, lanes: Int,
                      to summary: inout CollatzSummary) {
        // Local copies, so that the loop keeps them in registers.
        var multiples = self, local = summary
        var m = m
        for lane in 0..<lanes {
            multiples.add(m, steps: Int(steps[lane]), to: &local)
            m &+= gap
        }
        (self, summary) = (multiples, local)
    }
}

extension CollatzTable {
    /// Trajectories started at a time.
    @usableFromInline static let batch = 1024

    /// Adds the odd parts first, first + 2 · stride, ... (count of them), each with `halvings` to its
    /// smallest start; returns the smallest start of the first that overflows, or nil.
    @usableFromInline
    func addRun(first: Int, count: Int, stride: Int = 1, halvings: Int, limit: Int,
                into summary: inout CollatzSummary) -> Int? {
        // The last odd part is at most limit < 2^63, so the one past it stays below 2^64.
        precondition(stride >= 1 && stride < 1 << 61, "a run of odd parts steps forward by fewer than 2^61")
        return steps.withUnsafeBufferPointer { table in
            jumps.withUnsafeBufferPointer { jumps in
                powersOfThree.withUnsafeBufferPointer { powers in
                    // A contiguous run (block and dynamic pieces) gets its own copy of the loops with
                    // the gap a constant 2: a variable gap cost about 14% more instructions there.
                    stride == 1
                        ? addRun(first: first, count: count, gap: 2, halvings: halvings, limit: limit,
                                 table: table, jumps: jumps, powers: powers, into: &summary)
                        : addRun(first: first, count: count, gap: 2 * UInt64(stride), halvings: halvings,
                                 limit: limit, table: table, jumps: jumps, powers: powers, into: &summary)
                }
            }
        }
    }

    /// addRun over the buffers, with no closure around its loops, so that its running values stay
    /// in registers; `gap` between consecutive odd parts (2 · stride).
    @inline(__always)
    private func addRun(first: Int, count: Int, gap: UInt64, halvings: Int, limit: Int, table: UnsafeBufferPointer<UInt16>,
                        jumps: UnsafeBufferPointer<UInt32>, powers: UnsafeBufferPointer<UInt64>,
                        into summary: inout CollatzSummary) -> Int? {
        var multiples = CollatzMultiples(first: UInt64(first), halvings: halvings, limit: UInt64(limit))
        let size = UInt64(self.size), jumpLimit = self.jumpLimit
        let signedSize = self.size, signedLimit = Int(jumpLimit)
        // A local copy, so that the compiler keeps it in registers (an inout may alias the buffers).
        var local = summary
        defer { summary = local }
        var m = UInt64(first)
        let last = m + gap * UInt64(count - 1)  // an odd part ≤ limit: no overflow
        // Odd parts below the table: read.
        while m <= last && m < size {
            multiples.add(m, steps: Int(table[Int(m)]), to: &local)
            m += gap
        }
        // Batches of trajectories, one jump per active trajectory per round; a trajectory
        // leaves the round when it falls below the table or rises past jumpLimit.
        let batch = Self.batch
        // One block, so that the round loop reaches values, counts, active and powers of three
        // from one base register at constant offsets: with a register for each, the compiler
        // ran out of registers and reloaded pointers from the stack on every jump.
        let block = UnsafeMutableRawPointer.allocate(byteCount: 16 * batch + 8 * powers.count, alignment: 64)
        defer { block.deallocate() }
        let values = block.bindMemory(to: UInt64.self, capacity: batch)
        let counts = (block + 8 * batch).bindMemory(to: UInt32.self, capacity: batch)
        let active = (block + 12 * batch).bindMemory(to: UInt32.self, capacity: batch)
        let threes = (block + 16 * batch).bindMemory(to: UInt64.self, capacity: powers.count)
        threes.initialize(from: powers.baseAddress!, count: powers.count)
        while m <= last && m <= jumpLimit {
            let lanes = Int(Swift.min((last - m) / gap + 1, UInt64(batch), (jumpLimit - m) / gap + 1))
            // Wrapping arithmetic from here on: m + gap · lane ≤ last, and the checks
            // would keep the compiler from vectorizing these loops.
            for lane in 0..<lanes {
                values[lane] = m &+ gap &* UInt64(truncatingIfNeeded: lane)
                active[lane] = UInt32(truncatingIfNeeded: lane)
            }
            counts.initialize(repeating: 0, count: lanes)
            var remaining = lanes
            while remaining > 0 {
                // The trajectories that stay move to the front of `active`: the one in `slot`
                // goes to kept[slot], kept being `active` moved back by the number that left
                // before it (it stays inside the block, which holds values and counts below).
                var kept = active
                for slot in 0..<remaining {
                    let lane = Int(truncatingIfNeeded: active[slot])
                    let x = values[lane]
                    let entry = jumps[Int(truncatingIfNeeded: x & 0xFFFF)]
                    let odd = Int(truncatingIfNeeded: entry >> 26)
                    let y = (x >> 16) &* threes[odd] &+ UInt64(truncatingIfNeeded: entry & 0x3FF_FFFF)
                    values[lane] = y
                    counts[lane] &+= 16 &+ UInt32(truncatingIfNeeded: odd)
                    kept[slot] = UInt32(truncatingIfNeeded: lane)
                    // Stays if size ≤ y ≤ jumpLimit (y < 2^49 here): both differences are
                    // non-negative, so their `or` is; arithmetic, not a branch, which would
                    // miss its guess on nearly every other trajectory.
                    let outside = (Int(truncatingIfNeeded: y) &- signedSize) | (signedLimit &- Int(truncatingIfNeeded: y))
                    kept += outside >> 63
                }
                remaining &+= kept - active
            }
            // Two passes with fewer values live in each (no spills): the steps, then the sums.
            // (Each pass a function of its own, so that its loop keeps its values in registers.)
            if let lane = finish(values, counts: counts, lanes: lanes, table: table, jumps: jumps, powers: powers) {
                return Int(m &+ gap &* UInt64(truncatingIfNeeded: lane)) << halvings
            }
            multiples.add(m, gap: gap, steps: counts, lanes: lanes, to: &local)
            m &+= gap &* UInt64(truncatingIfNeeded: lanes)
        }
        // Odd parts above jumpLimit (past 2^38): one at a time.
        while m <= last {
            guard let steps = finish(m, table: table, jumps: jumps, powers: powers) else {
                return Int(m) << halvings
            }
            multiples.add(m, steps: steps, to: &local)
            m += gap
        }
        return nil
    }

    /// Adds to counts[lane] the steps from values[lane] to 1, for each lane < lanes; returns the
    /// first lane whose trajectory would pass 2^64 − 1, or nil.
    @usableFromInline @inline(never)
    func finish(_ values: UnsafePointer<UInt64>, counts: UnsafeMutablePointer<UInt32>, lanes: Int,
                table: UnsafeBufferPointer<UInt16>, jumps: UnsafeBufferPointer<UInt32>,
                powers: UnsafeBufferPointer<UInt64>) -> Int? {
        let size = UInt64(self.size), table = table.baseAddress!
        for lane in 0..<lanes {
            let y = values[lane]
            if _fastPath(y < size) {
                counts[lane] &+= UInt32(truncatingIfNeeded: table[Int(truncatingIfNeeded: y)])
            } else {
                guard let rest = finishOutOfLine(y, jumps: jumps, powers: powers) else { return lane }
                counts[lane] &+= UInt32(truncatingIfNeeded: rest)
            }
        }
        return nil
    }

    @inline(never)
    private func finishOutOfLine(_ start: UInt64, jumps: UnsafeBufferPointer<UInt32>,
                                 powers: UnsafeBufferPointer<UInt64>) -> Int? {
        steps.withUnsafeBufferPointer { finish(start, table: $0, jumps: jumps, powers: powers) }
    }

    /// The steps from n ≥ 2^17 to 1: jumps while n ≤ jumpLimit, single steps checked for overflow
    /// above it, the table's count once below `size`; nil if a tripling would pass 2^64 − 1.
    @usableFromInline
    func finish(_ start: UInt64, table: UnsafeBufferPointer<UInt16>, jumps: UnsafeBufferPointer<UInt32>,
                powers: UnsafeBufferPointer<UInt64>) -> Int? {
        var n = start, steps = 0
        let size = UInt64(self.size)
        while n >= size {
            if n <= jumpLimit {
                let entry = jumps[Int(truncatingIfNeeded: n & 0xFFFF)]
                n = (n >> 16) &* powers[Int(entry >> 26)] &+ UInt64(entry & 0x3FF_FFFF)
                steps &+= 16 &+ Int(entry >> 26)
            } else if n & 1 == 0 {
                let zeros = n.trailingZeroBitCount
                n &>>= UInt64(zeros)
                steps &+= zeros
            } else {
                guard n <= (UInt64.max - 1) / 3 else { return nil }
                n = 3 &* n &+ 1
                steps &+= 1
            }
        }
        return steps &+ Int(table[Int(truncatingIfNeeded: n)])
    }
}

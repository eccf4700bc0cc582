/// What the fast Collatz kernel reads, built once per rank and shared read-only by its threads:
/// the step counts of every start below `size`, and a jump table that takes a trajectory 16 steps
/// of T at a time.
///
/// T(n) = n/2 for even n and (3n + 1)/2 for odd n; an odd step of T is two Collatz steps (3n + 1,
/// then a halving), an even one is one. The first 16 steps of T from n = a · 2^16 + b depend only
/// on b: they take n to a · 3^c + T^16(b), where c is the number of odd steps, and count 16 + c
/// Collatz steps. A trajectory jumps so until it falls below `size`, then adds the table's count.
/// A jump is exact while n > 2^16 (it cannot pass through 1) and while 3^16 · (n + 1) + 1 < 2^64
/// (nothing on the way leaves 64 bits); above that the kernel takes single steps, checked for
/// overflow, as the lesson's algorithm does.
///
/// Memory: at most 2^22 step counts of 2 bytes (8 MiB) and 2^16 jump entries of 4 bytes
/// (256 KiB): `maximumBytes`, whatever the range.
public struct CollatzTable: Sendable {
    /// Steps of T per jump.
    public static let jumpBits = 16
    /// The table holds the starts below `size`: a power of two from 2^17 to 2^22.
    public static let minimumSize = 1 << (jumpBits + 1), maximumSize = 1 << 22
    /// The most memory a table takes: 8 MiB of step counts and 256 KiB of jumps.
    public static let maximumBytes = maximumSize * MemoryLayout<UInt16>.size + (1 << jumpBits) * MemoryLayout<UInt32>.size

    /// The starts below `size` are in the table.
    public let size: Int
    /// steps[n] for 0 < n < size (steps[0] = 0 is never read).
    @usableFromInline let steps: [UInt16]
    /// For b < 2^16: T^16(b) in the low 26 bits, and c (the odd steps among the 16) above them.
    @usableFromInline let jumps: [UInt32]
    /// 3^c for c = 0...16.
    @usableFromInline let powersOfThree: [UInt64]
    /// The largest n a jump may start from: 3^16 · (n + 1) + 1 ≤ 2^64 − 1.
    @usableFromInline let jumpLimit: UInt64

    /// The steps from n to 1, for 0 < n < size.
    public func steps(of n: Int) -> Int {
        precondition(n >= 1 && n < size, "\(n) is outside the table's 1..<\(size)")
        return Int(steps[n])
    }

    /// The table's size for the starts from...limit: 2^22, or less (but at least 2^17) where every
    /// start is below it, or where it would hold more entries than there are starts (its cost would
    /// pass the work it saves).
    public static func size(from: Int, through limit: Int) -> Int {
        var size = minimumSize
        while size < maximumSize && size <= limit && size <= limit - from { size *= 2 }
        return size
    }

    /// The table of `size` entries (a power of two from 2^17 to 2^22), built serially, in place.
    public init(size: Int) {
        Self.checkSize(size)
        self.size = size
        let (jumps, powersOfThree, jumpLimit) = Self.makeJumps()
        (self.jumps, self.powersOfThree, self.jumpLimit) = (jumps, powersOfThree, jumpLimit)
        steps = jumps.withUnsafeBufferPointer { jumps in
            powersOfThree.withUnsafeBufferPointer { powers in
                [UInt16](unsafeUninitializedCapacity: size) { table, initialized in
                    let base = table.baseAddress!
                    Self.fillFirstEntries(base)
                    var low = Self.minimumSize
                    while low < size {
                        Self.fill(base + low, with: low..<2 * low, from: base, jumps: jumps, powers: powers)
                        low *= 2
                    }
                    initialized = size
                }
            }
        }
    }

    /// Builds the table of `size` entries in stages: the entries below 2^17, then each
    /// [2^s, 2^(s+1)) from the entries below it. `split` gets a stage and a function that computes the
    /// entries of any part of it, and returns the stage's entries as consecutive pieces, in order
    /// (e.g. one piece per thread).
    public init(size: Int, split: (Range<Int>, @Sendable (Range<Int>) -> [UInt16]) throws -> [[UInt16]]) rethrows {
        Self.checkSize(size)
        self.size = size
        (jumps, powersOfThree, jumpLimit) = Self.makeJumps()
        var steps = [UInt16](unsafeUninitializedCapacity: Self.minimumSize) { table, initialized in
            Self.fillFirstEntries(table.baseAddress!)
            initialized = Self.minimumSize
        }
        steps.reserveCapacity(size)
        while steps.count < size {
            let stage = steps.count..<2 * steps.count
            let pieces = try Self.stage(stage, steps: steps, jumps: jumps, powersOfThree: powersOfThree, split: split)
            for piece in pieces { steps.append(contentsOf: piece) }
            precondition(steps.count == stage.upperBound, "the pieces of a stage cover it exactly")
        }
        self.steps = steps
    }

    private static func checkSize(_ size: Int) {
        precondition(size.nonzeroBitCount == 1 && size >= minimumSize && size <= maximumSize,
                     "a table size is a power of two from 2^17 to 2^22 (got \(size))")
    }

    /// The jump entries, 3^0 ... 3^16, and the largest n a jump may start from.
    private static func makeJumps() -> ([UInt32], [UInt64], UInt64) {
        let bits = jumpBits
        var powers: [UInt64] = [1]
        for _ in 0..<bits { powers.append(powers[powers.count - 1] * 3) }
        let jumps = (0..<UInt64(1 << bits)).map { b in
            var x = b, odd: UInt64 = 0
            for _ in 0..<bits {
                if x & 1 == 1 { x = (3 * x + 1) / 2; odd += 1 } else { x /= 2 }
            }
            return UInt32(odd << 26 | x)  // x < 3^16 < 2^26
        }
        return (jumps, powers, (UInt64.max - 1) / powers[bits] - 1)
    }

    /// The entries below 2^17: one Collatz step at a time until the trajectory falls below its start.
    private static func fillFirstEntries(_ table: UnsafeMutablePointer<UInt16>) {
        table[0] = 0
        table[1] = 0
        for n in 2..<minimumSize {
            if n & 1 == 0 { table[n] = table[n / 2] + 1; continue }
            var x = n, count: UInt16 = 0
            while x >= n { x = x & 1 == 0 ? x / 2 : 3 * x + 1; count += 1 }
            table[n] = count + table[x]
        }
    }

    /// Writes the entries of `piece` (part of a stage [2^s, 2^(s+1)), 2^s ≥ 2^17) to `entries`
    /// (entries[0] is piece's first), from `known`, which holds the entries below 2^s.
    private static func fill(_ entries: UnsafeMutablePointer<UInt16>, with piece: Range<Int>,
                             from known: UnsafePointer<UInt16>, jumps: UnsafeBufferPointer<UInt32>,
                             powers: UnsafeBufferPointer<UInt64>) {
        let below = UInt64(1) << (Int.bitWidth - 1 - piece.lowerBound.leadingZeroBitCount)  // 2^s
        for n in piece {
            if n & 1 == 0 {
                entries[n &- piece.lowerBound] = known[n / 2] &+ 1
                continue
            }
            // n ≥ 2^17 and n < 2^22: every jump is exact, nothing overflows.
            var x = UInt64(n), count = 0
            while x >= below {
                let entry = jumps[Int(truncatingIfNeeded: x & 0xFFFF)]
                x = (x >> 16) &* powers[Int(entry >> 26)] &+ UInt64(entry & 0x3FF_FFFF)
                count &+= 16 &+ Int(entry >> 26)
            }
            entries[n &- piece.lowerBound] = UInt16(truncatingIfNeeded: count) &+ known[Int(x)]
        }
    }

    /// One stage's entries, through `split`, from the entries below it (`known`).
    private static func stage(_ stage: Range<Int>, steps known: [UInt16], jumps: [UInt32], powersOfThree: [UInt64],
                              split: (Range<Int>, @Sendable (Range<Int>) -> [UInt16]) throws -> [[UInt16]])
        rethrows -> [[UInt16]] {
        try split(stage) { piece in
            precondition(stage.lowerBound <= piece.lowerBound && piece.upperBound <= stage.upperBound,
                         "a piece of the stage \(stage), not \(piece)")
            return known.withUnsafeBufferPointer { known in
                jumps.withUnsafeBufferPointer { jumps in
                    powersOfThree.withUnsafeBufferPointer { powers in
                        [UInt16](unsafeUninitializedCapacity: piece.count) { entries, initialized in
                            if !piece.isEmpty {
                                fill(entries.baseAddress!, with: piece, from: known.baseAddress!, jumps: jumps,
                                     powers: powers)
                            }
                            initialized = piece.count
                        }
                    }
                }
            }
        }
    }
}

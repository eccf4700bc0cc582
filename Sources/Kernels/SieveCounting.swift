/// What the segmented sieve's finished segments are used for: counting primes (population count of
/// 64-bit words) and enumerating them in order (trailing-zero count). The sieving is in Sieve.swift.

extension SegmentedSieve {
    /// The number of primes in the range.
    public func count() -> Int {
        var total = 0
        for p in [2, 3, 5] where range.contains(p) { total += 1 }
        sieve { _, words, wordCount in
            var sum = 0
            for w in 0..<wordCount { sum &+= words[w].nonzeroBitCount }
            total &+= sum
        }
        return total
    }

    /// Calls `body` with every prime of the range, in ascending order.
    public func forEachPrime(_ body: (Int) throws -> Void) rethrows {
        for p in [2, 3, 5] where range.contains(p) { try body(p) }
        try sieve { firstByte, words, wordCount in
            for w in 0..<wordCount {
                var word = words[w]
                let base = (firstByte &+ w &* 8) &* 30
                while word != 0 {
                    let bit = word.trailingZeroBitCount
                    try body(base &+ (bit &>> 3) &* 30 &+ Int(wheelOffsets[bit & 7]))
                    word &= word &- 1
                }
            }
        }
    }

    /// The primes of the range, ascending.
    public func primes() -> [Int] {
        var result: [Int] = []
        forEachPrime { result.append($0) }
        return result
    }
}

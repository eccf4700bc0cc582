/// The pre-sieve: the multiples of the primes 7 … 97, removed by ANDing precomputed periodic patterns.

// MARK: - Pre-sieve

/// The pre-sieve: for each group of primes, the sieve bytes of one period (the product of the group's
/// primes: byte b and byte b + period hold the same bits) with the multiples of the group's primes
/// cleared. A chunk starting at global byte b is the AND of the 8 patterns, each read from b mod period.
final class PreSieve: @unchecked Sendable {  // immutable after init
    static let shared = PreSieve()
    /// 8 groups of about 32 KiB (and two of 7 KiB), covering the primes 7 … 97 (primesieve's grouping).
    static let groups: [[Int]] = [[7, 67, 71], [11, 41, 73], [13, 43, 59], [17, 37, 53],
                                  [19, 29, 61], [23, 31, 47], [79, 97], [83, 89]]
    let periods: [Int]
    let patterns: [UnsafeMutablePointer<UInt8>]
    /// Chunks that start below this byte hold pre-sieved primes to restore (and 1 to clear).
    let restoreBytes = preSieveLargestPrime / 30 + 1

    private init() {
        var periods: [Int] = [], patterns: [UnsafeMutablePointer<UInt8>] = []
        for group in Self.groups {
            let period = group.reduce(1, *)
            let pattern = UnsafeMutablePointer<UInt8>.allocate(capacity: period)
            pattern.initialize(repeating: 0xFF, count: period)
            for p in group {
                // 30·b + w ≡ 0 (mod p) ⇔ b ≡ −w · 30⁻¹ (mod p); then every p-th byte.
                let inverse = (1..<p).first { 30 * $0 % p == 1 }!
                for (j, w) in wheelOffsets.enumerated() {
                    var b = (p - Int(w) % p) * inverse % p
                    while b < period {
                        pattern[b] &= ~(1 << j)
                        b += p
                    }
                }
            }
            periods.append(period)
            patterns.append(pattern)
        }
        self.periods = periods
        self.patterns = patterns
    }

    /// Fills s[0..<count], the global bytes from firstByte, with the AND of the 8 patterns (two passes of 4).
    @inline(__always)
    func apply(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, firstByte: Int) {
        pass(s, count, firstByte, 0, assign: true)
        pass(s, count, firstByte, 4, assign: false)
    }

    @inline(__always)
    private func pass(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, _ firstByte: Int, _ g: Int, assign: Bool) {
        let p0 = patterns[g], p1 = patterns[g + 1], p2 = patterns[g + 2], p3 = patterns[g + 3]
        let n0 = periods[g], n1 = periods[g + 1], n2 = periods[g + 2], n3 = periods[g + 3]
        var o0 = firstByte % n0, o1 = firstByte % n1, o2 = firstByte % n2, o3 = firstByte % n3
        var done = 0
        while done < count {
            let run = Swift.min(count - done, n0 - o0, n1 - o1, n2 - o2, n3 - o3)
            let d = s + done, a = p0 + o0, b = p1 + o1, c = p2 + o2, e = p3 + o3
            if assign {
                for t in 0..<run { d[t] = a[t] & b[t] & c[t] & e[t] }
            } else {
                for t in 0..<run { d[t] &= a[t] & b[t] & c[t] & e[t] }
            }
            done += run
            o0 += run; if o0 == n0 { o0 = 0 }
            o1 += run; if o1 == n1 { o1 = 0 }
            o2 += run; if o2 == n2 { o2 = 0 }
            o3 += run; if o3 == n3 { o3 = 0 }
        }
    }

    /// Sets the bits of the pre-sieved primes themselves (the patterns cleared them as multiples of
    /// themselves) and clears 1, in a chunk that starts at global byte firstByte < restoreBytes.
    func restore(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, firstByte: Int) {
        for group in Self.groups {
            for p in group {
                let b = p / 30 - firstByte
                if b >= 0 && b < count { s[b] |= 1 << wheelIndexOfResidue[p % 30] }
            }
        }
        if firstByte == 0 { s[0] &= 0xFE }
    }
}

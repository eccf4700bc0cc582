import Kernels
import SPMDCore
import TestFixtures
import Testing

/// primes' kernel: both methods find the same primes in any piece; the published table and the
/// upper bound on π(x).
@Suite struct PrimeMethodTests {
    /// Every piece of a block and a cyclic split of [0, 3000) gives trial division's primes, by both
    /// methods (the sieve only takes contiguous pieces).
    @Test(arguments: PrimeMethod.allCases)
    func bothMethodsFindTheSamePrimes(method: PrimeMethod) {
        let limit = 2_999, search = PrimeSearch(method, limit: limit)
        #expect(search.basePrimes == (method == .sieve ? [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53] : []))
        let expected = (0...limit).filter(isPrimeByTrialDivision)
        #expect(expected.count == 430)  // π(2999) = 430 (2999 is prime)
        var pieces = BlockPartition(0..<limit + 1, parts: 7).map { Piece($0) }
        if method == .trial { pieces += CyclicPartition(0..<limit + 1, parts: 7).map { $0 } }
        var found: [Int] = [], counted = 0
        for piece in pieces {
            var primes: [Int] = []
            search.forEachPrime(piece) { primes.append($0) }
            #expect(primes == piece.filter(isPrimeByTrialDivision), "\(piece)")
            #expect(search.count(piece) == primes.count, "\(piece)")
            found += primes
            counted += search.count(piece)
        }
        #expect(found.sorted() == (expected + (method == .trial ? expected : [])).sorted())
        #expect(counted == expected.count * (method == .trial ? 2 : 1))
    }

    /// The program's table is OEIS A006880's, as the tests keep it.
    @Test func publishedTableIsOEISA006880() {
        var n = 1
        for count in Published.piOfPowersOfTen {
            n *= 10
            #expect(PrimeCounts.published[n] == count, "π(10^\(String(n).count - 1))")
        }
        #expect(PrimeCounts.published.count == Published.piOfPowersOfTen.count)
    }

    /// The bound holds above the real count (and is at most the numbers in the range) for blocks
    /// anywhere up to 10^7, and for [2, 10^k].
    @Test func upperBoundHolds() {
        let primes = basePrimes(upTo: 10_000_000)
        func count(_ range: Range<Int>) -> Int {
            primes.count { range.contains($0) }
        }
        for range in [0..<1, 2..<3, 2..<18, 0..<100, 17..<20, 1_000..<1_100, 9_999_000..<10_000_001, 2..<10_000_001]
            + BlockPartition(2..<10_000_001, parts: 13).map({ $0 }) {
            let bound = PrimeCounts.upperBound(in: range)
            #expect(bound >= Double(count(range)) && bound <= Double(range.count), "\(range): \(bound)")
        }
        for (k, published) in Published.piOfPowersOfTen.enumerated() {
            var n = 1
            for _ in 0...k { n *= 10 }
            #expect(PrimeCounts.upperBound(in: 2..<n + 1) >= Double(published), "10^\(k + 1)")
        }
    }
}

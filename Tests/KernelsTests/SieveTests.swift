import Kernels
import SPMDCore
import TestFixtures
import Testing

@Suite struct SieveTests {
    /// The primes ≤ 10^6, shared by the tests that need base primes up to √(10^12).
    static let primesToAMillion = basePrimes(upTo: 1_000_000)

    /// Numbers in `range` that trial division calls prime.
    static func trialDivisionPrimes(_ range: Range<Int>) -> [Int] {
        range.filter(isPrimeByTrialDivision)
    }

    // MARK: Published counts

    @Test(arguments: 1...9)
    func piOfPowerOfTen(k: Int) {
        var n = 1
        for _ in 0..<k { n *= 10 }
        // [0, 10^k] (10^k itself is not prime); 10^9 as 4 blocks, to show that blocks add up.
        let blocks = BlockPartition(0..<n + 1, parts: k == 9 ? 4 : 1)
        let total = blocks.reduce(0) { $0 + SegmentedSieve(range: $1).count() }
        #expect(total == Published.piOfPowersOfTen[k - 1], "π(10^\(k))")
    }

    /// π(2^n) (OEIS A007053) and small values anyone can check.
    @Test func otherPublishedCounts() {
        let known: [(Int, Int)] = [(0, 0), (1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (30, 10), (31, 11),
                                   (1 << 16, 6_542), (1 << 20, 82_025), (1 << 24, 1_077_871), (1 << 30, 54_400_028)]
        for (x, pi) in known {
            #expect(SegmentedSieve(range: 0..<x + 1).count() == pi, "π(\(x))")
        }
    }

    /// π(2^32) = 203,280,221 (A007053), as 8 blocks.
    @Test func piOfTwoToThe32() {
        let n = 1 << 32
        let base = basePrimes(upTo: integerSquareRoot(n))
        let total = BlockPartition(0..<n + 1, parts: 8).reduce(0) {
            $0 + SegmentedSieve(range: $1, basePrimes: base).count()
        }
        #expect(total == 203_280_221)
    }

    // MARK: Against trial division

    @Test func basePrimesMatchTrialDivision() {
        #expect(basePrimes(upTo: -3) == [])
        #expect(basePrimes(upTo: 1) == [])
        #expect(basePrimes(upTo: 2) == [2])
        #expect(basePrimes(upTo: 3) == [2, 3])
        #expect(basePrimes(upTo: 100_000) == Self.trialDivisionPrimes(0..<100_001))
        #expect(Self.primesToAMillion.count == 78_498)
    }

    @Test func trialDivisionKernel() {
        #expect(!isPrimeByTrialDivision(Int.min) && !isPrimeByTrialDivision(-7))
        #expect(!isPrimeByTrialDivision(0) && !isPrimeByTrialDivision(1))
        #expect(isPrimeByTrialDivision(2) && isPrimeByTrialDivision(3) && !isPrimeByTrialDivision(4))
        #expect(!isPrimeByTrialDivision(25) && !isPrimeByTrialDivision(49) && isPrimeByTrialDivision(97))
        #expect(!isPrimeByTrialDivision(999_983 * 999_983))  // a prime square near 10^12
        #expect(isPrimeByTrialDivision(1_000_000_000_039))   // the first prime after 10^12
        #expect(!isPrimeByTrialDivision(4_294_967_297))      // 2^32 + 1 = 641 · 6700417
    }

    @Test func integerSquareRootIsExact() {
        for n in 0..<10_000 {
            let r = integerSquareRoot(n)
            #expect(r * r <= n && (r + 1) * (r + 1) > n)
        }
        let root = 3_037_000_499  // ⌊√Int.max⌋
        for n in [root * root - 1, root * root, root * root + 1, Int.max - 1, Int.max,
                  (1 << 62) - 1, 1 << 62, 999_999_999_999, 1_000_000_000_000] {
            let r = integerSquareRoot(n)
            #expect(r <= n / r && (r + 1 > n / (r + 1)), "isqrt(\(n)) = \(r)")
        }
        #expect(integerSquareRoot(Int.max) == root)
        #expect(integerSquareRoot(99_999_999_999_999_999) == 316_227_766)  // a double rounds this up to 10^17
    }

    /// Every range of small numbers, at every start and length, enumerates exactly the trial-division primes.
    @Test func smallRangesMatchTrialDivision() {
        for low in -3..<130 {
            for length in [0, 1, 2, 3, 7, 29, 30, 31, 61, 200] {
                let range = low..<low + length
                let sieve = SegmentedSieve(range: range)
                let expected = Self.trialDivisionPrimes(range)
                #expect(sieve.primes() == expected, "\(range)")
                #expect(sieve.count() == expected.count, "\(range)")
            }
        }
    }

    /// Whole ranges over several segments, with the smallest segment (32 KiB = 983,040 numbers).
    @Test(arguments: [32 * 1024, 256 * 1024])
    func enumerationMatchesTrialDivision(segmentBytes: Int) {
        let range = 0..<2_000_000
        let primes = SegmentedSieve(range: range, segmentBytes: segmentBytes).primes()
        #expect(primes == Self.trialDivisionPrimes(range))
    }

    /// The primes of `range` by a plain sieve of Eratosthenes on that window alone (one Bool per number,
    /// every multiple of every prime of `base` from max(p², low)): an oracle independent of the wheel.
    static func plainWindowSieve(_ range: Range<Int>, base: [Int]) -> [Int] {
        var composite = [Bool](repeating: false, count: range.count)
        for p in base {
            if p > range.upperBound / p { break }
            var m = Swift.max(p * p, (range.lowerBound + p - 1) / p * p)
            while m < range.upperBound {
                composite[m - range.lowerBound] = true
                m += p
            }
        }
        return range.filter { $0 >= 2 && !composite[$0 - range.lowerBound] }
    }

    /// A window above 10^12 against the lesson's kernel (70 primes, up to 10^6 divisions each), and a longer
    /// one (3,614 primes; primesieve 11 agrees) against a plain window sieve, with both segment sizes.
    @Test func windowAboveTenToTheTwelve() {
        let t = 1_000_000_000_000
        let short = t..<t + 2_000
        let shortPrimes = SegmentedSieve(range: short, basePrimes: Self.primesToAMillion).primes()
        #expect(shortPrimes == Self.trialDivisionPrimes(short))
        #expect(shortPrimes.count == 70 && shortPrimes.first == 1_000_000_000_039)

        let long = t..<t + 100_000
        let expected = Self.plainWindowSieve(long, base: Self.primesToAMillion)
        #expect(expected.count == 3_614)
        for segmentBytes in [32 * 1024, 256 * 1024] {
            let primes = SegmentedSieve(range: long, basePrimes: Self.primesToAMillion, segmentBytes: segmentBytes).primes()
            #expect(primes == expected, "segment \(segmentBytes) B")
        }
    }

    /// Near the documented bound's scale: a window above 2^50 (base primes up to 2^25) against a plain
    /// window sieve; primesieve 11 counts 70 primes in [2^50, 2^50 + 2000).
    @Test func windowAboveTwoToThe50() {
        let t = 1 << 50
        let window = t..<t + 2_000
        let base = basePrimes(upTo: integerSquareRoot(window.upperBound - 1))
        let primes = SegmentedSieve(range: window, basePrimes: base).primes()
        #expect(primes.count == 70)
        #expect(primes == Self.plainWindowSieve(window, base: base))
    }

    /// The arithmetic near the upper bound 2^62. Base primes up to 2^31 are too many for a test, so the
    /// sieve gets a chosen list instead: the primes up to 1,000 and the 5 largest primes below 2^31 (large
    /// primes with q > 2^26, kept in buckets). In a window around a multiple of each of those, the sieve
    /// must keep exactly what a plain window sieve with the same list keeps.
    @Test func arithmeticNearTheUpperBound() {
        let top = SegmentedSieve.maximumUpperBound
        var big: [Int] = []
        var k = (1 << 31) - 1
        while big.count < 5 {
            if isPrimeByTrialDivision(k) { big.append(k) }
            k -= 2
        }
        #expect(big.first == 2_147_483_647)
        let base = basePrimes(upTo: 1_000) + big.reversed()
        for p in big {
            let multiple = (top - 100_000) / p * p
            let window = multiple - 100_000 ..< Swift.min(multiple + 100_000, top)
            let expected = Self.plainWindowSieve(window, base: base)
            #expect(!expected.contains(multiple) && expected.count > 10_000)
            for segmentBytes in [32 * 1024, 256 * 1024] {
                let kept = SegmentedSieve(range: window, basePrimes: base, segmentBytes: segmentBytes).primes()
                #expect(kept == expected, "p = \(p), segment \(segmentBytes) B")
            }
        }
    }

    /// Large primes stepping from multiple to multiple near 2^62 (q > 2^26): a range of 2^32 + 10^6 numbers
    /// just below 2^62, and 5 primes below 2^31 whose first two multiples in it are p·a and p·(a + 2) (a ≡ 11,
    /// 17 or 29 mod 30), where a + 2 has no factor ≤ 97. The second multiple comes from the bucket step
    /// q·Δw. The list holds only those and the pre-sieved primes (≤ 97). The whole range must count what 4
    /// blocks shorter than 2p count (each block finds its one multiple from scratch): a wrong step would
    /// leave p·(a + 2) in the whole range.
    @Test func largePrimeStepsNearTheUpperBound() {
        let top = SegmentedSieve.maximumUpperBound
        let range = top - (1 << 32) - 1_000_000 ..< top
        let small = basePrimes(upTo: 97)
        var big: [Int] = []
        var k = (1 << 31) - 1
        while big.count < 5 {
            let a = (range.lowerBound + k - 1) / k  // the first cofactor in the range
            if [11, 17, 29].contains(a % 30), (a + 2) * k < top, !small.contains(where: { (a + 2) % $0 == 0 }),
               isPrimeByTrialDivision(k) {
                big.append(k)
            }
            k -= 2
        }
        let base = small + big.reversed()
        let whole = SegmentedSieve(range: range, basePrimes: base).count()
        let blocks = BlockPartition(range, parts: 4).reduce(0) {
            $0 + SegmentedSieve(range: $1, basePrimes: base).count()
        }
        #expect(whole == blocks)
    }

    // MARK: Blocks and order

    /// Any split into consecutive blocks (random boundaries from a fixed seed, boundaries on prime squares, inside wheel
    /// bytes, blocks shorter than a segment, empty blocks) counts and enumerates the same as the whole.
    @Test func blocksAddUp() {
        let n = 3_000_000
        let base = basePrimes(upTo: integerSquareRoot(n))
        let whole = SegmentedSieve(range: 0..<n, basePrimes: base).primes()
        let seed: UInt64 = 0x5EED_0003
        var generator = SplitMix(seed: seed)
        var splits: [[Int]] = [
            [0, 121, 122, 10_201, 10_609, 1_000_000, n],            // prime squares (11², 101², 103²)
            [0, 1, 2, 3, 5, 7, 30, 31, 59, 60, 61, 983_040, 983_041, n],  // wheel bytes, a 32 KiB segment
            [0, 0, 500_000, 500_000, n],                            // empty blocks
        ]
        for _ in 0..<5 {
            let cuts = (0..<Int.random(in: 1...20, using: &generator)).map { _ in Int.random(in: 0...n, using: &generator) }
            splits.append(([0, n] + cuts).sorted())
        }
        for cuts in splits {
            var count = 0
            var concatenated: [Int] = []
            for (a, b) in zip(cuts, cuts.dropFirst()) {
                let sieve = SegmentedSieve(range: a..<b, basePrimes: base, segmentBytes: 32 * 1024)
                count += sieve.count()
                concatenated += sieve.primes()
            }
            #expect(count == whole.count, "\(cuts) (random cuts from seed \(seed))")
            #expect(concatenated == whole, "\(cuts) (random cuts from seed \(seed))")
        }
        // BlockPartition, as the programs split ranks and threads.
        for parts in [2, 3, 7, 64] {
            let total = BlockPartition(0..<n, parts: parts).reduce(0) {
                $0 + SegmentedSieve(range: $1, basePrimes: base).count()
            }
            #expect(total == whole.count)
        }
    }

    /// Medium sieving primes longer than a segment (32 KiB < p ≤ 64 KiB with 32 KiB segments: a wheel turn
    /// spans more than a segment, some segments hold no turn start, and a last turn runs past the next
    /// segment), including primes whose first multiple p² lies many segments ahead: [10^9, 1.2·10^9).
    /// primesieve 11: 9,607,171.
    @Test func mediumSievingPrimesLongerThanASegment() {
        let range = 1_000_000_000..<1_200_000_000
        let base = basePrimes(upTo: integerSquareRoot(range.upperBound))
        let small = SegmentedSieve(range: range, basePrimes: base, segmentBytes: 32 * 1024).count()
        let large = SegmentedSieve(range: range, basePrimes: base, segmentBytes: 1 << 20).count()
        #expect(small == 9_607_171)
        #expect(large == 9_607_171)
    }

    /// Large sieving primes (beyond twice the segment, kept in buckets: 65,536 < p ≤ 100,995 with 32 KiB
    /// segments), including primes whose first multiple p² lies many segments ahead: [10^10, 1.02·10^10).
    /// primesieve 11: 8,681,115.
    @Test func largeSievingPrimesInBuckets() {
        let range = 10_000_000_000..<10_200_000_000
        let base = basePrimes(upTo: integerSquareRoot(range.upperBound))
        #expect(base.last! > 2 * 32 * 1024 && base.last! * base.last! >= range.lowerBound)
        let small = SegmentedSieve(range: range, basePrimes: base, segmentBytes: 32 * 1024).count()
        let large = SegmentedSieve(range: range, basePrimes: base, segmentBytes: 1 << 20).count()
        #expect(small == 8_681_115)
        #expect(large == 8_681_115)
    }

    /// Small and medium primes always cross off whole turns, so a prime's last turn in a chunk or segment runs
    /// on into the next one, which is pre-sieved before any prime crosses off into it (the next segment waits
    /// behind the current one and then moves to the front); the range's last segment ends anywhere. Ranges
    /// whose last segment is a chunk and `smallPrimeLimit` bytes long, one byte short of that and one byte
    /// over, from a low bound inside a wheel byte: every segment size gives the same primes as 32 KiB
    /// segments, and those match trial division at both ends of each range.
    @Test(arguments: [-1, 0, 1])
    func wholeTurnsIntoTheNextChunk(slack: Int) {
        let low = 100_000_007, tail = 32 * 1024 + 16 * 1024 + slack  // bytes in the last segment; 16 KiB: smallPrimeLimit
        let range = low..<(30 * (low / 30 + 2 * 64 * 1024 + tail) - 3)
        let base = basePrimes(upTo: integerSquareRoot(range.upperBound))
        let exact = SegmentedSieve(range: range, basePrimes: base, segmentBytes: 32 * 1024).primes()
        #expect(exact.count > 200_000)
        #expect(Array(exact.prefix(20)) == Self.trialDivisionPrimes(low..<exact[19] + 1))
        #expect(Array(exact.suffix(20)) == Self.trialDivisionPrimes(exact[exact.count - 20]..<range.upperBound))
        for segmentBytes in [64 * 1024, 128 * 1024, 256 * 1024] {
            let primes = SegmentedSieve(range: range, basePrimes: base, segmentBytes: segmentBytes).primes()
            #expect(primes.elementsEqual(exact), "segment \(segmentBytes) B, slack \(slack)")
        }
    }

    @Test func enumerationIsAscendingAndMatchesCount() {
        let sieve = SegmentedSieve(range: 999_000..<3_100_000, segmentBytes: 32 * 1024)
        var previous = Int.min
        var count = 0
        var ascending = true
        sieve.forEachPrime { p in
            if p <= previous { ascending = false }
            previous = p
            count += 1
        }
        #expect(ascending)
        #expect(count == sieve.count())
    }

    @Test func emptyAndTinyRanges() {
        #expect(SegmentedSieve(range: 0..<0).count() == 0)
        #expect(SegmentedSieve(range: -100 ..< -1).count() == 0)
        #expect(SegmentedSieve(range: Int.min ..< 3).primes() == [2])
        #expect(SegmentedSieve(range: 5..<8).primes() == [5, 7])
        #expect(SegmentedSieve(range: 10_201..<10_202).count() == 0)  // 101², a prime square as a whole block
        #expect(SegmentedSieve(range: 1_000_000_000_039..<1_000_000_000_040).primes() == [1_000_000_000_039])
        let top = SegmentedSieve.maximumUpperBound
        #expect(SegmentedSieve(range: top..<top).count() == 0)
    }

    @Test func segmentSizeIsAPowerOfTwo() {
        #expect(SegmentedSieve(range: 0..<10).segmentBytes == SegmentedSieve.defaultSegmentBytes)
        #expect(SegmentedSieve(range: 0..<10, segmentBytes: 1).segmentBytes == 32 * 1024)
        #expect(SegmentedSieve(range: 0..<10, segmentBytes: 100_000).segmentBytes == 128 * 1024)
    }
}

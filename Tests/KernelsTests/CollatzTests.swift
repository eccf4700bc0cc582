import Kernels
import Testing

@Suite struct CollatzTests {
    /// Step by step, one halving or tripling at a time: the definition, written out independently.
    static func plainSteps(_ start: Int) -> Int {
        var n = start, steps = 0
        while n != 1 {
            n = n % 2 == 0 ? n / 2 : 3 * n + 1
            steps += 1
        }
        return steps
    }

    /// OEIS A006577, its first terms, and well-known values.
    @Test func knownStepCounts() {
        let first: [Int] = [0, 1, 7, 2, 5, 8, 16, 3, 19, 6, 14, 9, 9, 17, 17, 4, 12, 20, 20, 7, 7, 15, 15, 10, 23,
                            10, 111, 18, 18, 18, 106, 5, 26, 13, 13, 21, 21, 21, 34, 8, 109, 8, 29, 16, 16, 16, 104,
                            11, 24, 24]
        #expect((1...50).map { collatzSteps(UInt64($0))! } == first)
        #expect(collatzSteps(27) == 111)
        #expect(collatzSteps(871) == 178)             // the record below 1,000
        #expect(collatzSteps(837_799) == 524)         // the record below 10^6 (Project Euler 14)
        #expect(collatzSteps(8_400_511) == 685)       // the record below 10^7
    }

    @Test func agreesWithTheDefinition() {
        for start in 1...20_000 { #expect(collatzSteps(UInt64(start)) == Self.plainSteps(start), "\(start)") }
    }

    @Test func overflowIsReportedNotWrapped() {
        #expect(collatzSteps(6_148_914_691_236_517_205) == nil)   // odd, 3n + 1 = 2^64
        var summary = CollatzSummary()
        #expect(throws: CollatzOverflow.self) {
            try collatzSummary(6_148_914_691_236_517_200..<6_148_914_691_236_517_210, into: &summary)
        }
    }

    @Test func summaryIsTheSameForEverySplit() throws {
        var whole = CollatzSummary()
        try collatzSummary(1..<100_001, into: &whole)
        #expect(whole.maxSteps == 350 && whole.argmax == 77_031)   // the record below 10^5
        #expect(whole.totalSteps == (1...100_000).reduce(0) { $0 + Self.plainSteps($1) })
        for parts in [2, 3, 7] {
            var merged = CollatzSummary()
            for piece in BlockPartition(1..<100_001, parts: parts).reversed() {
                var part = CollatzSummary()
                try collatzSummary(piece, into: &part)
                merged.merge(part)
            }
            #expect(merged == whole)
        }
    }
}

import Kernels
import SPMDCore
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

    // MARK: The fast kernel: odd parts, the table, the jumps

    /// The smallest table: jumps start at 2^17, so most ranges below take many of them.
    static let smallTable = CollatzTable(size: CollatzTable.minimumSize)

    /// The reference summary of from...limit (the lesson's algorithm, start by start).
    static func reference(_ from: Int, _ limit: Int) throws(CollatzOverflow) -> CollatzSummary {
        var summary = CollatzSummary()
        try collatzSummary(from..<limit + 1, into: &summary)
        return summary
    }

    /// The fast summary of from...limit, its odd parts split into `parts` blocks (or `parts` cyclic
    /// pieces, every parts-th odd part) merged in reverse.
    static func fast(_ from: Int, _ limit: Int, table: CollatzTable = smallTable, parts: Int = 1,
                     cyclic: Bool = false) throws(CollatzOverflow) -> CollatzSummary {
        let starts = CollatzOddParts(from: from, through: limit)
        var merged = CollatzSummary()
        let pieces = cyclic ? Array(CyclicPartition(0..<starts.count, parts: parts))
                            : BlockPartition(0..<starts.count, parts: parts).map { Piece($0) }
        for piece in pieces.reversed() {
            var summary = CollatzSummary()
            try collatzSummary(piece, of: starts, table: table, into: &summary)
            merged.merge(summary)
        }
        return merged
    }

    /// Each start of from...limit is 2^j · m for exactly one listed odd part m, whose run's halvings
    /// are the smallest such j; nothing outside the range is listed.
    @Test(arguments: [(1, 1), (1, 2), (2, 2), (3, 3), (4, 4), (1, 100), (7, 8), (50, 100), (51, 101), (64, 64),
                      (65, 200), (1000, 1000), (999, 5000), (1 << 20, (1 << 20) + 3), ((1 << 40) - 5, (1 << 40) + 5),
                      ((1 << 62) - 3, (1 << 62) + 100), (Int.max - 100, Int.max - 1)])
    func oddPartsCoverEachStartOnce(from: Int, limit: Int) {
        let starts = CollatzOddParts(from: from, through: limit)
        var seen: [Int: Int] = [:]  // start -> times seen
        var listed = 0
        starts.forEachRun(in: 0..<starts.count) { first, count, halvings in
            for m in stride(from: first, to: first + 2 * count, by: 2) {
                listed += 1
                #expect(m & 1 == 1 && m << halvings >= from && m << halvings <= limit, "\(m) · 2^\(halvings)")
                #expect(halvings == 0 || m << (halvings - 1) < from, "\(m): \(halvings) halvings is not the least")
                var k = m << halvings
                while k <= limit {
                    seen[k, default: 0] += 1
                    if k > limit / 2 { break }
                    k <<= 1
                }
            }
            return true
        }
        #expect(listed == starts.count)
        #expect(seen.count == limit - from + 1 && seen.values.allSatisfy { $0 == 1 }, "\(from)...\(limit)")
        #expect(seen.keys.min() == from && seen.keys.max() == limit)
    }

    /// A cyclic piece's runs list the odd parts at its indices, in order: every step-th odd part of
    /// the contiguous listing, with its halvings, across the ends of the runs.
    @Test(arguments: [(1, 100), (7, 8), (51, 101), (65, 200), (999, 5000), ((1 << 40) - 5, (1 << 40) + 5)])
    func cyclicPiecesListTheOddPartsAtTheirIndices(from: Int, limit: Int) {
        let starts = CollatzOddParts(from: from, through: limit)
        var listing: [(m: Int, halvings: Int)] = []
        starts.forEachRun(in: 0..<starts.count) { first, count, halvings in
            for m in stride(from: first, to: first + 2 * count, by: 2) { listing.append((m, halvings)) }
            return true
        }
        for parts in [1, 2, 3, 5, 8, 40] {
            for piece in CyclicPartition(0..<starts.count, parts: parts) {
                var listed: [(m: Int, halvings: Int)] = []
                starts.forEachRun(in: piece) { first, count, halvings in
                    for i in 0..<count { listed.append((first + 2 * piece.step * i, halvings)) }
                    return true
                }
                let expected = piece.map { listing[$0] }
                #expect(listed.map(\.m) == expected.map(\.m) && listed.map(\.halvings) == expected.map(\.halvings),
                        "\(from)...\(limit), piece from \(piece.start) step \(piece.step)")
            }
        }
    }

    /// Every entry of the smallest table, and every 89th of the largest, against the lesson's algorithm;
    /// a table built in pieces (as threads build it) is the same table.
    @Test func tableHoldsTheStepCounts() {
        let small = Self.smallTable
        for n in 1..<small.size { #expect(small.steps(of: n) == collatzSteps(UInt64(n))!, "\(n)") }
        let large = CollatzTable(size: CollatzTable.maximumSize) { stage, entries in
            BlockPartition(stage, parts: 3).reversed().map { entries($0) }.reversed()
        }
        for n in stride(from: 1, to: large.size, by: 89) {
            #expect(large.steps(of: n) == collatzSteps(UInt64(n))!, "\(n)")
        }
        #expect(large.steps(of: large.size - 1) == collatzSteps(UInt64(large.size - 1))!)
        #expect(CollatzTable.size(from: 1, through: 1) == 1 << 17 && CollatzTable.size(from: 1, through: 1 << 17) == 1 << 17)
        #expect(CollatzTable.size(from: 1, through: (1 << 17) + 1) == 1 << 18)
        #expect(CollatzTable.size(from: 1, through: 10_000_000) == 1 << 22)
        #expect(CollatzTable.size(from: 1 << 40, through: (1 << 40) + 300_000) == 1 << 19)
        #expect(CollatzTable.maximumBytes == 8 * 1024 * 1024 + 256 * 1024)
    }

    /// The fast kernel's summary is the reference's, whole and split: small and tiny ranges, ranges
    /// across the table's end, high starts near 2^38 ... 2^62 (single steps above 2^38, then jumps).
    /// Where the lesson's algorithm overflows (2^40 − 1 does, and many starts near 2^60), the fast
    /// kernel throws too, naming a start that overflows; start by start it agrees on every start.
    @Test(arguments: [(1, 1), (1, 2), (2, 2), (3, 3), (1, 3), (27, 27), (1, 1000), (100_000, 300_000),
                      ((1 << 17) - 3, (1 << 17) + 3), (1, 400_000), (262_143, 262_143), (77_031, 77_031),
                      (837_799 - 1000, 837_799 + 1000), (1 << 30, (1 << 30) + 20_000), ((1 << 38) - 3000, (1 << 38) + 3000),
                      ((1 << 40) - 2000, (1 << 40) + 2000), ((1 << 40) + 1, (1 << 40) + 3000), (1 << 50, (1 << 50) + 999),
                      ((1 << 56) + 7, (1 << 56) + 700), ((1 << 60) - 500, (1 << 60) + 500), ((1 << 62) + 1, (1 << 62) + 300)])
    func fastKernelMatchesTheReference(from: Int, limit: Int) throws {
        let expected = Result { () throws(CollatzOverflow) in try Self.reference(from, limit) }
        for (parts, cyclic) in [(1, false), (2, false), (7, false), (3, true), (8, true)] {
            switch (expected, Result { () throws(CollatzOverflow) in try Self.fast(from, limit, parts: parts, cyclic: cyclic) }) {
            case let (.success(summary), .success(fast)):
                #expect(fast == summary, "\(from)...\(limit) in \(parts) \(cyclic ? "cyclic" : "block") parts")
            case let (.failure, .failure(overflow)):
                #expect((from...limit).contains(overflow.start) && collatzSteps(UInt64(overflow.start)) == nil)
            case let (expected, fast):
                Issue.record("\(from)...\(limit) in \(parts) \(cyclic ? "cyclic" : "block") parts: \(fast), expected \(expected)")
            }
        }
        guard limit - from < 2_000 else { return }
        for start in from...limit {  // start by start
            let fast = Result { () throws(CollatzOverflow) in try Self.fast(start, start) }
            let steps = collatzSteps(UInt64(start))
            #expect((try? fast.get())?.totalSteps == steps, "\(start)")
            if let steps, case let .success(summary) = fast { #expect(summary.maxSteps == steps && summary.argmax == start) }
        }
        if case let .success(whole) = expected {  // index by index, in reverse
            let starts = CollatzOddParts(from: from, through: limit)
            var merged = CollatzSummary()
            for index in stride(from: starts.count - 1, through: 0, by: -1) {
                try collatzSummary(index..<index + 1, of: starts, table: Self.smallTable, into: &merged)
            }
            #expect(merged == whole, "\(from)...\(limit) index by index")
        }
    }

    /// The sums and record holders (OEIS A006577, A006877) from the fast kernel with the largest
    /// table; the steps of the records from the lesson's algorithm too.
    @Test func knownSumsAndRecords() throws {
        let table = CollatzTable(size: CollatzTable.maximumSize)
        var below = CollatzSummary()
        let starts = CollatzOddParts(from: 1, through: 1_000_000)
        try collatzSummary(0..<starts.count, of: starts, table: table, into: &below)
        #expect(below.maxSteps == 524 && below.argmax == 837_799)          // the record below 10^6
        #expect(below.totalSteps == (1...1_000_000).reduce(0) { $0 + collatzSteps(UInt64($1))! })
        #expect(collatzSteps(63_728_127) == 949)                            // the record below 10^8
        // Past the table: the records at 8,400,511 (685) and 63,728,127 (949) win their windows.
        for (record, steps) in [(8_400_511, 685), (63_728_127, 949)] {
            let window = try Self.fast(record - 30_000, record + 30_000, table: table, parts: 3)
            #expect(window.maxSteps == steps && window.argmax == record)
            #expect(window == (try Self.reference(record - 30_000, record + 30_000)))
        }
    }

    /// An overflow is named with a start whose trajectory does overflow (the lesson's algorithm says
    /// so); unsplit, the first odd one, as the odd parts come first in index order.
    @Test func fastKernelReportsAnOverflowingStart() throws {
        let from = 6_148_914_691_236_517_200, limit = 6_148_914_691_236_517_210  // 2^64 − 1 = 3 · ...205
        let firstOdd = try #require(stride(from: from + 1, through: limit, by: 2).first { collatzSteps(UInt64($0)) == nil })
        for parts in [1, 2, 5] {
            do throws(CollatzOverflow) {
                _ = try Self.fast(from, limit, parts: parts)
                Issue.record("no overflow in \(parts) parts")
            } catch {
                #expect((from...limit).contains(error.start) && collatzSteps(UInt64(error.start)) == nil, "\(error)")
                if parts == 1 { #expect(error.start == firstOdd) }
            }
        }
        #expect(throws: CollatzOverflow(start: 6_148_914_691_236_517_205)) {
            try Self.fast(6_148_914_691_236_517_205, 6_148_914_691_236_517_205)
        }
    }
}

import SPMDCore
import Testing

@Suite struct PartitionTests {
    /// Every index of the range lies in exactly one piece, for every count and part number up to 64.
    @Test(arguments: 1...64)
    func blockCoversEveryIndexOnce(parts: Int) {
        for count in 0...64 {
            for lower in [0, -7, 1_000] {
                let partition = BlockPartition(lower..<lower + count, parts: parts)
                #expect(partition.count == parts)
                let flattened = partition.flatMap { $0 }
                #expect(flattened == Array(lower..<lower + count), "count \(count), parts \(parts)")
                let sizes = partition.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
                #expect(sizes == sizes.sorted(by: >), "the longer pieces come first")
                for (part, piece) in partition.enumerated() {
                    for index in piece { #expect(partition.part(holding: index) == part) }
                }
            }
        }
    }

    @Test(arguments: 1...64)
    func cyclicCoversEveryIndexOnce(parts: Int) {
        for count in 0...64 {
            let partition = CyclicPartition(5..<5 + count, parts: parts)
            let flattened = partition.flatMap { $0 }.sorted()
            #expect(flattened == Array(5..<5 + count), "count \(count), parts \(parts)")
            for (part, piece) in partition.enumerated() {
                #expect(piece.allSatisfy { ($0 - 5) % parts == part })
                #expect(Array(piece) == Array(piece).sorted())
            }
        }
    }

    @Test func fewerItemsThanParts() {
        let block = BlockPartition(0..<3, parts: 5)
        #expect(block.map(\.count) == [1, 1, 1, 0, 0])
        #expect(block[4] == 3..<3)
        let cyclic = CyclicPartition(0..<3, parts: 5)
        #expect(cyclic.map { Array($0) } == [[0], [1], [2], [], []])
    }

    @Test func zeroItems() {
        #expect(BlockPartition(0..<0, parts: 4).allSatisfy { $0.isEmpty })
        #expect(CyclicPartition(0..<0, parts: 4).allSatisfy { $0.isEmpty })
    }

    /// Counts near Int.max: pieces are adjacent, balanced and end exactly at the upper bound, without overflow.
    @Test(arguments: [0..<Int.max, 1..<Int.max, Int.max - 10..<Int.max, Int.min..<(Int.min + Int.max)])
    func countsNearIntMax(range: Range<Int>) {
        for parts in [1, 2, 3, 4, 7, 64, 1_000_003, Int.max] {
            let partition = BlockPartition(range, parts: parts)
            let probes = Set([0, 1, 2, parts / 2, parts - 2, parts - 1].filter { $0 >= 0 && $0 < parts })
            for part in probes {
                let piece = partition[part]
                #expect(piece.count == range.count / parts || piece.count == range.count / parts + 1)
                if part > 0 { #expect(partition[part - 1].upperBound == piece.lowerBound) }
                if part == parts - 1 { #expect(piece.upperBound == range.upperBound) }
                if part == 0 { #expect(piece.lowerBound == range.lowerBound) }
                if !piece.isEmpty {
                    #expect(partition.part(holding: piece.lowerBound) == part)
                    #expect(partition.part(holding: piece.upperBound - 1) == part)
                }
            }
            let cyclic = CyclicPartition(range, parts: parts)
            for part in probes {
                let piece = cyclic[part]
                let expected = part < range.count ? (range.count - 1 - part) / parts + 1 : 0
                #expect(piece.count == expected)
                if let last = piece.last {
                    #expect(last < range.upperBound && range.upperBound - last <= parts)
                    #expect(piece.first == range.lowerBound + part)
                }
            }
        }
    }

    @Test func nestedRanksThenThreads() {
        // Ranks × threads split of a range covers it once, in order, for several shapes.
        for (ranks, threads) in [(1, 1), (2, 1), (3, 2), (4, 2), (4, 3)] {
            let range = 0..<101
            let pieces = BlockPartition(range, parts: ranks).flatMap { BlockPartition($0, parts: threads) }
            #expect(pieces.flatMap { $0 } == Array(range))
        }
    }
}

import Kernels
import SPMDCore
import Testing

@Suite struct PhiloxTests {
    /// Random123's known-answer vectors for philox4x32-10 (tests/kat_vectors): counter, key, output.
    @Test func knownAnswers() {
        let vectors: [((UInt32, UInt32, UInt32, UInt32), (UInt32, UInt32), [UInt32])] = [
            ((0, 0, 0, 0), (0, 0), [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
            ((.max, .max, .max, .max), (.max, .max), [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
            ((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), (0xa409_3822, 0x299f_31d0),
             [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
        ]
        for (counter, key, expected) in vectors {
            let words = Philox4x32(key: key).block(counter)
            #expect([words.0, words.1, words.2, words.3] == expected)
        }
    }

    @Test func seedIsTheKey() {
        let generator = Philox4x32(seed: 0x299f_31d0_a409_3822)
        #expect(generator.key == (0xa409_3822, 0x299f_31d0))
    }

    @Test func uniformsLieInTheUnitInterval() {
        #expect(Philox4x32.unit(0, 0) == 0)
        #expect(Philox4x32.unit(.max, .max) == 1 - 0x1p-53)
        let generator = Philox4x32(seed: 42)
        var sum = 0.0
        for index in 0..<10_000 {
            let (x, y) = generator.uniformPair(UInt64(index))
            #expect(x >= 0 && x < 1 && y >= 0 && y < 1)
            sum += x + y
        }
        #expect(abs(sum / 20_000 - 0.5) < 0.01)  // 5 sigma is 0.0102
    }

    /// Dart k is the same whoever throws it: split counts add up to the whole.
    @Test func dartsSplitAnyWayCountTheSame() {
        let whole = dartsInside(0..<100_000, seed: 9)
        for parts in [2, 3, 7] {
            let split = BlockPartition(0..<100_000, parts: parts).map { dartsInside($0, seed: 9) }.reduce(0, +)
            #expect(split == whole)
        }
        #expect(dartsInside(0..<100_000, seed: 10) != whole)
        // Within 5 sigma of pi/4.
        let p = Double.pi / 4, sigma = (p * (1 - p) / 100_000).squareRoot()
        #expect(abs(Double(whole) / 100_000 - p) < 5 * sigma)
    }
}

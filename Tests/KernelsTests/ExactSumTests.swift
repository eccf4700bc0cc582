import SPMDCore
import Testing

@Suite struct ExactSumTests {
    static func sum(_ values: [Double]) -> Double {
        var total = ExactSum()
        total.add(contentsOf: values)
        return total.value
    }

    /// Sums that plain left-to-right addition gets wrong, with their exact, correctly rounded values
    /// (what Python's math.fsum gives).
    @Test func knownSums() {
        #expect(Self.sum(Array(repeating: 0.1, count: 10)) == 1.0)
        #expect(Self.sum(Array(repeating: -0.1, count: 10)) == -1.0)
        #expect(Self.sum([1e100, 1.0, -1e100]) == 1.0)
        #expect(Self.sum([1e100, 1.0, -1e100, 1e-100]) == 1.0)
        #expect(Self.sum([]) == 0)
        #expect(Self.sum([0.0, -0.0]) == 0)
        #expect(Self.sum([3.0, -3.0]) == 0)
        #expect(Self.sum([.greatestFiniteMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude])
                == .greatestFiniteMagnitude)
        #expect(Self.sum([.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == .infinity)
        #expect(Self.sum([-.greatestFiniteMagnitude, -.greatestFiniteMagnitude]) == -.infinity)
    }

    /// Round to nearest, ties to even, with everything below the last kept bit counted.
    @Test func roundsOnceToNearestEven() {
        let big = 0x1p53
        #expect(Self.sum([big, 1]) == big)                    // tie: down to even
        #expect(Self.sum([big + 2, 1]) == big + 4)            // tie: up to even
        #expect(Self.sum([big, 1, 0x1p-100]) == big + 2)      // just above the tie
        #expect(Self.sum([big, 1, -0x1p-100]) == big)         // just below
        #expect(Self.sum([-big, -1, -0x1p-100]) == -(big + 2))
        #expect(Self.sum([0x1p1000, 0x1p947]) == 0x1p1000)    // half an ulp of 2^1000: tie to even
        #expect(Self.sum([0x1p1000, 0x1p947, 0x1p-1074]) == 0x1p1000 + 0x1p948)
    }

    @Test func subnormals() {
        let tiny = Double.leastNonzeroMagnitude
        #expect(Self.sum([tiny, tiny]) == 2 * tiny)
        #expect(Self.sum([.leastNormalMagnitude, -tiny]) == Double.leastNormalMagnitude - tiny)
        #expect(Self.sum(Array(repeating: tiny, count: 1000)) == 1000 * tiny)
        #expect(Self.sum([1, tiny, -1]) == tiny)
    }

    @Test func infinitiesAndNaN() {
        #expect(Self.sum([.infinity, 1]) == .infinity)
        #expect(Self.sum([-.infinity, 1e308, 1e308]) == -.infinity)
        #expect(Self.sum([.infinity, -.infinity]).isNaN)
        #expect(Self.sum([1, .nan]).isNaN)
    }

    /// Integers below 2^53, scaled by a power of two: their exact sum is an Int64 sum, which
    /// `Double(_:)` rounds correctly; the scaling moves them across the whole exponent range.
    @Test(arguments: [0, 1, -1, 31, 400, 900, -600, -1000])
    func matchesIntegerArithmetic(scale: Int) {
        var generator = SplitMix(seed: UInt64(bitPattern: Int64(scale)) &+ 12345)
        for trial in 0..<200 {
            let count = 1 + trial * 5
            let bound = trial % 2 == 0 ? (1 << 53) - 1 : (1 << 20)
            let integers = (0..<count).map { _ in Int(generator.next() % UInt64(2 * bound + 1)) - bound }
            let exact = integers.reduce(0, +)
            let values = integers.map { Double($0) * pow2(scale) }
            let expected = Double(exact) * pow2(scale)
            #expect(Self.sum(values) == expected, "trial \(trial), scale \(scale)")
        }
    }

    /// Any order and any split, merged exactly, gives the same bits.
    @Test func independentOfOrderAndSplit() {
        var generator = SplitMix(seed: 7)
        let values = (0..<5000).map { _ -> Double in
            let mantissa = Double(generator.next() >> 11) * 0x1p-53 - 0.5
            return mantissa * pow2(Int(generator.next() % 120) - 60)
        }
        let reference = Self.sum(values)
        var shuffled = values
        for _ in 0..<5 {
            shuffled.shuffle(using: &generator)
            #expect(Self.sum(shuffled).bitPattern == reference.bitPattern)
            let parts = 1 + Int(generator.next() % 7)
            var limbs = [Int64](repeating: 0, count: ExactSum.storageCount)
            var merged = ExactSum()
            for part in 0..<parts {
                var piece = ExactSum()
                shuffled.withUnsafeBufferPointer { buffer in
                    let lower = buffer.count * part / parts, upper = buffer.count * (part + 1) / parts
                    piece.add(contentsOf: UnsafeBufferPointer(rebasing: buffer[lower..<upper]))
                }
                for (index, limb) in piece.limbs.enumerated() { limbs[index] += limb }
                merged.add(piece)
            }
            #expect(ExactSum(limbs: limbs).value.bitPattern == reference.bitPattern)
            #expect(merged.value.bitPattern == reference.bitPattern)
        }
        // And the naive sum of the same values in different orders does differ, so the test can fail.
        #expect(Set([values, shuffled, values.reversed()].map { $0.reduce(0, +).bitPattern }).count > 1)
    }

    func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }
}

/// A small seeded generator for test data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

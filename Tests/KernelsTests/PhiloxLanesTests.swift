import CPhilox
import Kernels
import Testing

/// The SIMD paths of Philox4x32-10 (CPhilox) against the scalar generator, path by path: every
/// path this CPU can take must give every dart and every uniform the same bits.
@Suite struct PhiloxLanesTests {
    /// The paths this CPU runs (scalar always; AVX2 and AVX-512 where present).
    static let paths: [Int32] = [Int32(CPHILOX_SCALAR.rawValue), Int32(CPHILOX_AVX2.rawValue),
                                 Int32(CPHILOX_AVX512.rawValue)].filter { cphilox_supports($0) != 0 }

    /// Inside-the-circle counts by the scalar Swift generator, dart by dart.
    static func plainCount(_ darts: Range<UInt64>, seed: UInt64) -> Int {
        let generator = Philox4x32(seed: seed)
        var inside = 0
        for dart in darts {
            let (x, y) = generator.uniformPair(dart)
            if x * x + y * y < 1.0 { inside += 1 }
        }
        return inside
    }

    /// Ranges that start anywhere in a vector, end anywhere, and carry into the counter's high word.
    @Test func everyPathCountsTheDartsOfTheScalarGenerator() {
        let ranges: [Range<UInt64>] = [0..<1, 0..<7, 3..<20_011, 0xFFFF_FFF0..<0x1_0000_0013,
                                       (1 << 62) - 5..<(1 << 62) + 4_003]
        for seed: UInt64 in [1, 0x299f_31d0_a409_3822] {
            for range in ranges {
                let expected = Self.plainCount(range, seed: seed)
                for path in Self.paths {
                    let count = cphilox_darts_inside_on(path, seed, range.lowerBound, range.count)
                    #expect(Int(count) == expected, "path \(path) seed \(seed) darts \(range)")
                }
            }
        }
    }

    /// The same 10^7 darts through every path: the same count.
    @Test func tenMillionDartsOnEveryPath() {
        let counts = Self.paths.map { cphilox_darts_inside_on($0, 7, 123_456_789, 10_000_000) }
        #expect(Set(counts).count == 1, "paths \(Self.paths): \(counts)")
        #expect(Self.paths.count >= 2 || !Self.cpuHasAVX2, "this CPU has AVX2, so at least two paths are compared")
    }

    /// Uniform pairs of scattered counters and high streams, bit for bit.
    @Test func everyPathDrawsTheUniformsOfTheScalarGenerator() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // splitmix64, seeded: the same counters every run
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let indices = (0..<1_003).map { $0 % 3 == 0 ? UInt64($0) : next() }
        for stream: UInt64 in [0, 1, 2, 0x1_0000_0005] {
            let generator = Philox4x32(seed: 11)
            let expected = indices.map { generator.uniformPair($0, stream: stream) }
            for path in Self.paths {
                for count in [indices.count, 5, 0] {
                    var first = [Double](repeating: -1, count: count), second = first
                    cphilox_uniform_pairs_on(path, 11, indices, stream, count, &first, &second)
                    for slot in 0..<count {
                        #expect(first[slot].bitPattern == expected[slot].0.bitPattern
                                && second[slot].bitPattern == expected[slot].1.bitPattern,
                                "path \(path) stream \(stream) slot \(slot)")
                    }
                }
            }
        }
    }

    static var cpuHasAVX2: Bool { cphilox_supports(Int32(CPHILOX_AVX2.rawValue)) != 0 }
}

import Foundation
import Kernels
import TestFixtures
import Testing

/// The deterministic vector math: every path this CPU can take (scalar, AVX2, AVX-512) gives the same
/// bits for the same inputs; the sines are within SLEEF's 3.5 ulp; a row is summed in its fixed order;
/// the lessons' integral is within a bound proved below.
@Suite struct VectorMathTests {
    static let paths = VectorPath.supported

    /// 10^7 inputs: the lessons' arguments (0 to 2π), a wide spread of magnitudes and signs, and the
    /// special values, in an order that puts every kind in every lane and in the tails.
    static let inputs: [Double] = {
        var generator = SplitMix(seed: 13)
        let specials: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-300, .pi, -.pi,
                                  .pi / 2, 2 * .pi, 1e15, -1e15, 1e22, .greatestFiniteMagnitude, .infinity,
                                  -.infinity, .nan]
        return (0..<10_000_000).map { (index: Int) -> Double in
            let random = generator.next()
            switch index % 7 {
            case 0: return specials[Int(random % UInt64(specials.count))]
            case 1, 2, 3: return 2 * Double.pi * Double(random >> 11) / 0x1p53
            default:
                let magnitude = Double(sign: random & 1 == 0 ? .plus : .minus,
                                       exponent: Int((random >> 1) % 120) - 60, significand: 1 + Double(random >> 12) / 0x1p52)
                return magnitude
            }
        }
    }()

    /// How many elements differ in any bit (a byte comparison first: the tests run unoptimized).
    static func differences(_ a: [Double], _ b: ArraySlice<Double>) -> Int {
        precondition(a.count == b.count)
        let same = a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
        return same ? 0 : zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
    }

    /// 10^7 inputs on the short path of SLEEF's sin (|x| < 15), which the vector paths evaluate inline:
    /// uniform, and within a few ulp of the multiples of π/2 up to 15, where the reduction is delicate.
    static let shortInputs: [Double] = {
        var generator = SplitMix(seed: 2024)
        return (0..<10_000_000).map { (index: Int) -> Double in
            let random = generator.next()
            if index % 4 == 3 {
                let multiple = Double(Int(random % 19) - 9) * (Double.pi / 2)
                return multiple + Double(Int((random >> 8) % 64) - 32) * multiple.ulp
            }
            return 30 * (Double(random >> 11) / 0x1p53) - 15
        }
    }()

    @Test func theMachineHasAPath() {
        #expect(VectorPath.best != nil, "no FMA: no path")
        #expect(Self.paths.first == .scalar)
    }

    /// The same 10^7 inputs through every path, bit for bit, at several lengths (so each path's
    /// tail runs) and offsets (so each input sits in every lane): the mixed set, where most vectors
    /// hold an element SLEEF must reduce the long way, and the short-path set, evaluated inline.
    @Test(arguments: ["mixed", "short"])
    func sinIsTheSameBitsOnEveryPath(inputs name: String) {
        let inputs = name == "mixed" ? Self.inputs : Self.shortInputs
        let count = inputs.count
        var reference = [Double](repeating: 0, count: count)
        inputs.withUnsafeBufferPointer { input in
            reference.withUnsafeMutableBufferPointer { vectorSin(input, into: $0, path: .scalar) }
        }
        for path in Self.paths.dropFirst() {
            for (offset, length) in [(0, count), (1, count - 8), (3, 13), (5, 7)] {
                var out = [Double](repeating: 0, count: length)
                inputs.withUnsafeBufferPointer { input in
                    out.withUnsafeMutableBufferPointer {
                        vectorSin(UnsafeBufferPointer(rebasing: input[offset..<(offset + length)]), into: $0, path: path)
                    }
                }
                let wrong = Self.differences(out, reference[offset..<(offset + length)])
                #expect(wrong == 0, "\(name) inputs, \(path), offset \(offset), length \(length): \(wrong) differ from scalar")
            }
        }
    }

    /// SLEEF's bound: at most 3.5 ulp from sin in 64-bit-mantissa precision, on the first 10^6 finite
    /// inputs of size up to 10^15 (special values give IEEE's answers).
    @Test func sinIsWithinThreePointFiveUlp() {
        let inputs = Array(Self.inputs.prefix(1_000_000).filter { $0.isFinite && abs($0) <= 1e15 })
        var out = [Double](repeating: 0, count: inputs.count)
        inputs.withUnsafeBufferPointer { input in out.withUnsafeMutableBufferPointer { vectorSin(input, into: $0, path: .scalar) } }
        var worst = 0.0
        for (x, value) in zip(inputs, out) {
            let exact = sinl(Float80(x))
            let ulp = Double(exact).ulp, error = Double(abs(Float80(value) - exact)) / (ulp == 0 ? .leastNonzeroMagnitude : ulp)
            worst = max(worst, error)
            if error > 3.5 { Issue.record("sin(\(x)) = \(value), exact \(exact): \(error) ulp"); return }
        }
        #expect(worst > 0.4, "a wrong reference would agree exactly")
        let specials: [(Double, Double)] = [(0, 0), (-0.0, -0.0), (.infinity, .nan), (-.infinity, .nan), (.nan, .nan)]
        for (x, expected) in specials {
            var value = Double.zero
            withUnsafePointer(to: x) { input in
                withUnsafeMutablePointer(to: &value) {
                    vectorSin(UnsafeBufferPointer(start: input, count: 1), into: UnsafeMutableBufferPointer(start: $0, count: 1), path: .scalar)
                }
            }
            #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN), "sin(\(x)) = \(value)")
        }
    }

    /// A row's sum, written out here: y_j = ymin + hy·(j + ½), term j into partial j mod 8 in order,
    /// ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)); the sines through the scalar path.
    static func rowSum(_ grid: MidpointGrid, _ row: Int) -> Double {
        let x = grid.xmin + grid.hx * (Double(row) + 0.5)
        let arguments = (0..<grid.bins).map { x + (grid.ymin + grid.hy * (Double($0) + 0.5)) }
        var sines = [Double](repeating: 0, count: grid.bins)
        arguments.withUnsafeBufferPointer { input in sines.withUnsafeMutableBufferPointer { vectorSin(input, into: $0, path: .scalar) } }
        var p = [Double](repeating: 0, count: 8)
        for (column, sine) in sines.enumerated() { p[column % 8] += sine }
        return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]))
    }

    /// Every path sums every row in that order, to the bit, for widths around each vector length and
    /// block, on rows whose arguments all lie on SLEEF's short path (|x| < 15), and on rows that
    /// cross it or lie beyond it (-35 to 30).
    @Test(arguments: VectorPath.supported)
    func rowSumIsTheFixedOrder(path: VectorPath) {
        for (x, y) in [(-1...2.5, 0.5...7), (-25...20, -10...10)] as [(ClosedRange<Double>, ClosedRange<Double>)] {
            for bins in Array(1...33) + [63, 64, 65, 301, 1000] {
                let grid = MidpointGrid(bins: bins, x: x, y: y, path: path)
                for row in Set([0, bins / 4, bins / 2, bins - 1]) {
                    let expected = Self.rowSum(grid, row)
                    #expect(grid.rowSum(row).bitPattern == expected.bitPattern, "\(path) \(x) × \(y) bins \(bins) row \(row)")
                }
            }
        }
    }

    /// The lessons' square at the lessons' size: n = 10^4 on [0, π]² with π rounded to a double, P.
    ///
    /// The bound. The midpoint sum of sin(x + y) over [0, L]² is exactly (Σ sin x_i)(Σ cos y_j) +
    /// (Σ cos x_i)(Σ sin y_j) with Σ e^{i·h(k + ½)} = e^{iL/2}·sin(L/2)/sin(h/2); for L = P this is
    /// the integral's value within |P − π|·2n²h²·2 < 1e-14, and the integral itself is under 1e-15.
    /// What the program adds on top, per term (|sin| ≤ 1, arguments below 8): the argument's four
    /// roundings, 4·2^-50, plus h's rounding times j + ½ ≤ n, P·2^-53; SLEEF's 3.5 ulp ≤ 3.5·2^-52.
    /// Summing n/8 terms into each partial costs at most (n/8)²·2^-53 per partial, the three
    /// combinations 3·n·2^-53, and the row sums add exactly. Scaled by h² = (P/n)², the total is below
    ///     P²·(4·2^-50 + P·2^-53 + 3.5·2^-52) + P²/n·(8·(n/8)² + 3n)·2^-53 ≈ 1.7e-12,
    /// so the computed integral must lie within 2e-12 of the exact one (a wrong grid, half a step
    /// off, is off by about h = 3e-4; glibc's sin gives 2.6e-15 here).
    @Test func lessonsIntegralIsWithinTheProvenBound() {
        let n = 10_000
        let grid = MidpointGrid(bins: n, x: 0...Double.pi, y: 0...Double.pi, path: VectorPath.best!)
        let integral = grid.integral(grid.rowSums(0..<n).value)
        let p = Double.pi, unit = 0x1p-53
        let perTerm = 4 * 0x1p-50 + p * unit + 3.5 * 0x1p-52
        let summation = p * p / Double(n) * (8 * Double(n / 8) * Double(n / 8) + 3 * Double(n)) * unit
        let bound = p * p * perTerm + summation + 1e-14 + 1e-15
        #expect(bound < 2e-12)
        #expect(abs(integral - grid.exactIntegral) <= bound, "\(integral) vs \(grid.exactIntegral), bound \(bound)")
    }

    /// The map's 10^7 elements through every path, bit for bit, including blocks that start at odd
    /// offsets and indices near 2^53 (where a vector path hands over to the scalar one).
    @Test func mapIsTheSameBitsOnEveryPath() {
        for (start, count, num, den) in [(0, 10_000_000, 0.0, 0.0), (12_345, 1_000_003, 0.5, 2.0),
                                         (1 << 53 - 1_000, 2_000, 3.0, 3.0), (7, 13, -0.75, 1e9)] {
            var reference = [Double](repeating: 0, count: count)
            reference.withUnsafeMutableBufferPointer { mapDriver(into: $0, start: start, num: num, den: den, path: .scalar) }
            for path in Self.paths.dropFirst() {
                var out = [Double](repeating: 0, count: count)
                out.withUnsafeMutableBufferPointer { mapDriver(into: $0, start: start, num: num, den: den, path: path) }
                let wrong = Self.differences(out, reference[...])
                #expect(wrong == 0, "\(path) start \(start) count \(count): \(wrong) differ from scalar")
            }
        }
    }

    /// SPMD_VECTOR names a path; a name that is none, or a path this CPU lacks, is a clear error.
    @Test func pathFromTheEnvironment() throws {
        #expect(try VectorPath.resolve(nil) == VectorPath.best)
        #expect(try VectorPath.resolve("") == VectorPath.best)
        for path in Self.paths { #expect(try VectorPath.resolve(path.rawValue) == path) }
        #expect(throws: VectorPathError.self) { try VectorPath.resolve("sse9") }
        #expect(throws: VectorPathError.self) { try VectorPath.resolve("AVX2") }
        do {
            _ = try VectorPath.resolve("neon")
        } catch {
            #expect(error.description == "SPMD_VECTOR must be one of scalar, avx2, avx512 (got 'neon')")
        }
        for path in VectorPath.allCases where !path.isSupported {
            #expect(throws: VectorPathError.self) { try VectorPath.resolve(path.rawValue) }
        }
    }
}

import Foundation
import Kernels
import SPMDCore
import Testing

@Suite struct MidpointTests {
    /// The widest path this CPU has (VectorMathTests compares every path).
    static let path = VectorPath.best!

    /// Σ_{i<n} sin(a + h(i + ½)) and the same for cos, in closed form:
    /// sin or cos of (a + nh/2), times sin(nh/2) / sin(h/2).
    static func sums(_ a: Float80, _ h: Float80, _ n: Int) -> (sin: Float80, cos: Float80) {
        let half = Float80(n) * h / 2
        let factor = sinl(half) / sinl(h / 2)
        return (sinl(a + half) * factor, cosl(a + half) * factor)
    }

    /// The midpoint sum on the grid, from sin(x + y) = sin x cos y + cos x sin y, in 64-bit precision.
    static func closedForm(_ grid: MidpointGrid) -> Float80 {
        let hx = (Float80(grid.xmax) - Float80(grid.xmin)) / Float80(grid.bins)
        let hy = (Float80(grid.ymax) - Float80(grid.ymin)) / Float80(grid.bins)
        let x = sums(Float80(grid.xmin), hx, grid.bins), y = sums(Float80(grid.ymin), hy, grid.bins)
        return hx * hy * (x.sin * y.cos + x.cos * y.sin)
    }

    /// Rounding of n·n terms summed row by row: at most about (n + 4)·ε per unit of area times
    /// the size of the coordinates; a wrong grid (half a step off) is wrong by about h.
    static func tolerance(_ grid: MidpointGrid) -> Double {
        let area = (grid.xmax - grid.xmin) * (grid.ymax - grid.ymin)
        let scale = 2 + abs(grid.xmin) + abs(grid.xmax) + abs(grid.ymin) + abs(grid.ymax)
        return area * Double(grid.bins + 4) * Double.ulpOfOne * scale
    }

    static let rectangles: [(ClosedRange<Double>, ClosedRange<Double>)] = [
        (0...1, 0...2), (-1...0.5, 2...3), (0...Double.pi, 0...(Double.pi / 2)), (0.25...4, -3...(-1)),
    ]

    @Test(arguments: [1, 2, 7, 100, 640])
    func agreesWithTheClosedForm(bins: Int) {
        for (x, y) in Self.rectangles {
            let grid = MidpointGrid(bins: bins, x: x, y: y, path: Self.path)
            let computed = grid.integral(grid.rowSums(0..<bins).value)
            let expected = Double(Self.closedForm(grid))
            #expect(abs(computed - expected) <= Self.tolerance(grid), "bins \(bins), \(x) × \(y)")
        }
    }

    @Test func convergesToTheIntegral() {
        let grid = MidpointGrid(bins: 400, x: 0...1, y: 0...2, path: Self.path)
        let computed = grid.integral(grid.rowSums(0..<400).value)
        // The midpoint rule's error is about (h²/24)·area·max|f''|: 1.3e-6 here.
        #expect(abs(computed - grid.exactIntegral) < 3e-6)
        #expect(abs(computed - grid.exactIntegral) > 1e-8)  // and it is the midpoint rule, not the integral
        #expect(abs(MidpointGrid(bins: 3, x: 0...Double.pi, y: 0...Double.pi, path: Self.path).exactIntegral) < 1e-15)
    }

    @Test func rowSplitsGiveTheSameBits() {
        let grid = MidpointGrid(bins: 301, x: -1...2, y: 0.5...1.5, path: Self.path)
        let whole = grid.rowSums(0..<301).value
        for parts in [2, 3, 8] {
            var merged = ExactSum()
            for piece in BlockPartition(0..<301, parts: parts) { merged.add(grid.rowSums(piece)) }
            #expect(merged.value.bitPattern == whole.bitPattern)
        }
    }

    /// The driver is log(i + num + 1) / sqrt(i + den + 1): exact where the logarithm is (log 1 = 0), and
    /// within 5 ulp of the quotient in 64-bit-mantissa precision elsewhere (SLEEF's log: 3.5 ulp; the
    /// square root and the division are rounded once each, half an ulp apiece).
    @Test func driverIsTheLessonsFormula() {
        #expect(driver(0, num: 0, den: 0).bitPattern == 0)                // log 1 / sqrt 1 = +0
        #expect(driver(0, num: 0, den: 3) == 0)
        for (num, den) in [(0.0, 0.0), (0.5, 2.0), (3.0, 3.0), (-0.5, 1e6)] {
            for index in Array(1..<20_000) + (0..<2_000).map({ 1 << 20 + $0 * 7_919 }) + [1 << 40, 1 << 52] {
                let value = driver(index, num: num, den: den)
                let number = Float80(index)
                let exact = Foundation.logl(number + Float80(num) + 1) / Foundation.sqrtl(number + Float80(den) + 1)
                let ulps = abs(Float80(value) - exact) / Float80(value.ulp)
                #expect(ulps <= 5, "driver(\(index), num: \(num), den: \(den)) = \(value), exact \(exact): \(ulps) ulp")
                if ulps > 5 { return }
            }
        }
    }

    /// `mapDriver` fills a block with `driver`, element by element, on every path.
    @Test(arguments: VectorPath.supported)
    func mapDriverIsTheDriver(path: VectorPath) {
        for (start, count) in [(10, 5), (0, 1), (1_000, 1_003), (1 << 53 - 20, 40)] {
            var out = [Double](repeating: .nan, count: count)
            out.withUnsafeMutableBufferPointer { mapDriver(into: $0, start: start, num: 1, den: 2, path: path) }
            let expected = (start..<(start + count)).map { driver($0, num: 1, den: 2) }
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "\(path) start \(start) count \(count)")
        }
    }
}

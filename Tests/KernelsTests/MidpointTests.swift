import Foundation
import Kernels
import Testing

@Suite struct MidpointTests {
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
            let grid = MidpointGrid(bins: bins, x: x, y: y)
            let computed = grid.integral(grid.rowSums(0..<bins).value)
            let expected = Double(Self.closedForm(grid))
            #expect(abs(computed - expected) <= Self.tolerance(grid), "bins \(bins), \(x) × \(y)")
        }
    }

    @Test func convergesToTheIntegral() {
        let grid = MidpointGrid(bins: 400, x: 0...1, y: 0...2)
        let computed = grid.integral(grid.rowSums(0..<400).value)
        // The midpoint rule's error is about (h²/24)·area·max|f''|: 1.3e-6 here.
        #expect(abs(computed - grid.exactIntegral) < 3e-6)
        #expect(abs(computed - grid.exactIntegral) > 1e-8)  // and it is the midpoint rule, not the integral
        #expect(abs(MidpointGrid(bins: 3, x: 0...Double.pi, y: 0...Double.pi).exactIntegral) < 1e-15)
    }

    @Test func rowSplitsGiveTheSameBits() {
        let grid = MidpointGrid(bins: 301, x: -1...2, y: 0.5...1.5)
        let whole = grid.rowSums(0..<301).value
        for parts in [2, 3, 8] {
            var merged = ExactSum()
            for piece in BlockPartition(0..<301, parts: parts) { merged.add(grid.rowSums(piece)) }
            #expect(merged.value.bitPattern == whole.bitPattern)
        }
    }

    @Test func driverIsTheLessonsFormula() {
        #expect(driver(0, num: 0, den: 0) == 0)                     // log 1 / sqrt 1
        #expect(driver(3, num: 0, den: 0) == log(4.0) / 2)
        #expect(driver(2, num: 0.5, den: 1) == log(3.5) / 2)
        var out = [Double](repeating: .nan, count: 5)
        out.withUnsafeMutableBufferPointer { mapDriver(into: $0, start: 10, num: 1, den: 2) }
        let expected: [Double] = (10..<15).map { (index: Int) -> Double in
            let number = Double(index)
            return log(number + 1.0 + 1.0) / sqrt(number + 2.0 + 1.0)
        }
        #expect(out == expected)
    }
}

import CVectorMath
import SPMDCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The midpoint rule for ∫∫ sin(x + y) over a rectangle on an n × n grid (the lessons' integrate2d):
/// x_i = xmin + hx·(i + ½), y_j = ymin + hy·(j + ½), integral ≈ hx·hy·Σ_i Σ_j sin(x_i + y_j).
///
/// Work is split by rows. Each row is summed in one fixed order, the same way whoever owns it and
/// whatever the vector width (see `rowSum`); the row sums go into an `ExactSum`, so the total has the
/// same bits for every split of the rows and on every CPU with FMA.
public struct MidpointGrid: Sendable {
    public let xmin: Double, xmax: Double, ymin: Double, ymax: Double
    /// Bins per axis.
    public let bins: Int
    /// Steps along x and y.
    public let hx: Double, hy: Double
    /// The code path of the sines (the same bits on every path).
    public let path: VectorPath

    public init(bins: Int, x: ClosedRange<Double>, y: ClosedRange<Double>, path: VectorPath) {
        precondition(bins >= 1, "at least one bin")
        precondition(path.isSupported, "this CPU cannot run the \(path) path")
        self.bins = bins
        self.path = path
        (xmin, xmax, ymin, ymax) = (x.lowerBound, x.upperBound, y.lowerBound, y.upperBound)
        hx = (xmax - xmin) / Double(bins)
        hy = (ymax - ymin) / Double(bins)
    }

    /// Σ_j sin(x_row + y_j), j = 0..<bins, with SLEEF's deterministic sin (at most 3.5 ulp) and
    /// y_j = ymin + hy·(j + ½), each operation rounded (no FMA). The order is fixed: eight partial sums,
    /// term j into partial j mod 8 in increasing j, then ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)).
    public func rowSum(_ row: Int) -> Double {
        let x = xmin + hx * (Double(row) + 0.5)
        return vm_sin_row_sum(path.code, x, ymin, hy, Int64(bins))
    }

    /// The exact sum of the row sums of `rows`.
    public func rowSums(_ rows: Range<Int>) -> ExactSum {
        var total = ExactSum()
        for row in rows { total.add(rowSum(row)) }
        return total
    }

    /// The midpoint approximation from the exact sum of all row sums.
    public func integral(_ sum: Double) -> Double { hx * hy * sum }

    /// The exact integral of sin(x + y) over the rectangle:
    /// sin(xmax + ymin) − sin(xmin + ymin) − sin(xmax + ymax) + sin(xmin + ymax).
    public var exactIntegral: Double {
        sin(xmax + ymin) - sin(xmin + ymin) - sin(xmax + ymax) + sin(xmin + ymax)
    }
}

/// The lessons' Pool.map `driver`: log(i + num + 1) / sqrt(i + den + 1), evaluated as Python does
/// (`(i + num) + 1`, `(i + den) + 1`), with SLEEF's deterministic log (at most 3.5 ulp) and IEEE's
/// correctly rounded square root and division. One element through the scalar path.
public func driver(_ index: Int, num: Double, den: Double) -> Double {
    var value = 0.0
    vm_driver(VectorPath.scalar.code, &value, Int64(index), 1, num, den)
    return value
}

/// Fills `output[k]` with `driver(start + k)` through `path`: the same bits on every path.
public func mapDriver(into output: UnsafeMutableBufferPointer<Double>, start: Int, num: Double, den: Double,
                      path: VectorPath) {
    precondition(path.isSupported, "this CPU cannot run the \(path) path")
    guard let base = output.baseAddress else { return }
    vm_driver(path.code, base, Int64(start), Int64(output.count), num, den)
}

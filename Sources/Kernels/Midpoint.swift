#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The midpoint rule for ∫∫ sin(x + y) over a rectangle on an n × n grid (the lessons' integrate2d):
/// x_i = xmin + hx·(i + ½), y_j = ymin + hy·(j + ½), integral ≈ hx·hy·Σ_i Σ_j sin(x_i + y_j).
///
/// Work is split by rows. Each row is summed left to right, the same way whoever owns it; the
/// row sums go into an `ExactSum`, so the total has the same bits for every split of the rows.
public struct MidpointGrid: Sendable {
    public let xmin: Double, xmax: Double, ymin: Double, ymax: Double
    /// Bins per axis.
    public let bins: Int
    /// Steps along x and y.
    public let hx: Double, hy: Double

    public init(bins: Int, x: ClosedRange<Double>, y: ClosedRange<Double>) {
        precondition(bins >= 1, "at least one bin")
        self.bins = bins
        (xmin, xmax, ymin, ymax) = (x.lowerBound, x.upperBound, y.lowerBound, y.upperBound)
        hx = (xmax - xmin) / Double(bins)
        hy = (ymax - ymin) / Double(bins)
    }

    /// Σ_j sin(x_row + y_j), j = 0..<bins, in order.
    @inlinable
    public func rowSum(_ row: Int) -> Double {
        let x = xmin + hx * (Double(row) + 0.5)
        var sum = 0.0
        for column in 0..<bins {
            sum += sin(x + (ymin + hy * (Double(column) + 0.5)))
        }
        return sum
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

/// The lessons' Pool.map `driver`: log(i + num + 1) / sqrt(i + den + 1), evaluated as Python does.
@inlinable @inline(__always)
public func driver(_ index: Int, num: Double, den: Double) -> Double {
    let number = Double(index)
    return log(number + num + 1.0) / sqrt(number + den + 1.0)
}

/// Fills `output[k]` with `driver(start + k)`.
public func mapDriver(into output: UnsafeMutableBufferPointer<Double>, start: Int, num: Double, den: Double) {
    for offset in output.indices { output[offset] = driver(start + offset, num: num, den: den) }
}

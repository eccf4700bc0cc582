import MPI
import SPMDCore

extension Communicator {
    /// The exact sum of every rank's `sum`, rounded once, at the root (nil elsewhere): the same bits
    /// for any split of the terms. One `MPI_Reduce` of the accumulators' integer limbs.
    public func reduce(_ sum: ExactSum, root: Int) throws -> Double? {
        try reduce(sum.limbs, operation: .sum, root: root).map { ExactSum(limbs: $0).value }
    }

    /// As `reduce(_:root:)`, on every rank (`MPI_Allreduce`).
    public func allReduce(_ sum: ExactSum) throws -> Double {
        ExactSum(limbs: try allReduce(sum.limbs, operation: .sum)).value
    }
}

import CPhilox

/// Monte Carlo e: for each trial in `trials`, how many uniforms [0, 1) it takes until their running
/// sum first exceeds 1; the total over the trials. The count N of one trial has mean e and
/// variance 3e − e² ≈ 0.7658, so total / trials.count estimates e.
///
/// Trial k draws its uniforms u₀, u₁, u₂, … from Philox4x32-10 under `seed`: block j is
/// `uniformPair(k, stream: j)` (counter words k, then j), whose first and second values are
/// u_{2j} and u_{2j+1}. A trial's numbers depend only on the seed and k, so any split of the
/// trials over ranks and threads gives the same total.
public func uniformsToExceedOne(_ trials: Range<Int>, seed: UInt64) -> Int {
    precondition(trials.lowerBound >= 0, "trials are numbered from 0")
    // Whether a sum has passed 1 is a coin toss the processor cannot predict, so nothing branches
    // on it. Trials go in batches of 512, block by block: block 0 of every trial, then block 1 of
    // those still at or below 1 (half of them), block 2 of those still below (one in 24), ...;
    // the trials kept for the next block are packed, in order, at the front of the buffers. Each
    // block of a batch is drawn in SIMD lanes (CPhilox), with the scalar generator's bits.
    let batch = 512
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: batch) { index in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * batch) { doubles in
            let index = index.baseAddress!
            let sum = doubles.baseAddress!, first = sum + batch, second = first + batch
            var total = 0
            var start = trials.lowerBound
            while start < trials.upperBound {
                let count = min(batch, trials.upperBound - start)
                for slot in 0..<count { index[slot] = UInt64(truncatingIfNeeded: start &+ slot) }
                // Block 0: u₀ < 1, so every trial takes both of its uniforms.
                cphilox_uniform_pairs(seed, index, 0, count, first, second)
                var waiting = 0
                for slot in 0..<count {
                    let pairSum = first[slot] + second[slot]
                    index[waiting] = index[slot]
                    sum[waiting] = pairSum
                    waiting &+= atMostOne(pairSum)
                }
                total &+= 2 &* count
                // Blocks 1, 2, ...: one uniform if the first passes 1, else both.
                var block: UInt64 = 1
                while waiting > 0 {
                    cphilox_uniform_pairs(seed, index, block, waiting, first, second)
                    var kept = 0
                    for slot in 0..<waiting {
                        let afterFirst = sum[slot] + first[slot], afterSecond = afterFirst + second[slot]
                        total &+= 1 &+ atMostOne(afterFirst)
                        index[kept] = index[slot]
                        sum[kept] = afterSecond
                        kept &+= atMostOne(afterSecond)
                    }
                    waiting = kept
                    block &+= 1
                }
                start &+= count
            }
            return total
        }
    }
}

/// 1 if `sum` ≤ 1, else 0, as arithmetic rather than a branch.
@inline(__always)
private func atMostOne(_ sum: Double) -> Int {
    Int(unsafeBitCast(sum <= 1, to: UInt8.self))
}

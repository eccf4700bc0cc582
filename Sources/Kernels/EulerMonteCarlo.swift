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
    let generator = Philox4x32(seed: seed)
    // Whether a sum has passed 1 is a coin toss the processor cannot predict, so nothing branches
    // on it. Trials go in batches of 512, block by block: block 0 of every trial, then block 1 of
    // those still at or below 1 (half of them), block 2 of those still below (one in 24), ...;
    // the trials kept for the next block are packed, in order, into a buffer on the stack.
    let batch = 512
    return withUnsafeTemporaryAllocation(of: (trial: UInt64, sum: Double).self, capacity: batch) { pending in
        var total = 0
        var start = trials.lowerBound
        while start < trials.upperBound {
            let end = start + min(batch, trials.upperBound - start)
            // Block 0: u₀ < 1, so every trial takes both of its uniforms.
            var waiting = 0
            for trial in start..<end {
                let index = UInt64(truncatingIfNeeded: trial)
                let (first, second) = generator.uniformPair(index, stream: 0)
                let sum = first + second
                pending[waiting] = (index, sum)
                waiting &+= atMostOne(sum)
            }
            total &+= 2 &* (end - start)
            // Blocks 1, 2, ...: one uniform if the first passes 1, else both.
            var block: UInt64 = 1
            while waiting > 0 {
                var kept = 0
                for slot in 0..<waiting {
                    let (index, sum) = pending[slot]
                    let (first, second) = generator.uniformPair(index, stream: block)
                    let afterFirst = sum + first, afterSecond = afterFirst + second
                    total &+= 1 &+ atMostOne(afterFirst)
                    pending[kept] = (index, afterSecond)
                    kept &+= atMostOne(afterSecond)
                }
                waiting = kept
                block &+= 1
            }
            start = end
        }
        return total
    }
}

/// 1 if `sum` ≤ 1, else 0, as arithmetic rather than a branch.
@inline(__always)
private func atMostOne(_ sum: Double) -> Int {
    Int(unsafeBitCast(sum <= 1, to: UInt8.self))
}

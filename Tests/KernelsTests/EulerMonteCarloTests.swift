import Kernels
import SPMDCore
import Testing

@Suite struct EulerMonteCarloTests {
    /// Trial k's uniforms are the Philox pairs (k, stream j): one trial counted by hand.
    @Test func oneTrialByHand() {
        let generator = Philox4x32(seed: 5)
        for trial in [0, 1, 17, 123_456_789] {
            var uniforms: [Double] = []
            for block in 0..<8 {
                let (a, b) = generator.uniformPair(UInt64(trial), stream: UInt64(block))
                uniforms += [a, b]
            }
            var sum = 0.0, count = 0
            while sum <= 1 {
                sum += uniforms[count]
                count += 1
            }
            #expect(uniformsToExceedOne(trial..<(trial + 1), seed: 5) == count)
            #expect(count >= 2)
        }
        #expect(uniformsToExceedOne(10..<10, seed: 5) == 0)
    }

    /// The kernel against the plain loop, over batches of trials and an uneven start.
    @Test func matchesThePlainLoop() {
        let generator = Philox4x32(seed: 11)
        let trials = 1_000..<4_321
        var expected = 0
        for trial in trials {
            var sum = 0.0, block: UInt64 = 0, count = 0
            outer: while true {
                let (a, b) = generator.uniformPair(UInt64(trial), stream: block)
                for u in [a, b] {
                    sum += u
                    count += 1
                    if sum > 1 { break outer }
                }
                block += 1
            }
            expected += count
        }
        #expect(uniformsToExceedOne(trials, seed: 11) == expected)
    }

    /// Trial k is the same whoever runs it: block splits of the trials add up to the whole.
    @Test func splitsCountTheSame() {
        let trials = 0..<100_000
        let whole = uniformsToExceedOne(trials, seed: 3)
        for parts in [2, 3, 7, 64] {
            let split = BlockPartition(trials, parts: parts).map { uniformsToExceedOne($0, seed: 3) }.reduce(0, +)
            #expect(split == whole)
        }
        // Ranks, then threads: a block split of each block.
        let nested = BlockPartition(trials, parts: 3).flatMap { BlockPartition($0, parts: 2) }
            .map { uniformsToExceedOne($0, seed: 3) }.reduce(0, +)
        #expect(nested == whole)
        #expect(uniformsToExceedOne(trials, seed: 4) != whole)
        #expect(whole >= 2 * trials.count)
    }

    /// 10^6 trials: the mean lies within 5 sigma of e (the count's variance is 3e − e²).
    @Test func meanIsNearE() {
        let trials = 1_000_000
        let e = 2.718281828459045
        let mean = Double(uniformsToExceedOne(0..<trials, seed: 1)) / Double(trials)
        let sigma = ((3 * e - e * e) / Double(trials)).squareRoot()
        #expect(abs(mean - e) < 5 * sigma)
    }
}

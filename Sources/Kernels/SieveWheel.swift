/// The wheel-30 layout shared by every part of the sieve, the size tiers, and the wheel table of
/// crossing steps that the large primes' buckets walk.

// MARK: - Wheel and tiers

/// The numbers coprime to 30 in 0..<30: bit j of a sieve byte b is the number 30·b + wheelOffsets[j].
let wheelOffsets: [UInt8] = [1, 7, 11, 13, 17, 19, 23, 29]

/// residue mod 30 → its bit (0xFF for residues not coprime to 30).
let wheelIndexOfResidue: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 30)
    for (i, w) in wheelOffsets.enumerated() { table[Int(w)] = UInt8(i) }
    return table
}()

/// For p = 30q + r, r = wheelOffsets[ri], the multiple p·(30k + w_i) lies at byte p·k + q·w_i + ⌊r·w_i / 30⌋,
/// bit of (r·w_i) mod 30. At [ri·8 + i]: ⌊r·w_i / 30⌋.
let wheelCorrection: [Int] = wheelOffsets.flatMap { r in wheelOffsets.map { w in Int(r) * Int(w) / 30 } }

/// The pre-sieve and the small sieving primes work on chunks of this many bytes (L1: 32 KiB).
let chunkBytes = 32 * 1024
/// Sieving primes up to this are small: crossed off chunk by chunk (at least 2 wheel turns a chunk; a
/// quarter of the chunk, 8 KiB, was 4-6 % slower at 10^10 and near 10^11 in the C reference).
let smallPrimeLimit = chunkBytes / 2
/// The pre-sieve removes the multiples of the primes up to this.
let preSieveLargestPrime = 97

// MARK: - Wheel steps for the large primes

/// One crossing step for wheel = ri·8 + i: the mask of the multiple and the byte step to the next one,
/// q·stepFactor + stepCorrection (primesieve's wheel table).
struct WheelStep {
    var mask: UInt8
    var stepFactor: UInt8
    var stepCorrection: UInt8
    var next: UInt8  // ri·8 + (i + 1) mod 8
}

let wheelSteps: [WheelStep] = {
    let w = wheelOffsets.map(Int.init) + [31]
    var steps: [WheelStep] = []
    for (ri, r) in w.prefix(8).enumerated() {
        for i in 0..<8 {
            steps.append(WheelStep(mask: ~(1 << wheelIndexOfResidue[r * w[i] % 30]),
                                   stepFactor: UInt8(w[i + 1] - w[i]),
                                   stepCorrection: UInt8(r * w[i + 1] / 30 - r * w[i] / 30),
                                   next: UInt8(ri * 8 + (i + 1) % 8)))
        }
    }
    return steps
}()

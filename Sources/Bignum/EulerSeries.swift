import CGMP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// e = Σ_{k≥0} 1/k! by binary splitting.
//
// Convention: the part for the range a..<b holds the terms k = a+1 ... b (b − a terms) as
//     Σ_{k=a+1}^{b} 1/((a+1)(a+2)⋯k) = P/Q,  Q = (a+1)(a+2)⋯b,
// so the part for 0..<N holds 1/1! + ⋯ + 1/N! with Q = N!, and e ≈ 1 + P/Q = (P + Q)/Q.
// Ranges that meet (a..<m, then m..<b) combine exactly: P = P_l·Q_r + P_r, Q = Q_l·Q_r.
// Q is the product of the range whatever the split, and P = Q·(the sum), so every split of
// a range gives the same P and Q, bit for bit. An empty range is P = 0, Q = 1, which combines
// as the identity; a block split of 0..<N over any number of ranks works as it is.

/// The part of the series for a range of terms: their sum is `p / q` (see `eSeriesPart`).
public struct SeriesPart: Sendable, Equatable {
    public let p: BigInt
    public let q: BigInt

    /// A part from its two integers.
    public init(p: BigInt, q: BigInt) {
        self.p = p
        self.q = q
    }

    /// The part for two adjacent ranges, `left` (a..<m) then `right` (m..<b): the part for a..<b.
    /// P = P_l·Q_r + P_r, Q = Q_l·Q_r. Associative, so parts can be combined up any tree; not
    /// commutative: the left part must come first.
    public static func combine(_ left: SeriesPart, _ right: SeriesPart) -> SeriesPart {
        let p = BigInt(), q = BigInt()
        cgmp_mul(p.mpz, left.p.mpz, right.q.mpz)
        cgmp_add(p.mpz, p.mpz, right.p.mpz)
        cgmp_mul(q.mpz, left.q.mpz, right.q.mpz)
        return SeriesPart(p: p, q: q)
    }

    /// The part as bytes, for another rank: P's byte count (8 bytes), P's bytes, Q's bytes (`BigInt.bytes()`).
    public func bytes() -> [UInt8] {
        let pBytes = p.bytes()
        return withUnsafeBytes(of: UInt64(pBytes.count).littleEndian) { Array($0) } + pBytes + q.bytes()
    }

    /// The part that `bytes()` gave.
    public init(bytes: [UInt8]) {
        precondition(bytes.count >= 10, "not the bytes of a SeriesPart")
        let pCount = Int(UInt64(littleEndian: bytes[0..<8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        precondition(pCount >= 1 && 8 + pCount < bytes.count, "not the bytes of a SeriesPart")
        self.init(p: BigInt(bytes: Array(bytes[8..<(8 + pCount)])), q: BigInt(bytes: Array(bytes[(8 + pCount)...])))
    }

    /// e − 2 as a fraction to `digits` decimals, from the part for 0..<N (N ≥ 1, all the terms
    /// combined): (P − Q)/Q, which the tail of the series after N exceeds by less than 1/N! = 1/Q.
    /// Nil when N is too small for `digits` (Q < 2^b). Its `decimals()` are e's, after "2.".
    public func eFraction(digits: Int) -> DecimalFraction? {
        precondition(q.signum > 0 && p >= q, "not the part of the series for 0..<N, N ≥ 1")
        return DecimalFraction(p - q, over: q, count: digits)
    }
}

extension SeriesPart {
    /// The top bits of Q that `eFractionHead` needs for the first `count` decimals of e − 2, as
    /// bytes for another rank: the shift t (8 bytes), then Q' = ⌊Q / 2^t⌋, which keeps b + 64 bits
    /// (b those of a fraction of `count` decimals).
    public static func headOfQ(_ q: BigInt, count: Int) -> [UInt8] {
        let shift = max(0, q.bitCount - DecimalFraction.bits(for: count) - 64)
        let top = BigInt()
        cgmp_tdiv_q_2exp(top.mpz, q.mpz, UInt(shift))
        return withUnsafeBytes(of: UInt64(shift).littleEndian) { Array($0) } + top.bytes()
    }

    /// The first `count` decimals of e − 2 from P and the top bits of Q (`headOfQ`) of the part for
    /// 0..<N, as `eFraction` would give them: a division of numbers of the head's size, not the
    /// whole's. x = (P − Q)/Q + θ/Q with 0 ≤ θ < 1; with P' = ⌊P / 2^t⌋, P = P'·2^t + p₀ and
    /// Q = Q'·2^t + q₀ (p₀, q₀ < 2^t), |P/Q − P'/Q'| = |p₀Q' − P'q₀| / (Q·Q') < P'/Q'² < 2/Q' when
    /// Q' ≤ P' < 2Q', and θ/Q < 1/Q ≤ 1/Q', so x lies within 3/Q' of (P' − Q')/Q'. Nil when that
    /// does not hold or Q' < 2^b.
    public static func eFractionHead(p: BigInt, headOfQ bytes: [UInt8], count: Int) -> DecimalFraction? {
        precondition(bytes.count > 8, "not the bytes of headOfQ")
        let shift = Int(UInt64(littleEndian: bytes[0..<8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        let qTop = BigInt(bytes: Array(bytes[8...])), pTop = BigInt()
        cgmp_tdiv_q_2exp(pTop.mpz, p.mpz, UInt(shift))
        let value = pTop - qTop
        guard value.signum >= 0 && value < qTop else { return nil }
        return DecimalFraction(value, over: qTop, count: count, error: 3)
    }
}

/// The guard digits `eSeriesTerms` adds by default: the series is summed to 10^-(digits + 20).
public let eSeriesGuardDigits = 20

/// How many terms of Σ 1/k! (after k = 0) give e to `digits` decimals: the smallest N with
/// N! > 10^(digits + guardDigits), up to a margin of 10^-6 in log10 N! that makes sure of the
/// inequality (N can be one more than the least). Then the tail Σ_{k>N} 1/k! < 1/N! is below
/// 10^-(digits + guardDigits). Sum the terms with `eSeriesPart(0..<N)`.
public func eSeriesTerms(digits: Int, guardDigits: Int = eSeriesGuardDigits) -> Int {
    precondition(digits >= 0 && guardDigits >= 0, "digits and guard digits must be at least 0")
    let target = Double(digits + guardDigits)
    // log10 N! = lgamma(N + 1) / ln 10, whose rounding error is far below the margin.
    let margin = 1e-6 + 1e-12 * target
    func enough(_ n: Int) -> Bool { lgamma(Double(n) + 1) / M_LN10 > target + margin }
    var high = 2
    while !enough(high) { high *= 2 }
    var low = high / 2  // not enough, or 1
    while high - low > 1 {
        let middle = low + (high - low) / 2
        if enough(middle) { high = middle } else { low = middle }
    }
    return max(high, 1)
}

/// The sum of the terms k = a+1 ... b of the series for `range` = a..<b (0 ≤ a ≤ b), as P/Q with
/// Q = (a+1)(a+2)⋯b: Σ_{k=a+1}^{b} 1/((a+1)⋯k). Binary splitting: the range is halved down to
/// runs of `leafTerms` terms, whose P and Q are built in machine words, and the halves combined.
/// An empty range gives P = 0, Q = 1. The result does not depend on how the range is split.
public func eSeriesPart(_ range: Range<Int>) -> SeriesPart {
    precondition(range.lowerBound >= 0, "the terms of e start at k = 1 (range 0..<N)")
    guard !range.isEmpty else { return SeriesPart(p: BigInt(0), q: BigInt(1)) }
    let p = BigInt(), q = BigInt()
    var scratch: [(p: BigInt, q: BigInt)] = []
    splitPart(range.lowerBound, range.upperBound, into: p, q, scratch: &scratch, depth: 0)
    return SeriesPart(p: p, q: q)
}

/// The terms 0..<`terms` cut into `parts` consecutive blocks of about equal cost: part i is
/// `cuts[i]..<cuts[i + 1]`, with `cuts[0]` = 0 and `cuts[parts]` = `terms`. The cost of a block
/// a..<b is taken as the bits of its Q = (a+1)⋯b, log2(b!/a!): the upper terms make larger numbers,
/// and an equal count of them costs more (at 10^7 digits the upper half of the terms took 1.18 times
/// the lower half's time; cut where the bits are equal, 0.6 s against 0.6 s). Any cuts give the
/// same P and Q; these come from floating point (`lgamma`), so ranks that must agree on them take
/// one rank's (`euler` broadcasts rank 0's).
public func eSeriesCuts(terms: Int, parts: Int) -> [Int] {
    precondition(terms >= 0 && parts >= 1, "terms at least 0, parts at least 1")
    let total: Double = lgamma(Double(terms) + 1)
    var cuts = [0]
    for part in 1..<parts {
        // The least m ≥ the previous cut with log(m!) ≥ part/parts of log(terms!).
        let target = total * Double(part) / Double(parts)
        var (low, high) = (cuts[part - 1], terms)
        while low < high {
            let middle = low + (high - low) / 2
            let logFactorial: Double = lgamma(Double(middle) + 1)
            if logFactorial < target { low = middle + 1 } else { high = middle }
        }
        cuts.append(low)
    }
    return cuts + [terms]
}

/// e as "2." followed by exactly `digits` decimals (at least 1), truncated, not rounded, from
/// `whole`, the part for 0..<N (all the terms 1/1! ... 1/N!, N ≥ 1, combined).
///
/// The digits are ⌊(P + Q)·10^digits / Q⌋ (one GMP division, then `mpz_get_str`), and they are
/// proved right, not assumed: the tail of the series after N is below 1/N! = 1/Q, so
/// e·10^digits = quotient + (remainder + θ·10^digits)/Q for some 0 < θ < 1, and the quotient is
/// e's truncation when remainder + 10^digits ≤ Q. Otherwise (too few terms for `digits`, or
/// e's digits after the last one kept so close to 999… that the guard terms cannot settle it)
/// the result is nil: ask again with more terms. With N from `eSeriesTerms(digits:)` a nil
/// needs e's decimals digits+1 ... digits+20 to be all nines.
public func eDigits(_ whole: SeriesPart, digits: Int) -> String? {
    precondition(digits >= 1, "e needs at least one decimal")
    precondition(whole.q.signum > 0 && whole.p.signum > 0, "not the part of the series for 0..<N, N ≥ 1")
    // 10^digits = 5^digits · 2^digits: the multiplication is by the smaller 5^digits, then a shift.
    let fivePower = BigInt(), scale = BigInt(), numerator = BigInt()
    cgmp_ui_pow_ui(fivePower.mpz, 5, UInt(digits))
    cgmp_mul_2exp(scale.mpz, fivePower.mpz, UInt(digits))
    cgmp_add(numerator.mpz, whole.p.mpz, whole.q.mpz)
    cgmp_mul(numerator.mpz, numerator.mpz, fivePower.mpz)
    cgmp_mul_2exp(numerator.mpz, numerator.mpz, UInt(digits))
    let quotient = BigInt(), remainder = BigInt()
    cgmp_tdiv_qr(quotient.mpz, remainder.mpz, numerator.mpz, whole.q.mpz)
    cgmp_add(remainder.mpz, remainder.mpz, scale.mpz)
    guard cgmp_cmp(remainder.mpz, whole.q.mpz) <= 0 else { return nil }
    return decimalPoint(afterFirstOf: quotient, digits: digits + 1)
}

/// e to `digits` decimals in one process: the decimals of `eFraction` of the whole part, else
/// `eDigits(_:digits:)`, retried with 20 more guard digits in the (never seen) case that neither
/// can settle them.
public func eDigits(digits: Int) -> String {
    var guardDigits = eSeriesGuardDigits
    while true {
        let whole = eSeriesPart(0..<eSeriesTerms(digits: digits, guardDigits: guardDigits))
        if let decimals = whole.eFraction(digits: digits)?.decimals() {
            return "2." + String(decoding: decimals, as: UTF8.self)
        }
        if let text = eDigits(whole, digits: digits) { return text }
        guardDigits += 20
    }
}

// MARK: Implementation

/// Terms per leaf of the binary splitting: below this the P and Q of a run are built in words.
let leafTerms = 64

/// P and Q for terms a+1 ... b (a < b), written into `p` and `q`. The right half of each split is
/// computed into a scratch pair kept per depth of the recursion and reused by every node at that
/// depth, so the whole split allocates a pair per level, not one per node (GMP keeps their limbs).
private func splitPart(_ a: Int, _ b: Int, into p: BigInt, _ q: BigInt, scratch: inout [(p: BigInt, q: BigInt)],
                       depth: Int) {
    if b - a <= leafTerms {
        leafPart(a, b, into: p, q)
        return
    }
    let middle = a + (b - a) / 2
    splitPart(a, middle, into: p, q, scratch: &scratch, depth: depth + 1)
    while scratch.count <= depth { scratch.append((BigInt(), BigInt())) }
    let right = scratch[depth]
    splitPart(middle, b, into: right.p, right.q, scratch: &scratch, depth: depth + 1)
    cgmp_mul(p.mpz, p.mpz, right.q.mpz)
    cgmp_add(p.mpz, p.mpz, right.p.mpz)
    cgmp_mul(q.mpz, q.mpz, right.q.mpz)
}

/// P and Q for terms a+1 ... b, term by term: adding term k to a run is P ← P·k + 1, Q ← Q·k.
/// The run is kept in two 64-bit words while they do not overflow, then folded into the big
/// P and Q (P ← P·q + p, Q ← Q·q), which is the same combination.
private func leafPart(_ a: Int, _ b: Int, into p: BigInt, _ q: BigInt) {
    cgmp_set_si(p.mpz, 0)
    cgmp_set_si(q.mpz, 1)
    var pWord: UInt = 0, qWord: UInt = 1
    var k = a + 1
    while k <= b {
        let factor = UInt(k)
        let (qNext, qOverflow) = qWord.multipliedReportingOverflow(by: factor)
        let (pTimes, pOverflow) = pWord.multipliedReportingOverflow(by: factor)
        let (pNext, addOverflow) = pTimes.addingReportingOverflow(1)
        if qOverflow || pOverflow || addOverflow {
            fold(p, q, pWord, qWord)
            (pWord, qWord) = (0, 1)
            continue  // the same k again, into fresh words
        }
        (pWord, qWord) = (pNext, qNext)
        k += 1
    }
    fold(p, q, pWord, qWord)
}

@inline(__always)
private func fold(_ p: BigInt, _ q: BigInt, _ pWord: UInt, _ qWord: UInt) {
    cgmp_mul_ui(p.mpz, p.mpz, qWord)
    cgmp_add_ui(p.mpz, p.mpz, pWord)
    cgmp_mul_ui(q.mpz, q.mpz, qWord)
}

/// The decimal digits of `value` (exactly `digits` of them, a positive value) with a "." after
/// the first: written by `mpz_get_str` straight into the string's storage.
private func decimalPoint(afterFirstOf value: BigInt, digits: Int) -> String {
    // Room for the point, mpz_sizeinbase (exact or one too many) digits and the terminating zero.
    let capacity = cgmp_sizeinbase(value.mpz, 10) + 3
    return String(unsafeUninitializedCapacity: capacity) { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            _ = cgmp_get_str(chars.baseAddress! + 1, 10, value.mpz)
            let written = strlen(chars.baseAddress! + 1)
            precondition(written == digits, "expected \(digits) digits, got \(written)")
            chars[0] = chars[1]
            chars[1] = CChar(UInt8(ascii: "."))
            return written + 1
        }
    }
}

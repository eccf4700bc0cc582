import CGMP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A number x in [0, 1) known only to lie in [X/2^b, (X + E)/2^b), of which the first `count`
/// decimals are wanted. The decimals come by multiplication alone, no division (a fraction
/// converts faster than an integer): the first h of n decimals are those of x itself, to fewer
/// bits, and the other n − h those of frac(x·10^h); halved down to runs of `leafDigits`, each
/// run is ⌊x·10^n⌋ through `mpz_get_str`.
///
/// Every step is proved, not assumed: x's interval [X, X + E)/2^b is carried along (E grows a
/// little at each split), and a step whose result the interval does not settle (x·10^h within
/// E·10^h/2^b below a whole number, which needs about 14 nines in a row in the decimals) gives
/// nil instead of digits. So the digits, when there are any, are x's own, whatever the split:
/// `split(at:)` on one rank and `decimals()` of the pieces on others give the same text as
/// `decimals()` of the whole.
public struct DecimalFraction: Sendable {
    /// X, b and E.
    let numerator: BigInt
    let bits: Int
    let slack: Int
    /// How many decimals are wanted.
    public let count: Int
    /// h > 0 for the rest of a split not yet worked out (`split(at:deferred:)`): the fraction is then
    /// frac(X·5^h/2^b), with X = the whole's numerator mod 2^b and E the whole's slack.
    let scaling: Int

    /// The bits kept beyond the decimals wanted: the room for E's growth and the error bound.
    static let guardBits = 64
    /// Below this many decimals a run is converted at once.
    static let leafDigits = 2_000

    /// b for `count` decimals: ⌈count·log2 10⌉ + `guardBits`.
    static func bits(for count: Int) -> Int { Int((Double(count) * M_LN10 / M_LN2).rounded(.up)) + guardBits }

    init(numerator: BigInt, bits: Int, slack: Int, count: Int, scaling: Int = 0) {
        (self.numerator, self.bits, self.slack, self.count, self.scaling) = (numerator, bits, slack, count, scaling)
    }

    /// x = `value` / `divisor` (0 ≤ value < divisor), to `count` decimals (at least 1), where the true
    /// x may exceed `value`/`divisor` by less than 1/`divisor`: nil unless `divisor` ≥ 2^b, so that
    /// the bound is within 1/2^b.
    public init?(_ value: BigInt, over divisor: BigInt, count: Int) {
        precondition(count >= 1 && value.signum >= 0 && value < divisor, "a fraction in [0, 1) to at least 1 decimal")
        let bits = Self.bits(for: count)
        guard divisor.bitCount > bits else { return nil }
        // X = ⌊value·2^b / divisor⌋: X/2^b ≤ value/divisor < (X + 1)/2^b, and the true x is below
        // value/divisor + 1/divisor ≤ value/divisor + 1/2^b, so below (X + 2)/2^b.
        self.init(numerator: Self.scaledQuotient(value, over: divisor, bits: bits), bits: bits, slack: 2, count: count)
    }

    /// x = `value` / `divisor` to `count` decimals, where the true x lies within `error`/`divisor` of
    /// `value`/`divisor` either way: nil unless `divisor` ≥ 2^b. With X₀ = ⌊value·2^b / divisor⌋,
    /// x > (X₀ − error)/2^b and x < (X₀ + 1 + error)/2^b, so X = X₀ − error and E = 2·error + 1.
    public init?(_ value: BigInt, over divisor: BigInt, count: Int, error: Int) {
        precondition(count >= 1 && error >= 0 && value.signum >= 0 && value < divisor,
                     "a fraction in [0, 1) to at least 1 decimal")
        let bits = Self.bits(for: count)
        guard divisor.bitCount > bits else { return nil }
        let quotient = Self.scaledQuotient(value, over: divisor, bits: bits)
        guard quotient >= BigInt(error) else { return nil }
        self.init(numerator: quotient - BigInt(error), bits: bits, slack: 2 * error + 1, count: count)
    }

    /// ⌊value·2^bits / divisor⌋, the one division of both initializers.
    private static func scaledQuotient(_ value: BigInt, over divisor: BigInt, bits: Int) -> BigInt {
        let scaled = BigInt(), quotient = BigInt()
        cgmp_mul_2exp(scaled.mpz, value.mpz, UInt(bits))
        cgmp_tdiv_q(quotient.mpz, scaled.mpz, divisor.mpz)
        return quotient
    }

    /// The first `high` decimals (0 < high < count) and the rest, as two fractions, or nil when
    /// x's interval does not settle where the rest starts.
    public func split(at high: Int) -> (high: DecimalFraction, low: DecimalFraction)? {
        var powers: [Int: BigInt] = [:]
        return settled(powers: &powers)?.split(at: high, powers: &powers)
    }

    /// The same split, with the rest's multiplication left to whoever converts it (another rank):
    /// the first part is a shift, so the rank that splits can start on its own decimals at once.
    /// The rest is checked when it is converted (`decimals()`, `pieces`); nil when this fraction is
    /// itself the unsettled rest of a split.
    public func split(at high: Int, deferred: Void) -> (high: DecimalFraction, low: DecimalFraction)? {
        guard let whole = settled() else { return nil }
        return (whole.highPart(high), whole.deferredRest(high))
    }

    /// The decimals cut into `parts` runs in order (a run of fewer than 2·`leafDigits` decimals is
    /// not cut further), for threads: the last run's multiplication is left to `decimals()`, so the
    /// threads do it at the same time, and that run is a fifth shorter to match
    /// (`shareWithRest`). Nil when a split is not settled.
    public func pieces(_ parts: Int) -> [DecimalFraction]? {
        settled()?.settledPieces(parts)
    }

    /// Where to cut `count` decimals between a first part of `share` of the work and the rest,
    /// whose receiver also does the cut's multiplication (about a fifth of its share's conversion).
    public static func cut(_ count: Int, share: Double) -> Int {
        min(count - 1, max(1, Int(Double(count) * (share + 0.2 * (1 - share)))))
    }

    private func settledPieces(_ parts: Int) -> [DecimalFraction]? {
        guard parts > 1, count >= 2 * Self.leafDigits else { return [self] }
        let highParts = parts / 2, cut = Self.cut(count, share: Double(highParts) / Double(parts))
        guard let left = highPart(cut).settledPieces(highParts) else { return nil }
        let rest = deferredRest(cut)
        if parts - highParts == 1 { return left + [rest] }
        guard let right = rest.settled()?.settledPieces(parts - highParts) else { return nil }
        return left + right
    }

    /// The decimals, as ASCII digits, or nil when x's interval does not settle them.
    public func decimals() -> [UInt8]? {
        var powers: [Int: BigInt] = [:]
        guard let whole = settled(powers: &powers) else { return nil }
        var ok = true
        let text = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            ok = whole.write(into: buffer.baseAddress!, powers: &powers)
            initialized = count
        }
        return ok ? text : nil
    }

    // MARK: Messages

    /// The fraction as bytes, for another rank: count, b, E and h as 8 bytes each, then X's bytes.
    public func bytes() -> [UInt8] {
        var header: [UInt8] = []
        for value in [count, bits, slack, scaling] { withUnsafeBytes(of: UInt64(value).littleEndian) { header += $0 } }
        return header + numerator.bytes()
    }

    /// The fraction that `bytes()` gave.
    public init(bytes: [UInt8]) {
        precondition(bytes.count > 32, "not the bytes of a DecimalFraction")
        let fields = (0..<4).map { field in
            Int(UInt64(littleEndian: bytes[(8 * field)..<(8 * field + 8)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        }
        self.init(numerator: BigInt(bytes: Array(bytes[32...])), bits: fields[1], slack: fields[2], count: fields[0],
                  scaling: fields[3])
    }

    // MARK: Implementation

    /// 5^exponent, computed once per exponent in one conversion (each level of the halving needs two).
    private static func power(_ exponent: Int, _ powers: inout [Int: BigInt]) -> BigInt {
        if let known = powers[exponent] { return known }
        let value = BigInt()
        cgmp_ui_pow_ui(value.mpz, 5, UInt(exponent))
        powers[exponent] = value
        return value
    }

    private func split(at high: Int, powers: inout [Int: BigInt]) -> (high: DecimalFraction, low: DecimalFraction)? {
        guard let low = deferredRest(high).settled(powers: &powers) else { return nil }
        return (highPart(high), low)
    }

    /// The first `high` decimals: x to fewer bits. X_h = ⌊X / 2^s⌋, and x < (X + E)/2^b
    /// ≤ (X_h + 1 + ⌈E/2^s⌉)/2^(b−s).
    private func highPart(_ high: Int) -> DecimalFraction {
        precondition(scaling == 0 && 0 < high && high < count, "a split inside the decimals")
        let highBits = Self.bits(for: high), shift = bits - highBits
        let highPart = BigInt()
        cgmp_tdiv_q_2exp(highPart.mpz, numerator.mpz, UInt(shift))
        return DecimalFraction(numerator: highPart, bits: highBits, slack: 1 + (shift >= 62 ? 1 : (slack + (1 << shift) - 1) >> shift),
                               count: high)
    }

    /// The rest: frac(x·10^h). With T = X·10^h = d·2^b + R, x·10^h lies in [T, T + E·10^h)/2^b, so
    /// its whole part is d and its fraction in [R, R + E·10^h)/2^b when R + E·10^h < 2^b. As
    /// 10^h = 5^h·2^h, R = (X·5^h mod 2^(b−h))·2^h, and X·5^h mod 2^(b−h) needs X mod 2^(b−h) only:
    /// the product is of smaller numbers. This keeps X mod 2^(b−h); `settled` multiplies.
    private func deferredRest(_ high: Int) -> DecimalFraction {
        precondition(scaling == 0 && 0 < high && high < count, "a split inside the decimals")
        let rest = BigInt()
        cgmp_tdiv_r_2exp(rest.mpz, numerator.mpz, UInt(bits - high))
        return DecimalFraction(numerator: rest, bits: bits - high, slack: slack, count: count - high, scaling: high)
    }

    private func settled() -> DecimalFraction? {
        var powers: [Int: BigInt] = [:]
        return settled(powers: &powers)
    }

    /// The fraction itself, the rest of a split worked out (below, R and 2^b stand for R/2^h and
    /// 2^(b−h) of `deferredRest`), or nil when x's interval does not settle it.
    private func settled(powers: inout [Int: BigInt]) -> DecimalFraction? {
        guard scaling > 0 else { return slack < 1 << 40 ? self : nil }
        let scale = Self.power(scaling, &powers)
        let rest = BigInt(), reach = BigInt()
        cgmp_mul(rest.mpz, numerator.mpz, scale.mpz)
        cgmp_tdiv_r_2exp(rest.mpz, rest.mpz, UInt(bits))
        cgmp_mul_ui(reach.mpz, scale.mpz, UInt(slack))
        guard (rest + reach).bitCount <= bits else { return nil }
        // To fewer bits: Y = ⌊R / 2^t⌋, and the fraction < (Y + 1 + ⌈E·5^h/2^t⌉)/2^(b−h−t).
        let lowBits = Self.bits(for: count), lowShift = bits - lowBits
        let lowPart = BigInt()
        cgmp_tdiv_q_2exp(lowPart.mpz, rest.mpz, UInt(lowShift))
        cgmp_tdiv_q_2exp(reach.mpz, reach.mpz, UInt(lowShift))
        guard let reachWords = reach.intValue, reachWords < 1 << 40 else { return nil }
        return DecimalFraction(numerator: lowPart, bits: lowBits, slack: 2 + reachWords, count: count)
    }

    /// Writes the `count` decimals at `out`; false when one step is not settled.
    private func write(into out: UnsafeMutablePointer<UInt8>, powers: inout [Int: BigInt]) -> Bool {
        guard count <= Self.leafDigits else {
            guard let (high, low) = split(at: count / 2, powers: &powers) else { return false }
            return high.write(into: out, powers: &powers) && low.write(into: out + high.count, powers: &powers)
        }
        // ⌊x·10^n⌋ = d when T = X·10^n = d·2^b + R and R + E·10^n < 2^b; by 5^n, as in `split`.
        let scale = Self.power(count, &powers), width = bits - count
        let product = BigInt(), rest = BigInt(), reach = BigInt()
        cgmp_mul(product.mpz, numerator.mpz, scale.mpz)
        cgmp_tdiv_r_2exp(rest.mpz, product.mpz, UInt(width))
        cgmp_mul_ui(reach.mpz, scale.mpz, UInt(slack))
        guard (rest + reach).bitCount <= width else { return false }
        cgmp_tdiv_q_2exp(product.mpz, product.mpz, UInt(width))
        // mpz_get_str writes at most sizeinbase + 1 bytes (the digits and a zero); d < 10^n.
        var digits = [CChar](repeating: 0, count: cgmp_sizeinbase(product.mpz, 10) + 2)
        _ = cgmp_get_str(&digits, 10, product.mpz)
        let length = strlen(digits)
        precondition(length <= count, "\(length) digits where \(count) were wanted")
        let zeros = count - length
        out.update(repeating: UInt8(ascii: "0"), count: zeros)
        digits.withUnsafeBytes { (out + zeros).update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: length) }
        return true
    }
}

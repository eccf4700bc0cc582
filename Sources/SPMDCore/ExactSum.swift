/// The exact sum of any number of `Double`s, rounded once at the end: the same bits whatever the
/// order of the additions, so a sum split over ranks and threads any way is bit-identical.
///
/// A superaccumulator (Kulisch): every finite double is an integer multiple of 2^-1074 below 2^1024,
/// so it is added exactly into a 2,176-bit fixed-point integer kept as 68 limbs of 32 bits in
/// `Int64`s (the high 32 bits of each absorb carries; they are propagated every 2^30 additions).
/// Infinities and NaNs are counted apart and give IEEE's answer. `value` rounds to nearest, ties
/// to even, like Python's `math.fsum`. Accumulators merge exactly (`add(_ other:)`), and their
/// `limbs` add element-wise as integers, which is how ranks combine them with one `MPI_SUM`.
public struct ExactSum: Sendable, Equatable {
    /// 2,045 + 53 bits for finite doubles, 64 more for carries, in 32-bit limbs.
    public static let limbCount = 68
    /// `limbs` has `limbCount` limbs, then the counts of +∞, −∞ and NaN.
    public static let storageCount = limbCount + 3

    private var storage: [Int64]
    private var pending = 0
    private static let pendingLimit = 1 << 30

    /// An empty sum (zero).
    public init() { storage = [Int64](repeating: 0, count: Self.storageCount) }

    /// A sum from `limbs` as another accumulator gave them, or as such arrays summed element-wise.
    public init(limbs: [Int64]) {
        precondition(limbs.count == Self.storageCount, "an exact sum has \(Self.storageCount) limbs")
        storage = limbs
        pending = 1
        normalize()
    }

    /// The accumulator as integers, carries propagated: each limb of a finite sum lies in [0, 2^32)
    /// but the top one, which holds the sign, so up to 2^31 such arrays can be summed element-wise
    /// as `Int64` without overflow (`MPI_SUM`), then given to `init(limbs:)`.
    public var limbs: [Int64] {
        var copy = self
        copy.normalize()
        return copy.storage
    }

    /// Adds `x` exactly.
    @inlinable @inline(__always)
    public mutating func add(_ x: Double) {
        withLimbs { $0.add(x) }
    }

    /// Adds every element of `values` exactly.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        var start = 0
        while start < values.count {
            let end = start + Swift.min(values.count - start, Self.pendingLimit - pending)
            storage.withUnsafeMutableBufferPointer { buffer in
                var limbs = Limbs(buffer)
                for index in start..<end { limbs.add(values[index]) }
            }
            pending += end - start
            start = end
            if pending >= Self.pendingLimit { normalize() }
        }
    }

    /// Adds `values` exactly.
    public mutating func add(contentsOf values: some Sequence<Double>) {
        for value in values { add(value) }
    }

    /// Adds another exact sum exactly.
    public mutating func add(_ other: ExactSum) {
        normalize()
        let theirs = other.limbs
        for index in storage.indices { storage[index] += theirs[index] }
        pending = 1
        normalize()
    }

    /// The exact sum rounded to the nearest double (ties to even); ±∞ beyond the largest double;
    /// NaN if a NaN was added or both infinities were.
    public var value: Double {
        let infinities = (plus: storage[Self.limbCount], minus: storage[Self.limbCount + 1])
        if storage[Self.limbCount + 2] > 0 || (infinities.plus > 0 && infinities.minus > 0) { return .nan }
        if infinities.plus > 0 { return .infinity }
        if infinities.minus > 0 { return -.infinity }
        var copy = self
        copy.normalize()
        var limbs = Array(copy.storage[..<Self.limbCount])
        let negative = limbs[Self.limbCount - 1] < 0
        if negative {
            for index in limbs.indices { limbs[index] = -limbs[index] }
            Self.propagateCarries(&limbs)
        }
        guard let top = limbs.lastIndex(where: { $0 != 0 }) else { return 0 }
        // The top three limbs hold at least 65 significant bits; the rest only decide the sticky bit.
        func limb(_ index: Int) -> UInt128 { index >= 0 ? UInt128(UInt64(limbs[index])) : 0 }
        let window = limb(top) << 64 | limb(top - 1) << 32 | limb(top - 2)
        let shift = window.leadingZeroBitCount
        let aligned = window << shift
        var significand = UInt64(truncatingIfNeeded: aligned >> 64)
        let sticky = UInt64(truncatingIfNeeded: aligned) != 0 || (top >= 3 && limbs[..<(top - 2)].contains { $0 != 0 })
        if sticky { significand |= 1 }  // 11 spare bits below the 53 kept: rounding once is exact
        // value = significand · 2^(64 − shift) · 2^(32·(top − 2) − 1074)
        let exponent = 64 - shift + 32 * (top - 2) - 1074
        let magnitude = Double(sign: .plus, exponent: exponent, significand: Double(significand))
        return negative ? -magnitude : magnitude
    }

    /// Carries propagated so that every limb but the top lies in [0, 2^32): one representation per value.
    private mutating func normalize() {
        guard pending > 0 else { return }
        storage.withUnsafeMutableBufferPointer { Self.propagateCarries(&$0, count: Self.limbCount) }
        pending = 0
    }

    private static func propagateCarries(_ limbs: inout [Int64]) {
        limbs.withUnsafeMutableBufferPointer { propagateCarries(&$0, count: $0.count) }
    }

    private static func propagateCarries(_ limbs: inout UnsafeMutableBufferPointer<Int64>, count: Int) {
        for index in 0..<(count - 1) {
            let carry = limbs[index] >> 32  // arithmetic: floor division by 2^32
            limbs[index] -= carry << 32
            limbs[index + 1] += carry
        }
    }

    @usableFromInline
    mutating func withLimbs(_ body: (inout Limbs) -> Void) {
        storage.withUnsafeMutableBufferPointer { buffer in
            var limbs = Limbs(buffer)
            body(&limbs)
        }
        pending += 1
        if pending >= Self.pendingLimit { normalize() }
    }

    public static func == (a: ExactSum, b: ExactSum) -> Bool { a.limbs == b.limbs }
}

/// The limbs of an `ExactSum` during additions, without bounds or uniqueness checks per element.
@usableFromInline
struct Limbs {
    @usableFromInline let base: UnsafeMutablePointer<Int64>

    @usableFromInline
    init(_ buffer: UnsafeMutableBufferPointer<Int64>) { base = buffer.baseAddress! }

    /// Adds the 53-bit integer significand of `x` at its bit position: three limbs touched.
    @inlinable @inline(__always)
    mutating func add(_ x: Double) {
        let bits = x.bitPattern
        let biased = Int(truncatingIfNeeded: (bits &>> 52) & 0x7ff)
        if _slowPath(biased == 0x7ff) {
            let slot = ExactSum.limbCount + (x.isNaN ? 2 : (x > 0 ? 0 : 1))
            base[slot] &+= 1
            return
        }
        // x = significand · 2^(position − 1074), position ≥ 0.
        let significand = bits & 0x000f_ffff_ffff_ffff | (biased == 0 ? 0 : 1 << 52)
        let position = biased == 0 ? 0 : biased &- 1
        let limb = position &>> 5
        let shift = UInt64(truncatingIfNeeded: position & 31)
        let negate = Int64(bitPattern: bits) &>> 63  // 0, or −1 for a negative x
        let low = Int64(bitPattern: (significand &<< shift) & 0xffff_ffff)
        let middle = Int64(bitPattern: (significand &>> (32 &- shift)) & 0xffff_ffff)
        let high = Int64(bitPattern: shift == 0 ? 0 : significand &>> (64 &- shift))
        base[limb] &+= (low ^ negate) &- negate
        base[limb &+ 1] &+= (middle ^ negate) &- negate
        base[limb &+ 2] &+= (high ^ negate) &- negate
    }
}

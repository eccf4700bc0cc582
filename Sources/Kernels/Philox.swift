import CPhilox

/// Philox4x32-10, the counter-based random number generator of Salmon, Moraes, Dror and Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3" (SC'11), as in their Random123 library.
///
/// A keyed bijection of a 128-bit counter: the numbers for counter `c` depend only on the key and
/// `c`, never on what was drawn before. A program that gives draw k the counter k gets the same
/// numbers however the draws are split over ranks and threads.
public struct Philox4x32: Sendable {
    /// The key, from the seed.
    public let key: (UInt32, UInt32)

    /// A generator keyed by a 64-bit seed (low word first).
    public init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// A generator keyed by two words, as Random123's `philox4x32_key_t`.
    public init(key: (UInt32, UInt32)) { self.key = key }

    /// The four 32-bit words for `counter` (ten rounds).
    @inlinable @inline(__always)
    public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let product1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: product1 &>> 32) ^ c1 ^ k0,
                                UInt32(truncatingIfNeeded: product1),
                                UInt32(truncatingIfNeeded: product0 &>> 32) ^ c3 ^ k1,
                                UInt32(truncatingIfNeeded: product0))
        }
        return (c0, c1, c2, c3)
    }

    /// Two uniform doubles in [0, 1) for the 64-bit counter value `index`, with the upper two
    /// counter words `stream` (53 random bits each, from words 0–1 and 2–3).
    @inlinable @inline(__always)
    public func uniformPair(_ index: UInt64, stream: UInt64 = 0) -> (Double, Double) {
        let words = block((UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index &>> 32),
                           UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream &>> 32)))
        return (Self.unit(words.0, words.1), Self.unit(words.2, words.3))
    }

    /// The top 53 bits of `high:low` as a double in [0, 1).
    @inlinable @inline(__always)
    public static func unit(_ low: UInt32, _ high: UInt32) -> Double {
        Double((UInt64(high) &<< 32 | UInt64(low)) &>> 11) * 0x1p-53
    }
}

/// Monte Carlo π: how many of the darts `range` fall inside the quarter circle x² + y² < 1.
/// Dart k is the uniform pair of counter k under `seed`, whoever throws it. Eight darts at a time
/// in AVX-512 lanes (four in AVX2) where the CPU has them, with the same bits as the scalar
/// generator above (CPhilox).
public func dartsInside(_ range: Range<Int>, seed: UInt64) -> Int {
    precondition(range.lowerBound >= 0, "darts are numbered from 0")
    return Int(cphilox_darts_inside(seed, UInt64(range.lowerBound), range.count))
}

import SPMDCore

/// How the primes of a piece are found: by the segmented sieve of Eratosthenes, or by the lesson's
/// trial division (every k by every d in 2...⌊√k⌋).
public enum PrimeMethod: String, CaseIterable, Sendable {
    case sieve, trial
}

/// A method ready for the numbers up to `limit`: the sieve with its base primes (those up to √limit,
/// made once), trial division with none.
public struct PrimeSearch: Sendable {
    public let method: PrimeMethod
    public let limit: Int
    /// The primes up to ⌊√limit⌋ for the sieve; empty for trial division.
    public let basePrimes: [Int]

    public init(_ method: PrimeMethod, limit: Int) {
        (self.method, self.limit) = (method, limit)
        basePrimes = method == .sieve ? Kernels.basePrimes(upTo: integerSquareRoot(limit)) : []
    }

    /// The primes of `piece` (every number at most `limit`), counted. The sieve takes contiguous pieces.
    public func count(_ piece: Piece) -> Int {
        switch method {
        case .sieve:
            return SegmentedSieve(range: piece.range, basePrimes: basePrimes).count()
        case .trial:
            var found = 0
            for k in piece where isPrimeByTrialDivision(k) { found += 1 }
            return found
        }
    }

    /// Calls `body` with each prime of `piece`, in ascending order.
    public func forEachPrime(_ piece: Piece, _ body: (Int) throws -> Void) rethrows {
        switch method {
        case .sieve:
            try SegmentedSieve(range: piece.range, basePrimes: basePrimes).forEachPrime(body)
        case .trial:
            for k in piece where isPrimeByTrialDivision(k) { try body(k) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// What is known of π(x), the number of primes ≤ x: published values, and an upper bound.
public enum PrimeCounts {
    /// π(10^k) for k = 1…12, OEIS A006880 (<https://oeis.org/A006880>), by N = 10^k.
    public static let published: [Int: Int] = [
        10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592, 1_000_000: 78_498, 10_000_000: 664_579,
        100_000_000: 5_761_455, 1_000_000_000: 50_847_534, 10_000_000_000: 455_052_511,
        100_000_000_000: 4_118_054_813, 1_000_000_000_000: 37_607_912_018,
    ]

    /// Where `published` comes from, as a report names it.
    public static let publishedSource = "π(N), OEIS A006880"

    /// An upper bound on the primes in `range`: at most 1.25506 x / ln x primes up to x (Rosser and
    /// Schoenfeld, 1962, for x > 1; taken at x ≥ 17 here), and never more than the numbers in it.
    public static func upperBound(in range: Range<Int>) -> Double {
        let end = Double(max(range.upperBound, 17))
        return min(Double(range.count), 1.25506 * end / log(end))
    }
}

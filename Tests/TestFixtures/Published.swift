import Foundation

/// Published values the tests check against, each kept once, with its source. Nothing here is
/// computed by the project: these are what its results are compared with.
public enum Published {
    /// π(10^k), the number of primes ≤ 10^k, for k = 1…12: `piOfPowersOfTen[k - 1]`.
    /// OEIS A006880, <https://oeis.org/A006880>.
    public static let piOfPowersOfTen = [
        4, 25, 168, 1_229, 9_592, 78_498, 664_579, 5_761_455, 50_847_534, 455_052_511, 4_118_054_813,
        37_607_912_018,
    ]

    /// e to 10,000 decimals, `2.` and the digits (10,002 characters), from Tests/Fixtures/e-10000.txt
    /// (its source is in Tests/Fixtures/README.md); empty if the file cannot be read.
    public static let e: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/e-10000.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}

import Foundation
import Testing

/// `primes --counter racy`, the lessons' unlocked `mp.Value`: under contention it really loses
/// updates, and says so beside the right count; `--counter atomic` at the same sizes never does.
@Suite(.serialized) struct RacyCounterTests {
    /// π(10^6), OEIS A006880: 78,498 updates of the shared count, one per prime.
    static let limit = "1e6", primes = 78_498

    /// The racy count, the right count and the lost updates of one `--json` run.
    static func racy(np: Int, threads: Int) throws -> (result: Int, right: Int, lost: Int) {
        let run = try Launch.run("primes", np: np, ["--limit", limit, "--counter", "racy", "--threads", "\(threads)", "--json"])
        #expect(run.status == 0, "racy np \(np) threads \(threads): \(run.stderr)")
        let report = try #require(try run.jsonObjects().first, "\(run.stdout)")
        let details = try #require(report["details"] as? [String: Any], "\(report)")
        return (try #require(report["result"] as? Int), try #require(details["right_count"] as? Int),
                try #require(details["lost_updates"] as? Int))
    }

    /// Two ranks or two threads at once on every prime lose some updates on any machine with two
    /// cores; a run that happens to interleave without a loss is retried, up to five runs.
    @Test(arguments: zip([4, 1], [1, 2]))
    func racyLosesUpdatesAtomicLosesNone(np: Int, threads: Int) throws {
        var lost = 0
        for _ in 1...5 where lost == 0 {
            let run = try Self.racy(np: np, threads: threads)
            #expect(run.right == Self.primes, "the right count, computed alongside: \(run)")
            #expect(run.result + run.lost == run.right && run.result <= run.right, "\(run)")
            lost = run.lost
        }
        #expect(lost > 0, "np \(np) threads \(threads): no update lost in five racy runs")
        for _ in 1...2 {
            let atomic = try NumericProgramTests.answer("primes", np: np, threads: threads,
                                                        ["--limit", Self.limit, "--counter", "atomic"])
            #expect(atomic.result == "\(Self.primes)", "atomic np \(np) threads \(threads): \(atomic)")
        }
    }

    /// Alone (one rank, one thread) nothing runs between a read and its write: no update is lost,
    /// so the window's load and store themselves are right.
    @Test func racyAloneLosesNothing() throws {
        let run = try Self.racy(np: 1, threads: 1)
        #expect(run.result == Self.primes && run.right == Self.primes && run.lost == 0, "\(run)")
    }

    /// The text report says the count is wrong, by how much, and what the right count is; the run
    /// itself succeeds (it is a demonstration).
    @Test func racyTextSaysItIsWrong() throws {
        let run = try Launch.run("primes", np: 4, ["--limit", Self.limit, "--counter", "racy", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let pattern = try NSRegularExpression(
            pattern: #"result      racy counter: ([0-9,]+) \(lost ([0-9,]+) updates; the right count is 78,498\)"#)
        let line = run.stdout
        let match = try #require(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), "\(line)")
        let number = { (index: Int) in Int(line[Range(match.range(at: index), in: line)!].replacingOccurrences(of: ",", with: ""))! }
        #expect(number(1) + number(2) == Self.primes, "\(line)")
        #expect(line.contains("details     right_count=78498 lost_updates=\(number(2))"), "\(line)")
    }

    /// A racy count is one run's demonstration: it is not saved, resumed or combined.
    @Test(arguments: [1, 4])
    func racyRefusesSavedJobs(np: Int) throws {
        try Launch.expectUsageErrors("primes", np: np, [
            ["--counter", "racy", "--checkpoint", "/tmp/never.ckpt"],
            ["--counter", "racy", "--part", "0/2", "--save", "/tmp/never.part"],
        ])
    }
}

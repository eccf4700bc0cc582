import Foundation
import Kernels
import Testing

/// collatz: the same answer for every split and schedule, against a plain serial loop; overflow
/// reported with the start value; bad input refused.
@Suite(.serialized) struct CollatzProgramTests {
    /// The definition, one step at a time, summed serially.
    static func serial(_ range: ClosedRange<Int>) -> (total: Int, max: Int, first: Int) {
        var total = 0, best = -1, first = 0
        for start in range {
            var n = start, steps = 0
            while n != 1 { n = n % 2 == 0 ? n / 2 : 3 * n + 1; steps += 1 }
            total += steps
            if steps > best { (best, first) = (steps, start) }
        }
        return (total, best, first)
    }

    @Test(arguments: ["block", "cyclic", "dynamic", "static"])
    func sameAnswerForEverySplit(schedule: String) throws {
        let expected = Self.serial(1...30_000)
        for split in NumericProgramTests.splits {
            let answer = try NumericProgramTests.answer("collatz", np: split.np, threads: split.threads,
                                                        ["--limit", "30000", "--schedule", schedule]
                                                        + (schedule == "dynamic" ? ["--chunk", "777"] : []))
            #expect(answer.result == "\(expected.total)", "np \(split.np) threads \(split.threads): \(answer)")
            #expect(answer.details == "{\"max_steps\":\(expected.max),\"first_k_with_max\":\(expected.first)}")
        }
    }

    /// Past the table: starts across its end (2^22), and starts across 428,528,437,128 (where single steps
    /// give way to jumps), against the lesson's algorithm (Kernels' collatzSteps), start by start.
    @Test(arguments: [(4_000_000, 4_300_000), (428_528_434_000, 428_528_440_000)])
    func sameAnswerForEverySplitPastTheTable(from: Int, limit: Int) throws {
        var total = 0, best = -1, first = 0
        for start in from...limit {
            let steps = try #require(collatzSteps(UInt64(start)))
            total += steps
            if steps > best { (best, first) = (steps, start) }
        }
        for (index, split) in NumericProgramTests.splits.enumerated() {
            let schedule = [["--schedule", "block"], ["--schedule", "dynamic", "--chunk", "1000"],
                            ["--schedule", "cyclic"]][index % 3]
            let answer = try NumericProgramTests.answer("collatz", np: split.np, threads: split.threads,
                                                        ["--from", "\(from)", "--limit", "\(limit)"] + schedule)
            #expect(answer.result == "\(total)", "np \(split.np) threads \(split.threads) \(schedule): \(answer)")
            #expect(answer.details == "{\"max_steps\":\(best),\"first_k_with_max\":\(first)}")
        }
    }

    /// `--schedule static`, the old name of block: one deprecation line on stderr from one rank,
    /// then exactly block's run (the report says block, the answer is block's).
    @Test func staticIsADeprecatedNameOfBlock() throws {
        let arguments = ["--limit", "30011", "--threads", "2", "--json"]
        let block = try Launch.run("collatz", np: 3, arguments + ["--schedule", "block"])
        let old = try Launch.run("collatz", np: 3, arguments + ["--schedule", "static"])
        #expect(old.status == 0 && block.status == 0, "\(old.stderr) \(block.stderr)")
        #expect(old.errorLines(containing: "--schedule static is deprecated").count == 1, "\(old.stderr)")
        #expect(old.stderr.split(separator: "\n").count == 1, "\(old.stderr)")
        #expect(!block.stderr.contains("deprecated"), "\(block.stderr)")
        let parameters = try old.jsonObjects().map { $0["parameters"] as? [String: Any] }
        #expect(parameters.count == 1 && parameters[0]?["schedule"] as? String == "block", "\(old.stdout)")
        #expect(try NumericProgramTests.answer(of: old, "static") == NumericProgramTests.answer(of: block, "block"))
    }

    /// The record holders below 10^7 (OEIS A006877): 8,400,511 with 685 steps.
    @Test func defaultLimitFindsTheKnownRecord() throws {
        let answer = try NumericProgramTests.answer("collatz", np: 2, threads: 1, ["--schedule", "dynamic"])
        #expect(answer.details == "{\"max_steps\":685,\"first_k_with_max\":8400511}", "\(answer)")
    }

    /// Past 2^64 − 1 the job ends with exit 1 and names the start value; nothing wraps.
    @Test func overflowEndsTheJobNamingTheStart() throws {
        let run = try Launch.run("collatz", np: 1, ["--from", "6148914691236517205", "--limit", "6148914691236517205"],
                                 timeout: 30)
        #expect(run.status == 1)
        #expect(run.errorLines(containing: "rank 0: the Collatz trajectory of 6148914691236517205 exceeds").count == 1,
                "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    static let badInput: [[String]] = [
        ["--limit", "0"], ["--limit", "-4"], ["--limit", "ten"], ["--limit", "2^63"], ["--limit", "1e30"],
        ["--from", "0"], ["--from", "10", "--limit", "5"], ["--schedule", "guided"],
        ["--schedule", "dynamic", "--chunk", "0"], ["--chunk", "100"], ["--schedule", "static", "--chunk", "100"],
        // Progress, checkpoints and parts (JobTests has the rest).
        ["--progress", "0"], ["--part", "1/2"], ["--part", "2/2", "--save", "/tmp/never.part"], ["--checkpoint-every", "0"],
        ["--combine", "/tmp/no-such.part"], ["--checkpoint", "/proc/none/c.ckpt"],
    ]

    @Test(arguments: [1, 4])
    func badInputExitsTwoWithOneMessage(np: Int) throws {
        try Launch.expectUsageErrors("collatz", np: np, Self.badInput)
    }
}

import Foundation
import TestFixtures
import Testing

/// primes: the published counts; the same count for every split, schedule and counter; the list
/// file in order; bad input refused.
@Suite(.serialized) struct PrimesProgramTests {
    @Test func sieveMatchesThePublishedCounts() throws {
        for (index, expected) in Published.piOfPowersOfTen.prefix(9).enumerated() {
            let answer = try NumericProgramTests.answer("primes", np: 2, threads: 1, ["--limit", "1e\(index + 1)"])
            #expect(answer.result == "\(expected)", "10^\(index + 1): \(answer)")
        }
        // π(2^32) = 203,280,221; π(2) = 1.
        #expect(try NumericProgramTests.answer("primes", np: 3, threads: 1, ["--limit", "2^32"]).result == "203280221")
        #expect(try NumericProgramTests.answer("primes", np: 4, threads: 1, ["--limit", "2"]).result == "1")
    }

    @Test(arguments: ["block", "cyclic", "dynamic"])
    func trialSameCountForEverySplit(schedule: String) throws {
        for (index, split) in NumericProgramTests.splits.enumerated() {
            let counter = index % 2 == 0 ? "reduce" : "atomic"
            let answer = try NumericProgramTests.answer("primes", np: split.np, threads: split.threads, [
                "--limit", "100000", "--method", "trial", "--schedule", schedule, "--counter", counter]
                + (schedule == "dynamic" ? ["--chunk", "999"] : []))
            #expect(answer.result == "9592", "\(schedule) \(counter) np \(split.np) threads \(split.threads)")
        }
    }

    @Test func sieveSameCountForEverySplitAndCounter() throws {
        for (index, split) in NumericProgramTests.splits.enumerated() {
            let options = index % 2 == 0 ? ["--counter", "atomic"] : ["--schedule", "dynamic", "--chunk", "123457"]
            let answer = try NumericProgramTests.answer("primes", np: split.np, threads: split.threads,
                                                        ["--limit", "3e6"] + options)
            #expect(answer.result == "216816", "np \(split.np) threads \(split.threads) \(options)")  // π(3·10^6)
        }
    }

    /// The list is every prime up to N, ascending, one per line: against a plain sieve written here.
    @Test func listIsEveryPrimeInOrder() throws {
        let limit = 200_003
        var composite = [Bool](repeating: false, count: limit + 1)
        var expected = ""
        for n in 2...limit where !composite[n] {
            expected += "\(n)\n"
            var multiple = n * n
            while multiple <= limit { composite[multiple] = true; multiple += n }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("primes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (np, threads) in [(1, 1), (3, 2), (4, 1)] {
            let file = folder.appendingPathComponent("list-\(np)-\(threads).txt")
            let run = try Launch.run("primes", np: np, ["--limit", "\(limit)", "--list", file.path,
                                                        "--threads", "\(threads)"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == expected, "np \(np) threads \(threads)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
    }

    static let badInput: [[String]] = [
        ["--limit", "1"], ["--limit", "0"], ["--limit", "-7"], ["--limit", "many"], ["--limit", "2^60"],
        ["--method", "wheel"], ["--schedule", "guided"], ["--schedule", "cyclic"],
        ["--schedule", "dynamic", "--chunk", "0"], ["--chunk", "100"], ["--method", "trial", "--schedule", "cyclic", "--chunk", "9"],
        ["--counter", "lock"], ["--limit", "2^33", "--list", "/tmp/never-primes.txt"],
        ["--list", "/proc/none/primes.txt"], ["--list", "/tmp"], ["--list", "/proc/primes.txt"],
        ["--progress", "-1"], ["--save", "/tmp/never.part"], ["--part", "0/1", "--save", "/proc/none/p.part"],
        ["--combine", "/tmp/no-such.part"], ["--checkpoint", "/tmp", "--part", "0/2", "--save", "/tmp/never.part"],
    ]

    @Test(arguments: [1, 4])
    func badInputExitsTwoWithOneMessage(np: Int) throws {
        try Launch.expectUsageErrors("primes", np: np, Self.badInput)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-primes.txt"))
    }
}

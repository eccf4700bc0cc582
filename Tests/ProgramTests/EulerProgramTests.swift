import Foundation
import Kernels
import TestFixtures
import Testing

/// euler: both methods give the same answer for every split; the series' digits against the
/// published fixture; bad input refused.
@Suite(.serialized) struct EulerProgramTests {
    static let fixture = Published.e

    @Test func monteCarloSameForEverySplitAndNearE() throws {
        let trials = 1_000_000
        let answer = try NumericProgramTests.sameForEverySplit("euler", ["--trials", "1e6", "--seed", "5"])
        let uniforms = uniformsToExceedOne(0..<trials, seed: 5)
        #expect(answer.details == "{\"uniforms\":\(uniforms),\"trials\":\(trials)}", "\(answer)")
        let sigma = (3 * M_E - M_E * M_E) .squareRoot() / Double(trials).squareRoot()
        #expect(abs(answer.value - M_E) < 5 * sigma, "\(answer)")
    }

    /// Every split writes the fixture's 10,000 digits, and reports its first and last 50.
    @Test func seriesDigitsMatchThePublishedDigitsForEverySplit() throws {
        #expect(Self.fixture.count == 10_002 && Self.fixture.hasPrefix("2.71828"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let decimals = Self.fixture.dropFirst(2)
        for split in NumericProgramTests.splits {
            let file = folder.appendingPathComponent("e-\(split.np)-\(split.threads).txt")
            let answer = try NumericProgramTests.answer("euler", np: split.np, threads: split.threads,
                                                        ["--method", "series", "--output", file.path])
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written == Self.fixture + "\n", "np \(split.np) threads \(split.threads)")
            #expect(answer.details.contains("\"first_50\":\"\(decimals.prefix(50))\""), "\(answer)")
            #expect(answer.details.contains("\"last_50\":\"\(decimals.suffix(50))\""), "\(answer)")
        }
        for digits in [1, 7, 50, 100] {
            let run = try Launch.run("euler", np: 3, ["--method", "series", "--digits", "\(digits)"])
            #expect(run.stdout.contains("result      \(Self.fixture.prefix(2 + digits))\n"), "\(digits): \(run.stdout)")
        }
    }

    /// Ranks that run different numbers of threads (SLURM_CPUS_PER_TASK 2, 1, 1 and 3 by rank): the
    /// blocks of equal cost follow every rank's threads, and the file is still the fixture's.
    @Test func seriesWithDifferentThreadCountsPerRank() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("e-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try Launch.run("euler", groups: [(1, ["SLURM_CPUS_PER_TASK": "2"]), (2, ["SLURM_CPUS_PER_TASK": "1"]),
                                                   (1, ["SLURM_CPUS_PER_TASK": "3"])],
                                 ["--method", "series", "--output", file.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""rank_threads":[2,1,1,3]"#), "\(run.stdout)")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.fixture + "\n")
    }

    /// A run of the decimals that is not settled (forced on the last rank by the test knob): every
    /// rank gives up its run, the rank that holds the whole part (rank 0, or its partner after a
    /// shared top) divides it out at once, and the file and the report are still the fixture's.
    @Test func unsettledRunFallsBackToOneDivision() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let decimals = Self.fixture.dropFirst(2)
        for (np, threads) in [(1, 1), (2, 1), (3, 2), (4, 1)] {
            let file = folder.appendingPathComponent("e-\(np)-\(threads).txt")
            let run = try Launch.run("euler", np: np, ["--method", "series", "--threads", "\(threads)", "--output", file.path,
                                                       "--json"],
                                     environment: ["EULER_TEST_UNSETTLED_RANK": "\(np - 1)"])
            #expect(run.status == 0, "np \(np) threads \(threads): \(run.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == Self.fixture + "\n", "np \(np) threads \(threads)")
            #expect(run.stdout.contains("\"first_50\":\"\(decimals.prefix(50))\""), "\(run.stdout)")
            #expect(run.stdout.contains("\"last_50\":\"\(decimals.suffix(50))\""), "\(run.stdout)")
        }
    }

    /// 30,000 digits cut into one block per rank (up to 5) and per thread: the same file for every
    /// split, beginning with the fixture's digits.
    @Test func seriesBlocksOverRanksAndThreadsWriteTheSameFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: Set<String> = []
        for (np, threads) in [(1, 1), (1, 2), (2, 2), (3, 1), (5, 2)] {
            let file = folder.appendingPathComponent("e-\(np)-\(threads).txt")
            let run = try Launch.run("euler", np: np, ["--method", "series", "--digits", "3e4", "--threads", "\(threads)",
                                                       "--output", file.path])
            #expect(run.status == 0, "np \(np) threads \(threads): \(run.stderr)")
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.count == 30_003 && written.hasPrefix(Self.fixture), "np \(np) threads \(threads)")
            files.insert(written)
        }
        #expect(files.count == 1)
    }

    static let badInput: [[String]] = [
        ["--method", "taylor"], ["--trials", "0"], ["--trials", "-1"], ["--trials", "many"], ["--trials", "2^60"],
        ["--seed", "x"], ["--method", "series", "--digits", "0"], ["--method", "series", "--digits", "-5"],
        ["--method", "series", "--digits", "1e9"], ["--method", "series", "--digits", "lots"],
        ["--method", "series", "--output", "/proc/none/e.txt"], ["--method", "series", "--output", "/proc/e.txt"], ["--method", "series", "--output", "/tmp"],
        ["--method", "montecarlo", "--output", "/tmp/e.txt"],
        // An option of the other method: refused, not ignored.
        ["--digits", "1e12"], ["--method", "series", "--trials", "5"], ["--method", "series", "--seed", "3"],
        // The series takes no part in progress, checkpoints and parts; Monte Carlo's bad ones.
        ["--method", "series", "--part", "0/2", "--save", "/tmp/never.part"], ["--method", "series", "--progress", "5"],
        ["--method", "series", "--combine", "/tmp/no-such.part"], ["--progress", "inf"], ["--part", "0/2"],
    ]

    @Test(arguments: [1, 4])
    func badInputExitsTwoWithOneMessage(np: Int) throws {
        try Launch.expectUsageErrors("euler", np: np, Self.badInput)
    }
}

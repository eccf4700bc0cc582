import Foundation
import Synchronization
import Testing

/// Progress, checkpoints and parts (issue 12), under real mpiexec: a run stopped at about 30% and
/// 70% and resumed at other rank and thread counts, or done as parts and combined, prints the bits
/// of an uninterrupted run; files of other jobs, damaged files and bad sets of parts are refused.
@Suite(.serialized) struct JobTests {
    /// Every program that takes part, at small sizes, each under a schedule that coordinates.
    static let jobs: [(String, [String])] = [
        ("pi", ["--darts", "1e6", "--seed", "7"]),
        ("pi", ["--darts", "1e6", "--schedule", "dynamic", "--chunk", "3000"]),
        ("euler", ["--trials", "5e5", "--seed", "3"]),
        ("collatz", ["--limit", "2e5", "--schedule", "dynamic", "--chunk", "500"]),
        ("primes", ["--limit", "3e6"]),
        ("primes", ["--limit", "3e5", "--method", "trial", "--schedule", "cyclic"]),
        ("primes", ["--limit", "3e5", "--method", "trial", "--schedule", "dynamic", "--counter", "atomic"]),
        ("integrate2d", ["--bins", "400", "--xmin", "0.25", "--ymax", "2"]),
    ]

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func answer(_ program: String, np: Int, threads: Int, _ arguments: [String]) throws -> NumericProgramTests.Answer {
        try NumericProgramTests.answer(program, np: np, threads: threads, arguments)
    }

    /// Each job's uninterrupted answer at 2 ranks of 1 thread, run once for both the resume and the
    /// parts tests (that every split gives these bits is the ForEverySplit tests' part).
    static let wholeRuns = Mutex<[String: NumericProgramTests.Answer]>([:])
    static func whole(_ program: String, _ arguments: [String]) throws -> NumericProgramTests.Answer {
        let key = ([program] + arguments).joined(separator: " ")
        if let known = wholeRuns.withLock({ $0[key] }) { return known }
        let answer = try answer(program, np: 2, threads: 1, arguments)
        if answer.result.isEmpty { return answer }  // a failed run (already recorded) is not kept
        wholeRuns.withLock { $0[key] = answer }
        return answer
    }

    /// Stops the run with the test knob at `fraction` of the work (rounds of a fiftieth), as SIGUSR1 would.
    static func stop(_ program: String, np: Int, threads: Int, at fraction: Double, _ arguments: [String],
                     checkpoint: String) throws {
        let run = try Launch.run(program, np: np, arguments + ["--threads", "\(threads)", "--checkpoint", checkpoint],
                                 environment: ["SPMD_TEST_STOP_AT": "\(fraction)"])
        let percent = Int((fraction * 100).rounded())
        #expect(run.status == 75, "\(program) \(arguments) stopped at \(percent)%: status \(run.status) \(run.stderr)")
        #expect(run.errorLines(containing: "checkpoint saved to \(checkpoint): \(percent)% done; run the same command to resume")
            .count == 1, "\(program) \(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty, "\(program): \(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: checkpoint))
    }

    // MARK: Checkpoint and resume

    @Test(arguments: jobs)
    func stoppedTwiceThenResumedGivesTheSameBits(program: String, arguments: [String]) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try Self.whole(program, arguments)
        let checkpoint = folder.appendingPathComponent("state.ckpt").path
        try Self.stop(program, np: 2, threads: 1, at: 0.3, arguments, checkpoint: checkpoint)
        try Self.stop(program, np: 3, threads: 2, at: 0.7, arguments, checkpoint: checkpoint)
        let resumed = try Self.answer(program, np: 1, threads: 2, arguments + ["--checkpoint", checkpoint])
        #expect(resumed == whole, "\(program) \(arguments): resumed \(resumed), uninterrupted \(whole)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "checkpoint or temporary left")
    }

    /// The real signal: SIGUSR1 to mpiexec (which passes it on to the ranks) once progress shows
    /// the run under way; the run saves, says so, exits 75, and the same command finishes it.
    @Test func sigusr1SavesStopsAndResumes() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--darts", "8e7", "--seed", "11"]
        let checkpoint = folder.appendingPathComponent("pi.ckpt").path
        let running = try Running("pi", np: 2, arguments + ["--threads", "1", "--checkpoint", checkpoint, "--progress", "0.1"])
        let errors = running.folder.appendingPathComponent("err")
        while running.process.isRunning, Date().timeIntervalSince(running.start) < 60,
              !((try? String(contentsOf: errors, encoding: .utf8)) ?? "").contains("% done") {
            usleep(20_000)
        }
        kill(running.pid, SIGUSR1)
        let stopped = running.finish(timeout: 60)
        #expect(stopped.status == 75, "\(stopped.stderr)")
        #expect(stopped.errorLines(containing: "checkpoint saved to \(checkpoint): ").count == 1, "\(stopped.stderr)")
        #expect(stopped.errorLines(containing: "% done; run the same command to resume").count == 1, "\(stopped.stderr)")
        #expect(stopped.stdout.isEmpty)
        let resumed = try Self.answer("pi", np: 3, threads: 1, arguments + ["--checkpoint", checkpoint])
        #expect(resumed == (try Self.answer("pi", np: 2, threads: 2, arguments)))
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
    }

    /// SIGTERM to every rank, as slurmstepd sends at the time limit, saves as SIGUSR1 does when the
    /// run has --checkpoint (Slurm then waits KillWait, 30 s by default, before SIGKILL).
    @Test func sigtermToTheRanksSavesWithCheckpoint() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--trials", "3e7", "--seed", "5"]
        let checkpoint = folder.appendingPathComponent("euler.ckpt").path
        let running = try Running("euler", np: 3, arguments + ["--threads", "1", "--checkpoint", checkpoint, "--progress", "0.1"])
        let errors = running.folder.appendingPathComponent("err")
        while running.process.isRunning, Date().timeIntervalSince(running.start) < 60,
              !((try? String(contentsOf: errors, encoding: .utf8)) ?? "").contains("% done") {
            usleep(20_000)
        }
        let ranks = running.rankPIDs()
        #expect(ranks.count == 3)
        for pid in ranks.values { kill(pid, SIGTERM) }
        let stopped = running.finish(timeout: 60)
        #expect(stopped.status == 75, "\(stopped.stderr)")
        #expect(stopped.errorLines(containing: "checkpoint saved to \(checkpoint): ").count == 1, "\(stopped.stderr)")
        #expect(stopped.errorLines(containing: "stopped by SIGTERM").isEmpty, "\(stopped.stderr)")
        let resumed = try Self.answer("euler", np: 2, threads: 2, arguments + ["--checkpoint", checkpoint])
        #expect(resumed == (try Self.answer("euler", np: 2, threads: 1, arguments)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// A checkpoint of another job or program, or a damaged one, exits 2 naming the difference, and
    /// the file is left as it was.
    @Test func foreignOrDamagedCheckpointIsRefusedAndKept() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("pi.ckpt").path
        try Self.stop("pi", np: 2, threads: 1, at: 0.3, ["--darts", "1e6"], checkpoint: checkpoint)
        let saved = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        func refused(_ program: String, _ arguments: [String], _ message: String, file: String? = nil) throws {
            let run = try Launch.run(program, np: 2, arguments + ["--checkpoint", file ?? checkpoint], timeout: 30)
            #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.errorLines(containing: message).count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        try refused("pi", ["--darts", "2e6"], "was written for --darts 1000000, not --darts 2000000")
        try refused("pi", ["--darts", "1e6", "--seed", "2"], "was written for --seed 1, not --seed 2")
        try refused("euler", ["--trials", "1e6"], "was written by pi, not euler")
        try refused("pi", ["--darts", "1e6", "--part", "0/2", "--save", folder.appendingPathComponent("p").path],
                    "was written for --part 0/1, not --part 0/2")
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == saved)
        // Damaged copies: cut short at several places, one byte changed, not a saved job at all.
        let damaged = folder.appendingPathComponent("damaged.ckpt")
        for length in [saved.count - 1, saved.count / 2, 12] {
            try saved.prefix(length).write(to: damaged)
            try refused("pi", ["--darts", "1e6"], "is truncated or corrupted", file: damaged.path)
            #expect(try Data(contentsOf: damaged) == saved.prefix(length))
        }
        var flipped = saved
        flipped[saved.count / 2] ^= 0x10
        try flipped.write(to: damaged)
        try refused("pi", ["--darts", "1e6"], "is truncated or corrupted", file: damaged.path)
        #expect(try Data(contentsOf: damaged) == flipped)
        try Data("hello\n".utf8).write(to: damaged)
        try refused("pi", ["--darts", "1e6"], "is not a saved job", file: damaged.path)
        // The intact checkpoint still resumes.
        let resumed = try Self.answer("pi", np: 2, threads: 1, ["--darts", "1e6", "--checkpoint", checkpoint])
        #expect(resumed == (try Self.answer("pi", np: 1, threads: 1, ["--darts", "1e6"])))
    }

    // MARK: Parts and combine

    @Test(arguments: jobs)
    func partsCombineToOneRun(program: String, arguments: [String]) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = (0..<3).map { folder.appendingPathComponent("part-\($0)").path }
        for (index, path) in parts.enumerated() {
            let run = try Launch.run(program, np: index + 1, arguments + ["--part", "\(index)/3", "--save", path,
                                                                          "--threads", "\(2 - index % 2)"])
            #expect(run.status == 0, "\(program) part \(index): \(run.stderr)")
            #expect(run.stdout.contains("part \(index)/3 of \(program) saved to \(path)"), "\(run.stdout)")
        }
        let combined = try Self.answer(program, np: 2, threads: 1, arguments + ["--combine", parts[2], parts[0], parts[1]])
        let whole = try Self.whole(program, arguments)
        #expect(combined == whole, "\(program) \(arguments): combined \(combined), one run \(whole)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["part-0", "part-1", "part-2"])
    }

    @Test func badSetsOfPartsAreRefusedNamingWhich() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["--limit", "1e5"]
        func part(_ index: Int, of count: Int, _ extra: [String] = []) throws -> String {
            let path = folder.appendingPathComponent("p\(index)-\(count)\(extra.joined())").path
            let run = try Launch.run("primes", np: 2, arguments + extra + ["--part", "\(index)/\(count)", "--save", path])
            #expect(run.status == 0, "\(run.stderr)")
            return path
        }
        let (p0, p1, p2) = (try part(0, of: 3), try part(1, of: 3), try part(2, of: 3))
        let other = try part(1, of: 2)
        let foreign = folder.appendingPathComponent("foreign").path
        #expect(try Launch.run("primes", np: 1, ["--limit", "2e5", "--part", "1/3", "--save", foreign]).status == 0)
        let checkpoint = folder.appendingPathComponent("c.ckpt").path
        try Self.stop("primes", np: 1, threads: 1, at: 0.3, arguments, checkpoint: checkpoint)
        let cases: [([String], String)] = [
            ([p0, p1, p1, p2], "part 1/3 is given twice: \(p1) and \(p1)"),
            ([p0, p2], "part 1/3 is missing"),
            ([p0, foreign, p2], "part \(foreign) was written for --limit 200000, not --limit 100000"),
            ([p0, other, p2], "is part 1/2"),
            ([p0, p1, checkpoint], "\(checkpoint) is a checkpoint, not a part"),
            ([p0, p1, folder.appendingPathComponent("none").path], "No such file or directory"),
        ]
        for (files, message) in cases {
            let run = try Launch.run("primes", np: 2, arguments + ["--combine"] + files, timeout: 30)
            #expect(run.status == 2, "\(files): \(run.status) \(run.stderr)")
            #expect(run.errorLines(containing: message).count == 1, "\(files): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        // Another program's part.
        let piPart = folder.appendingPathComponent("pi-part").path
        #expect(try Launch.run("pi", np: 1, ["--darts", "1e5", "--part", "0/1", "--save", piPart]).status == 0)
        let run = try Launch.run("primes", np: 2, arguments + ["--combine", piPart], timeout: 30)
        #expect(run.status == 2 && run.errorLines(containing: "was written by pi, not primes").count == 1, "\(run.stderr)")
    }

    // MARK: Progress

    @Test(arguments: [("pi", ["--darts", "2e6"]), ("collatz", ["--limit", "3e5"]), ("integrate2d", ["--bins", "600"])])
    func progressPrintsLinesAndKeepsTheBits(program: String, arguments: [String]) throws {
        let plain = try Self.answer(program, np: 2, threads: 1, arguments)
        let run = try Launch.run(program, np: 3, arguments + ["--threads", "1", "--json", "--progress", "0.001"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.errorLines(containing: "% done")
        #expect(lines.count >= 2, "\(run.stderr)")
        #expect(lines.last?.hasPrefix("\(program): 100.0% done") == true, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("\(program): ") }, "\(run.stderr)")
        let withProgress = try Self.answer(program, np: 3, threads: 1, arguments + ["--progress", "0.001"])
        #expect(withProgress == plain)
    }

    // MARK: Bad usage

    static let badJobOptions: [(String, [String])] = [
        ("pi", ["--part", "1/2"]), ("pi", ["--save", "/tmp/never.part"]), ("pi", ["--part", "2/2", "--save", "/tmp/never.part"]),
        ("pi", ["--part", "-1/2", "--save", "/tmp/never.part"]), ("pi", ["--part", "1", "--save", "/tmp/never.part"]),
        ("pi", ["--part", "0/0", "--save", "/tmp/never.part"]), ("pi", ["--progress", "0"]), ("pi", ["--progress", "x"]),
        ("pi", ["--progress", "nan"]), ("pi", ["--checkpoint-every", "-1"]), ("pi", ["--checkpoint", "/proc/no/such.ckpt"]),
        ("pi", ["--checkpoint", "/tmp"]), ("pi", ["--checkpoint", "/tmp/never.ckpt", "--repeat", "2"]),
        ("pi", ["--combine"]), ("pi", ["--combine", "/tmp/no-such.part"]),
        ("pi", ["--combine", "/tmp/no-such.part", "--part", "0/2", "--save", "/tmp/never.part"]),
        ("pi", ["--part", "0/2", "--save", "/tmp/never.ckpt", "--checkpoint", "/tmp/never.ckpt"]),
        ("collatz", ["--progress", "-1"]), ("collatz", ["--part", "3/3", "--save", "/tmp/never.part"]),
        ("primes", ["--save", "/proc/no/such.part", "--part", "0/2"]), ("integrate2d", ["--checkpoint", ""]),
        ("euler", ["--method", "series", "--checkpoint", "/tmp/never.ckpt"]),
        ("euler", ["--method", "series", "--progress", "1"]),
        ("whereami", ["--checkpoint", "/tmp/never.ckpt"]), ("pingpong", ["--progress", "1"]),
        ("parallel-map", ["--part", "0/2", "--save", "/tmp/never.part"]),
    ]

    @Test(arguments: [1, 3])
    func badJobOptionsExitTwoWithOneMessage(np: Int) throws {
        for program in Set(Self.badJobOptions.map(\.0)) {
            try Launch.expectUsageErrors(program, np: np, Self.badJobOptions.filter { $0.0 == program }.map(\.1))
        }
        for path in ["/tmp/never.part", "/tmp/never.ckpt"] { #expect(!FileManager.default.fileExists(atPath: path)) }
    }

    /// euler's series and the programs that cannot take part say why in --help.
    @Test(arguments: ["whereami", "pingpong", "parallel-map", "euler"])
    func helpSaysWhyNot(program: String) throws {
        let run = try Launch.run(program, np: 1, ["--help"], timeout: 30)
        #expect(run.status == 0)
        let text = run.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains(program == "euler" ? "apply to --method montecarlo" : "No --progress, --checkpoint or --part"),
                "\(run.stdout)")
    }
}

import Foundation
import Testing

/// Nothing lost, nothing left behind: a full disk, a stopping signal or a failing rank never leaves
/// a corrupt output, a temporary file or a waiting rank, and says what happened in one line.
/// Real mpiexec, real tmpfs mounts and real memory cgroups (the tests run as root, as CI does).
@Suite(.serialized) struct NothingLostTests {
    /// The three programs that write one shared file, each at a size a 64 KiB disk cannot hold:
    /// 80 KB of Float64, 100,001 digits of e, and 17,984 primes as text (126 KB).
    static let writers: [(program: String, arguments: [String])] = [
        ("parallel-map", ["--size", "1e4", "--output"]),
        ("euler", ["--method", "series", "--digits", "1e5", "--output"]),
        ("primes", ["--limit", "2e5", "--list"]),
    ]

    @Test(arguments: 0..<3, [1, 3])
    func fullDiskEndsTheJobAndKeepsTheOldFile(writer: Int, np: Int) throws {
        let (program, arguments) = Self.writers[writer]
        let disk = try SmallDisk(size: "64k")
        defer { disk.remove() }
        let path = disk.path + "/result"
        try Data("the previous result\n".utf8).write(to: URL(fileURLWithPath: path))

        let run = try Launch.run(program, np: np, arguments + [path], timeout: 120)
        #expect(run.status == 1, "\(program) np \(np): status \(run.status) \(run.stderr)")
        #expect(run.errorLines(containing: "rank 0: writing \(path): No space left on device").count == 1,
                "\(program) np \(np): \(run.stderr)")
        #expect(programLines(run).count == 1, "\(program) np \(np): one line from the program: \(run.stderr)")
        #expect(run.stdout.isEmpty, "\(program) np \(np): no report for a failed run: \(run.stdout)")
        #expect(disk.files() == ["result"], "\(program) np \(np): nothing left beside the old file")
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "the previous result\n",
                "\(program) np \(np): the old file is untouched")
    }

    /// A signal while the ranks write: the job ends promptly, no rank is left, the temporary file is gone, and no
    /// file appears under the output's name.
    enum Target: String, CaseIterable, CustomStringConvertible {
        case oneRank, everyRank, mpiexec
        var description: String { rawValue }
    }

    @Test(arguments: [(Target.oneRank, SIGTERM, 3), (.everyRank, SIGTERM, 2), (.mpiexec, SIGTERM, 3),
                      (.oneRank, SIGINT, 2), (.everyRank, SIGHUP, 3), (.mpiexec, SIGINT, 2)])
    func signalWhileWritingLeavesNothing(target: Target, signal: Int32, np: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/map.f64"
        // 480 MB: the write and its sync take long enough to be caught in the act. On a loaded machine
        // this process may not look in time; a run that finished first is started again (3 tries).
        var caught: Running?
        for _ in 1...3 where caught == nil {
            let running = try Running("parallel-map", np: np, ["--size", "6e7", "--output", output])
            let deadline = Date().addingTimeInterval(90)
            while running.process.isRunning, Date() < deadline,
                  !(FileManager.default.files(in: folder).contains { $0.contains(".partial-") }) {
                usleep(1_000)
            }
            if FileManager.default.files(in: folder).contains(where: { $0.contains(".partial-") }) {
                caught = running
            } else {
                let run = running.finish(timeout: 60)
                try #require(run.status == 0, "the run failed before writing: \(run.stderr)")
                try? FileManager.default.removeItem(atPath: output)
            }
        }
        guard let running = caught else {
            Issue.record("the temporary file was never seen in 3 runs")
            return
        }
        let ranks = running.rankPIDs()
        try #require(ranks.count == np, "found the ranks: \(ranks)")
        let signalled = Date()
        switch target {
        case .oneRank: kill(ranks[np - 1]!, signal)
        case .everyRank: for pid in ranks.values { kill(pid, signal) }
        case .mpiexec: kill(running.pid, signal)
        }
        let run = running.finish(timeout: 60)
        let seconds = Date().timeIntervalSince(signalled)
        let name = [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP"][signal]!
        let label = "\(name) to \(target) at np \(np)"
        #expect(!run.timedOut, "\(label)")
        #expect(run.status != 0, "\(label): status \(run.status)")
        #expect(seconds < Launch.promptly, "\(label): ended \(seconds) s after the signal")
        // The ranks may still be on their way out when mpiexec returns, and a rank killed outright
        // leaves the file to rank 0's janitor process: both get a moment more, within the same bound.
        let cleaned = Date().addingTimeInterval(Launch.promptly)
        while !(FileManager.default.files(in: folder).isEmpty && Running.alive(Array(ranks.values)).isEmpty),
              Date() < cleaned {
            usleep(5_000)
        }
        #expect(Running.alive(Array(ranks.values)).isEmpty, "\(label): ranks left running")
        #expect(FileManager.default.files(in: folder).isEmpty, "\(label): left \(FileManager.default.files(in: folder))")
        let stopped = run.errorLines(containing: "stopped by")
        #expect(stopped.allSatisfy { $0.hasSuffix("stopped by \(name)") }, "\(label): \(run.stderr)")
        switch target {
        case .oneRank:
            // The rank says it was stopped; the ranks the launcher ends after it say nothing.
            #expect(stopped == ["rank \(np - 1): stopped by \(name)"], "\(label): \(run.stderr)")
            #expect(run.status == 128 + signal, "\(label): status \(run.status)")
        case .everyRank:
            #expect(!stopped.isEmpty, "\(label): \(run.stderr)")
            #expect(run.status == 128 + signal, "\(label): status \(run.status)")
        case .mpiexec:
            break  // Open MPI's mpiexec stops passing on the ranks' output once it is signalled.
        }
    }

    @Test(arguments: [2, 4])
    func failureWhileOthersWriteLeavesNothing(np: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rank = np - 1
        let run = try Launch.run("layer-check", np: np,
                                 ["--fail-while-writing-on-rank", "\(rank)", "--fault-output", folder + "/fault.bin"],
                                 timeout: 60)
        #expect(!run.timedOut)
        #expect(run.status == 1, "status \(run.status) \(run.stderr)")
        #expect(run.seconds < Launch.promptly, "took \(run.seconds) s")
        #expect(programLines(run) == ["rank \(rank): injected failure while writing"], "\(run.stderr)")
        #expect(FileManager.default.files(in: folder).isEmpty, "left \(FileManager.default.files(in: folder))")
    }

    // MARK: Limits refused before any work

    @Test(arguments: [1, 4])
    func threadsBeyondTheSystemExitTwo(np: Int) throws {
        let run = try Launch.run("whereami", np: np, ["--threads", "100000"], timeout: 30)
        #expect(run.status == 2, "status \(run.status) \(run.stderr)")
        #expect(run.errorLines(containing: "whereami: 100000 threads per rank").count == 1, "\(run.stderr)")
        #expect(run.errorLines(containing: "the system allows at most").count == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    /// Problems whose buffers cannot fit the memory the job is given: a real memory cgroup of 200 MB
    /// (as Slurm's `--mem` makes one), and sizes that need more on some rank.
    @Test(arguments: [
        ("parallel-map", ["--size", "1e8"], "--size 100000000 gathered on rank 0: it needs 0.8 GB"),
        ("euler", ["--method", "series", "--digits", "1e8"], "--digits 100000000 on rank 0: it needs 1.0 GB"),
        ("primes", ["--limit", "2^32", "--list", "/tmp/never-listed.txt"], "--list up to 4294967296 on rank 0"),
    ])
    func problemsBeyondTheMemoryExitTwo(program: String, arguments: [String], message: String) throws {
        let group = try MemoryGroup(limit: 200_000_000)
        defer { group.remove() }
        for np in [1, 2] {
            let run = try Launch.run(program, np: np, arguments, prefix: group.enter, timeout: 60)
            #expect(run.status == 2, "\(program) np \(np): status \(run.status) \(run.stderr)")
            #expect(run.errorLines(containing: "\(program): \(message)").count == 1, "\(program) np \(np): \(run.stderr)")
            #expect(run.errorLines(containing: "the node gives this job 0.2 GB").count == 1, "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-listed.txt"))
    }

    // MARK: Helpers

    /// The program's own lines on standard error (`rank R: …`), without mpiexec's banners.
    func programLines(_ run: Launch) -> [Substring] {
        run.stderr.split(separator: "\n").filter { $0.range(of: #"^rank [0-9]+: "#, options: .regularExpression) != nil }
    }

    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nothing-lost-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}

extension FileManager {
    /// The names in `folder`, hidden ones included, sorted.
    func files(in folder: String) -> [String] { ((try? contentsOfDirectory(atPath: folder)) ?? []).sorted() }
}

/// Runs a command and returns its exit status (output discarded).
@discardableResult
func system(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// A tmpfs of `size` mounted on a new folder: a real disk that fills up.
struct SmallDisk {
    let path: String

    init(size: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("small-disk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = try system(["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
        if status != 0 {
            try? FileManager.default.removeItem(atPath: path)
            throw TestSetupError("cannot mount a tmpfs on \(path) (status \(status)): these tests run as root")
        }
    }

    func files() -> [String] { FileManager.default.files(in: path) }

    func remove() {
        _ = try? system(["umount", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A memory cgroup with a limit, below this process's own, and the command prefix that runs a
/// command in it.
struct MemoryGroup {
    let path: String

    init(limit: Int) throws {
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        let name = "spmd-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        var made: String?
        for line in own.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[1].split(separator: ",").contains("memory") {
                let folder = "/sys/fs/cgroup/\(fields[1])\(fields[2] == "/" ? "" : fields[2])/\(name)"
                if mkdir(folder, 0o755) == 0 {
                    if (try? "\(limit)".write(toFile: folder + "/memory.limit_in_bytes", atomically: false, encoding: .utf8)) != nil {
                        made = folder
                    } else { rmdir(folder) }
                }
            } else if fields[0] == "0", fields[1].isEmpty {
                let folder = "/sys/fs/cgroup\(fields[2] == "/" ? "" : fields[2])/\(name)"
                if mkdir(folder, 0o755) == 0 {
                    if (try? "\(limit)".write(toFile: folder + "/memory.max", atomically: false, encoding: .utf8)) != nil {
                        made = folder
                    } else { rmdir(folder) }
                }
            }
            if made != nil { break }
        }
        guard let made else { throw TestSetupError("cannot make a memory cgroup here (as root, cgroup v1 or v2)") }
        path = made
    }

    /// `sh -c 'echo $$ > …/cgroup.procs && exec "$@"' sh`: the launched command runs in the group.
    var enter: [String] { ["sh", "-c", "echo $$ > \(path)/cgroup.procs && exec \"$@\"", "sh"] }

    func remove() {
        for _ in 0..<100 where rmdir(path) != 0 { usleep(20_000) }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import Testing

/// Every program and the layer, launched under real mpiexec at several rank counts.
/// Serialized: each job already uses every core of the machine.
@Suite(.serialized) struct ProgramTests {
    static let programs = ProgramList.names + ["layer-check"]   // Package.swift's list (ProgramListTests)
    static let rankCounts = [1, 2, 3, 4]

    // MARK: The MPI layer

    @Test(arguments: rankCounts)
    func layerCheckPasses(np: Int) throws {
        let run = try Launch.run("layer-check", np: np)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("checks passed on \(np) rank"), "\(run.stdout)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    /// layer-check says what it left out and what it worked around on this library, and both lists are
    /// exactly the known ones: nothing left out on one host, and one workaround, only under Intel MPI's
    /// standard-ABI library (it ignores MPI_ERRORS_RETURN; scripts/abi-errors.c). A new library bug
    /// worked around, or a check quietly dropped, fails here until it is written down.
    @Test func layerCheckReportsExactlyItsWorkarounds() throws {
        let run = try Launch.run("layer-check", np: 2, ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try run.jsonObjects().first)
        let library = report["mpi_library"] as? String ?? ""
        let details = report["details"] as? [String: Any] ?? [:]
        let workarounds = details["workarounds"] as? [String] ?? []
        #expect(details["left_out"] == nil, "\(details)")
        // The library the launch was meant to load (make test-abi-intelmpi: Intel MPI's), so that a
        // run that quietly loaded another passes nothing.
        if let expected = ProcessInfo.processInfo.environment["EXPECT_MPI_LIBRARY"] {
            #expect(library.contains(expected), "expected \(expected), ran on \(library)")
        }
        let abi = ProcessInfo.processInfo.environment["MPI"] == "abi"
        if abi && library.contains("Intel(R) MPI") {
            #expect(workarounds.count == 1, "\(workarounds)")
            #expect(workarounds.allSatisfy { $0.contains("ignores MPI_ERRORS_RETURN") }, "\(workarounds)")
        } else {
            #expect(workarounds.isEmpty, "on \(library): \(workarounds)")
        }
        #expect(Set(details.keys).isSubset(of: ["left_out", "workarounds"]), "\(details)")
    }

    @Test func layerCheckPassesWithThreadsAndRepeats() throws {
        let run = try Launch.run("layer-check", np: 3, ["--threads", "2", "--repeat", "2", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try run.jsonObjects()
        #expect(objects.count == 2)
        #expect(objects.map { $0["run"] as? Int } == [1, 2])
        #expect(objects.allSatisfy { $0["threads"] as? Int == 2 && $0["ranks"] as? Int == 3 })
    }

    // MARK: Faults end the whole job, fast, naming the rank, in one line

    @Test(arguments: [2, 3, 4])
    func errorOnOneRankEndsTheJob(np: Int) throws {
        let rank = np - 1
        let run = try Launch.run("layer-check", np: np, ["--fail-on-rank", "\(rank)"], timeout: 30)
        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(run.seconds < Launch.promptly, "took \(run.seconds) s")
        #expect(run.errorLines(containing: "rank \(rank): injected failure").count == 1, "\(run.stderr)")
    }

    /// A body that throws on one rank in the middle of a dynamic schedule (the others still taking
    /// chunks, rank 0's server still answering) ends the job at once, rank 0 failing included.
    @Test(arguments: [(2, 0), (3, 2), (4, 3), (4, 0)])
    func errorInDynamicScheduleEndsTheJob(np: Int, rank: Int) throws {
        let run = try Launch.run("layer-check", np: np, ["--fail-in-dynamic-on-rank", "\(rank)", "--threads", "2"],
                                 timeout: 30)
        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(run.seconds < Launch.promptly, "took \(run.seconds) s")
        #expect(run.errorLines(containing: "rank \(rank): injected failure in a dynamic schedule").count == 1,
                "\(run.stderr)")
        #expect(run.errorLines(containing: "dropped").isEmpty, "\(run.stderr)")
    }

    @Test func crashOnOneRankIsOneLine() throws {
        let run = try Launch.run("layer-check", np: 3, ["--crash-on-rank", "1"], timeout: 30)
        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(run.seconds < Launch.promptly, "took \(run.seconds) s")
        #expect(run.errorLines(containing: "rank 1: crashed").count == 1, "\(run.stderr)")
        // Neither Swift's backtrace report nor Open MPI's stack dump.
        #expect(run.errorLines(containing: "Backtrace").isEmpty && run.errorLines(containing: "Thread 0").isEmpty,
                "\(run.stderr)")
        #expect(run.errorLines(containing: "[ 0]").isEmpty, "\(run.stderr)")
    }

    @Test func killedRankEndsTheJob() throws {
        let run = try Launch.run("layer-check", np: 3, ["--kill-rank", "2"], timeout: 30)
        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(run.seconds < Launch.promptly, "took \(run.seconds) s")
    }

    @Test func droppedRequestIsNeverSilent() throws {
        let run = try Launch.run("layer-check", np: 2, ["--drop-request-on-rank", "1"], timeout: 30)
        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(run.errorLines(containing: "rank 1: a nonblocking request was dropped").count == 1, "\(run.stderr)")
    }

    // MARK: Bad usage: exit 2, one message, from one rank, fast

    static let badOptions: [[String]] = [["--bogus"], ["--threads", "0"], ["--threads", "abc"], ["--repeat", "0"],
                                         ["--threads", "-2"]]

    @Test(arguments: programs, [1, 4])
    func badOptionsExitTwoWithOneMessage(program: String, np: Int) throws {
        try Launch.expectUsageErrors(program, np: np, Self.badOptions)
    }

    @Test(arguments: programs)
    func malformedSlurmCPUsExitsTwo(program: String) throws {
        let run = try Launch.run(program, np: 2, environment: ["SLURM_CPUS_PER_TASK": "lots"], timeout: 30)
        #expect(run.status == 2)
        #expect(run.errorLines(containing: "SLURM_CPUS_PER_TASK=lots").count == 1, "\(run.stderr)")
    }

    @Test(arguments: programs)
    func helpIsPrintedOnce(program: String) throws {
        let run = try Launch.run(program, np: 2, ["--help"], timeout: 30)
        #expect(run.status == 0)
        #expect(run.stdout.components(separatedBy: "USAGE:").count == 2, "\(run.stdout)")
        #expect(run.stdout.contains("--threads") && run.stdout.contains("--json") && run.stdout.contains("--repeat"))
    }
}

import Foundation
import Testing

extension ProgramTests {
    // MARK: The report

    @Test(arguments: rankCounts)
    func jsonReportHasTheAgreedFields(np: Int) throws {
        let run = try Launch.run("whereami", np: np, ["--json", "--repeat", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try run.jsonObjects()
        #expect(objects.count == 2)
        for object in objects {
            for key in ["program", "run", "parameters", "ranks", "threads", "threads_source", "rank_threads", "result",
                        "details", "exact", "error", "compute_seconds", "wall_seconds", "rank_seconds", "imbalance", "hosts",
                        "mpi_library"] {
                #expect(object[key] != nil, "missing \(key)")
            }
            #expect(object["program"] as? String == "whereami")
            #expect(object["ranks"] as? Int == np)
            let seconds = object["rank_seconds"] as? [Double] ?? []
            #expect(seconds.count == np)
            #expect(object["compute_seconds"] as? Double == seconds.max())
            #expect((object["imbalance"] as? Double ?? 0) >= 1)
            #expect((object["wall_seconds"] as? Double ?? 0) >= (object["compute_seconds"] as? Double ?? 1))
            #expect((object["rank_threads"] as? [Int])?.count == np)
            #expect((object["hosts"] as? [String])?.isEmpty == false)
            #expect(!(object["mpi_library"] as? String ?? "").isEmpty)
        }
    }

    // MARK: whereami

    @Test(arguments: rankCounts)
    func whereamiListsEveryRankAndThread(np: Int) throws {
        let run = try Launch.run("whereami", np: np, ["--threads", "2", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let places = try run.jsonObjects().first?["result"] as? [[String: Any]] ?? []
        let pairs = places.map { [$0["rank"] as? Int ?? -1, $0["thread"] as? Int ?? -1] }
        #expect(pairs == (0..<np).flatMap { rank in (0..<2).map { [rank, $0] } })
        #expect(places.allSatisfy { !($0["cpus"] as? String ?? "").isEmpty && !($0["host"] as? String ?? "").isEmpty })
    }

    @Test func threadsComeFromSlurmThenOption() throws {
        let slurm = try Launch.run("whereami", np: 2, ["--json"], environment: ["SLURM_CPUS_PER_TASK": "3"])
        let object = try slurm.jsonObjects().first ?? [:]
        #expect(object["threads"] as? Int == 3)
        #expect(object["threads_source"] as? String == "SLURM_CPUS_PER_TASK")
        #expect((object["result"] as? [Any])?.count == 6)
        let option = try Launch.run("whereami", np: 1, ["--json", "--threads", "2"],
                                    environment: ["SLURM_CPUS_PER_TASK": "3"])
        #expect(try option.jsonObjects().first?["threads"] as? Int == 2)
    }

    /// Without --threads or Slurm, the count is the CPUs the rank is bound to, never more than the machine has.
    @Test func threadsDefaultToTheBinding() throws {
        let run = try Launch.run("whereami", np: 2, ["--json"])
        let object = try run.jsonObjects().first ?? [:]
        let threads = object["threads"] as? Int ?? 0
        #expect(threads >= 1 && threads <= ProcessInfo.processInfo.activeProcessorCount)
        #expect((object["threads_source"] as? String ?? "").hasPrefix("binding"))
        let places = object["result"] as? [[String: Any]] ?? []
        // Every rank's threads are bound to as many CPUs as it runs threads.
        for place in places {
            let cpus = (place["cpus"] as? String ?? "").split(separator: ",").reduce(0) { total, part in
                let ends = part.split(separator: "-").compactMap { Int($0) }
                return total + (ends.count == 2 ? ends[1] - ends[0] + 1 : 1)
            }
            #expect(cpus == threads, "\(place)")
        }
    }

    /// More ranks than cores (unbound, oversubscribed): the ranks share the CPUs instead of each taking all.
    @Test func unboundRanksShareTheirCPUs() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let run = try Launch.run("whereami", np: 4, ["--json"])
        let object = try run.jsonObjects().first ?? [:]
        let rankThreads = object["rank_threads"] as? [Int] ?? []
        #expect(rankThreads.count == 4)
        #expect(rankThreads.reduce(0, +) <= max(cores, 4), "\(rankThreads) threads on \(cores) cores")
    }

    @Test func whereamiTextReport() throws {
        let run = try Launch.run("whereami", np: 2)
        #expect(run.status == 0)
        #expect(run.stdout.contains("2 ranks × 1 thread"), "\(run.stdout)")
        #expect(run.stdout.contains("bound to CPUs"))
    }

    // MARK: pingpong

    /// Every size from 1 B to 1 MiB measured once, in order, with numbers that could be true: a one-way
    /// trip under a second (generous for a loaded machine), bandwidth the bytes over that latency (MB/s is
    /// B/µs), and from 64 KiB on, under 200 GB/s, more than a core's memory copy can reach, so a size
    /// that was echoed but not sent, or a latency in the wrong unit, fails.
    @Test(arguments: [2, 3])
    func pingpongMeasuresEverySize(np: Int) throws {
        let run = try Launch.run("pingpong", np: np, ["--max-size", "2^20", "--iterations", "20", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.jsonObjects().first, "\(run.stdout) \(run.stderr)")
        let parameters = object["parameters"] as? [String: Any] ?? [:]
        #expect(parameters["min_size"] as? Int == 1 && parameters["max_size"] as? Int == 1 << 20
                && parameters["iterations"] as? Int == 20, "\(parameters)")
        let rows = object["result"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["bytes"] as? Int ?? 0 } == (0...20).map { 1 << $0 })
        for row in rows {
            let bytes = Double(row["bytes"] as? Int ?? 0)
            let latency = row["latency_us"] as? Double ?? 0, bandwidth = row["bandwidth_MBps"] as? Double ?? 0
            #expect(latency > 0 && latency < 1e6, "\(row)")
            #expect(abs(bandwidth - bytes / latency) <= 1e-9 * bandwidth, "bandwidth is bytes / latency: \(row)")
            if bytes >= 65_536 { #expect(bandwidth < 2e5, "faster than a memory copy: \(row)") }
        }
        #expect(run.stdout.contains(#""ranks":\#(np)"#), "\(run.stdout)")
    }

    @Test func pingpongTextTable() throws {
        let run = try Launch.run("pingpong", np: 2, ["--min-size", "1e3", "--max-size", "4096", "--iterations", "10"])
        #expect(run.status == 0)
        let rows = run.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(rows.map { $0.split(separator: " ").first.map(String.init) } == ["1024", "2048", "4096"])
    }

    @Test(arguments: [1, 4])
    func pingpongRejectsBadSizes(np: Int) throws {
        for options in Launch.usageSample([["--max-size", "0"], ["--min-size", "8", "--max-size", "4"], ["--max-size", "1e10"],
                                           ["--iterations", "0"], ["--max-size", "1.5"], ["--min-size", "abc"]], np: np) {
            let run = try Launch.run("pingpong", np: np, options, timeout: 30)
            #expect(run.status == 2, "\(options)")
            #expect(run.errorLines(containing: "pingpong:").count == 1, "\(options): \(run.stderr)")
            #expect(run.seconds < Launch.promptly, "\(options) took \(run.seconds) s")
        }
    }

    @Test(arguments: [1])
    func pingpongNeedsTwoRanks(np: Int) throws {
        let run = try Launch.run("pingpong", np: np, timeout: 30)
        #expect(run.status == 2)
        #expect(run.errorLines(containing: "pingpong: needs at least 2 ranks").count == 1, "\(run.stderr)")
        #expect(run.seconds < Launch.promptly)
    }
}

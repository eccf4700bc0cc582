/// One run as rank 0 reports it: a text block for people, or one JSON object per line for tools.
struct Report {
    let program: String
    let parameters: [(String, JSONValue)]
    let run: Int
    let runs: Int
    let threadCount: ThreadCount
    let rankThreads: [Int]
    let outcome: Outcome
    /// Each rank's compute time (its `measure`d local work, else the whole compute call).
    let rankSeconds: [Double]
    /// From the barrier before the run until the last rank finished it.
    let wallSeconds: Double
    /// Each rank's node.
    let rankHosts: [String]
    let library: String

    var ranks: Int { rankSeconds.count }
    /// The slowest rank's compute time: what the run costs.
    var computeSeconds: Double { rankSeconds.max() ?? 0 }
    /// Max over mean of the ranks' compute times: 1 is perfect balance.
    var imbalance: Double {
        let mean = rankSeconds.reduce(0, +) / Double(max(ranks, 1))
        return mean > 0 ? computeSeconds / mean : 1
    }
    /// The distinct nodes, in rank order.
    var hosts: [String] {
        var seen = Set<String>()
        return rankHosts.filter { seen.insert($0).inserted }
    }

    var json: JSONValue {
        .object([
            ("program", .string(program)),
            ("run", .int(run)),
            ("parameters", .object(parameters)),
            ("ranks", .int(ranks)),
            ("threads", .int(threadCount.count)),
            ("threads_source", .string(threadCount.source)),
            ("rank_threads", .array(rankThreads.map(JSONValue.int))),
            ("result", outcome.result),
            ("details", .object(outcome.details)),
            ("exact", outcome.exact.map(JSONValue.double) ?? .null),
            ("error", outcome.error.map(JSONValue.double) ?? .null),
            ("compute_seconds", .double(computeSeconds)),
            ("wall_seconds", .double(wallSeconds)),
            ("rank_seconds", .array(rankSeconds.map(JSONValue.double))),
            ("imbalance", .double(imbalance)),
            ("hosts", .array(hosts.map(JSONValue.string))),
            ("mpi_library", .string(library)),
        ])
    }

    var text: [String] {
        let threadNote = Set(rankThreads).count == 1 ? "" : " (differs by rank: \(rankThreads.map(String.init).joined(separator: " ")))"
        let hostList = hosts.count <= 4 ? hosts.joined(separator: " ") : "\(hosts[0]) ... \(hosts[hosts.count - 1])"
        var lines = [runs > 1 ? "\(program): run \(run) of \(runs)" : "\(program)"]
        if !parameters.isEmpty {
            lines.append("  parameters  " + parameters.map { "\($0.0)=\($0.1.text)" }.joined(separator: " "))
        }
        lines.append("  result      \(outcome.display ?? outcome.result.text)")
        if !outcome.details.isEmpty {
            lines.append("  details     " + outcome.details.map { "\($0.0)=\($0.1.text)" }.joined(separator: " "))
        }
        if let error = outcome.error, let exact = outcome.exact {
            lines.append("  error       \(Format.printf("%.3e", error)) against \(outcome.exactName ?? "the exact value") \(exact)")
        }
        lines.append("  ranks       \(ranks) × \(Format.counted(threadCount.count, "thread")) (from \(threadCount.source))"
                     + "\(threadNote) on \(Format.counted(hosts.count, "host")): \(hostList)")
        lines.append("  time        \(Format.printf("%.6f", computeSeconds)) s compute (slowest rank), "
                     + "\(Format.printf("%.6f", wallSeconds)) s wall, imbalance \(Format.printf("%.3f", imbalance))")
        if ranks > 1 {
            let shown = rankSeconds.prefix(16).map { Format.printf("%.6f", $0) }.joined(separator: " ")
            lines.append("  rank times  \(shown)\(ranks > 16 ? " ..." : "")")
        }
        return lines + outcome.lines
    }
}

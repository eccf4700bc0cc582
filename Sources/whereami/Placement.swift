import SPMD

/// Where one thread of one rank runs.
struct Placement {
    let host: String
    let rank: Int, ranks: Int
    let thread: Int, threads: Int
    /// The CPUs the thread is bound to, as a list (`0-3`).
    let bound: String
    /// The CPU it ran on last.
    let cpu: Int?

    /// One tab-separated line, to gather as text.
    var record: String { [host, "\(rank)", "\(ranks)", "\(thread)", "\(threads)", bound, cpu.map(String.init) ?? "-"]
        .joined(separator: "\t") }

    init(host: String, rank: Int, ranks: Int, thread: Int, threads: Int, bound: String, cpu: Int?) {
        (self.host, self.rank, self.ranks, self.thread, self.threads, self.bound, self.cpu) =
            (host, rank, ranks, thread, threads, bound, cpu)
    }

    init?(record: Substring) {
        let fields = record.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7, let rank = Int(fields[1]), let ranks = Int(fields[2]), let thread = Int(fields[3]),
              let threads = Int(fields[4]) else { return nil }
        self.init(host: fields[0], rank: rank, ranks: ranks, thread: thread, threads: threads, bound: fields[5],
                  cpu: Int(fields[6]))
    }

    var json: JSONValue {
        .object([("host", .string(host)), ("rank", .int(rank)), ("thread", .int(thread)),
                 ("cpus", .string(bound)), ("cpu", cpu.map(JSONValue.int) ?? .null)])
    }

    /// Aligned columns, in rank then thread order.
    static func table(_ places: [Placement]) -> [String] {
        let rows = [["host", "rank", "thread", "bound to CPUs", "on CPU"]] + places.map {
            [$0.host, "\($0.rank)/\($0.ranks)", "\($0.thread)/\($0.threads)", $0.bound, $0.cpu.map(String.init) ?? "-"]
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            String(("  " + zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ")).reversed().drop { $0 == " " }.reversed())
        }
    }
}

import SPMD
#if canImport(Glibc)
import Glibc
#endif

// One-sided windows, MPI-IO files and the harness's schedules.

extension Checks {
    /// `Window`: every rank adds to rank 0's counters at once; the fetched values are distinct and
    /// the totals exact. `File`: every rank writes its own part, then reads back another's.
    /// `Context.parallel(schedule:)`: block, cyclic and dynamic pieces cover a range exactly once.
    mutating func oneSided(_ context: Context) throws {
        let rank = self.rank, size = self.size
        let window = try Window<Int>(count: rank == 0 ? 2 : 0, communicator: comm)
        var fetched: [Int] = []
        for _ in 0..<5 { fetched.append(try window.fetchAndAdd(1, rank: 0)) }
        try window.accumulate(rank + 1, operation: .sum, rank: 0, index: 1)
        try window.accumulate(rank, operation: .max, rank: 0, index: 1)  // below the sum: no change
        let seen = try comm.allGatherv(fetched).sorted()
        try expect(seen, Array(0..<5 * size), "fetchAndAdd hands out every previous value once")
        let values = try window.localValues()
        try expect(values, rank == 0 ? [5 * size, size * (size + 1) / 2] : [], "window totals on rank 0")
        try window.free()
        _ = try expectError("MPI_Win", "a freed window throws") { try window.fetchAndAdd(1, rank: 0) }

        let path = try comm.broadcast(rank == 0 ? "/tmp/layer-check-\(getpid()).bin" : "", root: 0)
        defer { if rank == 0 { unlink(path) } }
        let file = try File(path, access: .write, communicator: comm)
        try file.setSize(size * 3 * 8)
        let mine = [rank * 10, rank * 10 + 1, rank * 10 + 2]
        try mine.withUnsafeBufferPointer { try file.writeAll($0, at: rank * 3 * 8) }
        try file.close()
        _ = try expectError("MPI_File", "a closed file throws") { try file.size() }
        let reader = try File(path, access: .read, communicator: comm)
        try expect(try reader.size(), size * 3 * 8, "file size")
        var back = [Int](repeating: -1, count: 3)
        let other = (rank + 1) % size
        try back.withUnsafeMutableBufferPointer { try reader.readAll(into: $0, at: other * 3 * 8) }
        try reader.close()
        try expect(back, [other * 10, other * 10 + 1, other * 10 + 2], "readAll gets the next rank's part")

        for count in [0, 1, 7, 1_003] {
            let range = 5..<5 + count
            for schedule in Schedule.allCases {
                let pieces = try context.parallel(schedule, over: range, chunk: 4, into: [Int]()) { $0 += Array($1) }
                let all = try comm.allGatherv(pieces.flatMap { $0 }).sorted()
                try expect(all, Array(range), "\(schedule) schedule of \(range) covers it once")
            }
        }

        // SharedCounter: alone, a plain counter; over several ranks its server thread needs
        // MPI_THREAD_MULTIPLE, more than this program asks for: a clear error on every rank.
        let level = try Environment.threadLevel()
        try expect(level >= .serialized, "Environment.threadLevel() is at least serialized")
        if size == 1 || level == .multiple {
            let counter = try SharedCounter(communicator: comm)
            var before: [Int] = []
            for amount in [3, 4, 5] { before.append(try counter.add(amount + rank)) }
            let total = try counter.finish()
            try expect(total, rank == 0 ? (0..<size).reduce(0) { $0 + 12 + 3 * $1 } : nil, "SharedCounter total")
            try expect(Set(before).count, 3, "SharedCounter.add returns the value before")
        } else {
            var message = "no error"
            do { _ = try SharedCounter(communicator: comm) } catch { message = "\(error)" }
            try expect(message.contains("MPI_THREAD_MULTIPLE"),
                       "SharedCounter below MPI_THREAD_MULTIPLE over \(size) ranks throws, naming the level: \(message)")
        }
    }
}

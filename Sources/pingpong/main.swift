import SPMD

/// OSU-style ping-pong between ranks 0 and 1: latency (half a round trip) and bandwidth per message size.
struct PingPong: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "pingpong",
        abstract: "Measure latency and bandwidth between ranks 0 and 1, message sizes 1 B to 16 MiB.",
        discussion: "No --progress, --checkpoint or --part: its result is a measurement of this job's ranks and network, which a resumed or combined run would not repeat.")

    /// One thread, as the C reference: no thread-safe paths in Open MPI.
    static var threadLevel: ThreadLevel { .single }

    @OptionGroup var common: CommonOptions
    @Option(help: "Smallest message in bytes (rounded up to a power of two).") var minSize: Count = 1
    @Option(help: "Largest message in bytes.") var maxSize: Count = 16_777_216
    @Option(help: "Round trips per size (default: 10000 up to 8 KiB, 1000 above).") var iterations: Count?

    func validate() throws {
        guard minSize.value >= 1 else { throw ValidationError("--min-size must be at least 1 (got \(minSize))") }
        guard maxSize.value >= minSize.value, maxSize.value <= 1 << 30 else {
            throw ValidationError("--max-size must be between --min-size and 2^30 (got \(maxSize))")
        }
        if let iterations, iterations.value < 1 {
            throw ValidationError("--iterations must be at least 1 (got \(iterations))")
        }
    }

    var parameters: [(String, JSONValue)] {
        declaredParameters(replacing: ["iterations": iterations.map { .int($0.value) } ?? "auto"])
    }

    func prepare(_ context: Context) throws {
        if context.ranks < 2 { throw UsageError("needs at least 2 ranks: mpiexec -n 2 pingpong") }
    }

    func compute(_ context: Context) throws -> Outcome? {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: maxSize.value)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0)
        var rows: [(bytes: Int, latency: Double)] = []
        var size = 1
        while size < minSize.value { size *= 2 }
        while size <= maxSize.value {
            let small = size <= 8192
            let latency = try roundTrips(context.communicator, UnsafeMutableBufferPointer(rebasing: buffer[..<size]),
                                         iterations: iterations?.value ?? (small ? 10_000 : 1_000),
                                         warmUp: small ? 100 : 10)
            rows.append((size, latency))
            size *= 2
        }
        guard context.rank == 0, let last = rows.last else { return nil }
        let table = rows.map { Format.printf("%ld %.3f %.2f", $0.bytes, $0.latency * 1e6, Double($0.bytes) / ($0.latency * 1e6)) }
        return Outcome(
            result: .array(rows.map { .object([("bytes", .int($0.bytes)), ("latency_us", .double($0.latency * 1e6)),
                                               ("bandwidth_MBps", .double(Double($0.bytes) / ($0.latency * 1e6)))]) }),
            display: Format.printf("latency %.3f us at %ld B, bandwidth %.1f MB/s at %ld B", rows[0].latency * 1e6,
                            rows[0].bytes, Double(last.bytes) / (last.latency * 1e6), last.bytes),
            lines: ["# bytes latency_us bandwidth_MBps"] + table)
    }

    /// Seconds per one-way trip of `buffer`, timed on rank 0 over `iterations` round trips after `warmUp`.
    func roundTrips(_ world: Communicator, _ buffer: UnsafeMutableBufferPointer<UInt8>,
                    iterations: Int, warmUp: Int) throws -> Double {
        try world.barrier()
        var start = Environment.time()
        switch world.rank {
        case 0:
            for trip in 0..<(warmUp + iterations) {
                if trip == warmUp { start = Environment.time() }
                try world.send(UnsafeBufferPointer(buffer), to: 1, tag: 1)
                try world.receive(into: buffer, from: 1, tag: 1)
            }
        case 1:
            for _ in 0..<(warmUp + iterations) {
                try world.receive(into: buffer, from: 0, tag: 1)
                try world.send(UnsafeBufferPointer(buffer), to: 0, tag: 1)
            }
        default:
            break
        }
        return (Environment.time() - start) / Double(2 * iterations)
    }
}

PingPong.main()

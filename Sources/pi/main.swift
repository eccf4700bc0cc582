import SPMD

/// The lessons' Monte Carlo π: darts in the unit square, π ≈ 4·inside/N. Dart k is drawn from a
/// counter-based generator (Philox4x32-10) keyed by the seed, so the count is the same for every split.
struct Pi: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "pi",
        abstract: "Estimate π by throwing darts at the unit square (Monte Carlo).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Darts to throw, N.") var darts: Count = 30_000_000
    @Option(parsing: .unconditional, help: "Seed of the random numbers (0 to 2^64 − 1): the same seed, the same darts.") var seed: UInt64 = 1

    func validate() throws {
        // 4·inside/N is exact to the last bit only while the counts are exact doubles.
        guard (1...(1 << 53)).contains(darts.value) else {
            throw ValidationError("--darts must be between 1 and 2^53 (got \(darts))")
        }
    }

    var parameters: [(String, JSONValue)] { [("darts", .int(darts.value)), ("seed", .string(String(seed)))] }

    func compute(_ context: Context) throws -> Outcome? {
        let local = try context.measure {
            try context.parallel(over: 0..<darts.value) { dartsInside($0, seed: seed) }.reduce(0, +)
        }
        guard let inside = try context.communicator.reduce(local, operation: .sum, root: 0) else { return nil }
        return Outcome(result: .double(4 * Double(inside) / Double(darts.value)), exact: .pi, exactName: "π",
                       details: [("inside", .int(inside)), ("darts", .int(darts.value))])
    }
}

Pi.main()

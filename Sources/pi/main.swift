import Kernels
import SPMD

/// The lessons' Monte Carlo π: darts in the unit square, π ≈ 4·inside/N. Dart k is drawn from a
/// counter-based generator (Philox4x32-10) keyed by the seed, so the count is the same for every split.
struct Pi: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "pi",
        abstract: "Estimate π by throwing darts at the unit square (Monte Carlo).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Darts to throw, N.") var darts: Count = 30_000_000
    @Option(parsing: .unconditional, help: "Seed of the random numbers (0 to 2^64 − 1): the same seed, the same darts.") var seed: UInt64 = 1
    @Option(help: "How the darts are shared: block, cyclic or dynamic (chunks of darts on demand).")
    var schedule: Schedule = .block
    @Option(help: "The dynamic schedule's smallest chunk of darts (guided chunks shrink to it; default: 10^6).") var chunk: Count?
    @OptionGroup var job: JobOptions

    /// The dynamic schedule's threads take chunks from rank 0's counter, one at a time.
    static var threadLevel: ThreadLevel { .serialized }

    func validate() throws {
        // 4·inside/N is exact to the last bit only while the counts are exact doubles.
        guard (1...(1 << 53)).contains(darts.value) else {
            throw ValidationError("--darts must be between 1 and 2^53 (got \(darts))")
        }
        try schedule.validate(chunk: chunk)
    }

    var parameters: [(String, JSONValue)] { declaredParameters(replacing: ["chunk": .int(chunk?.value ?? 1_000_000)]) }

    /// SPMD_VECTOR, if set, names a path this CPU has (the darts' Philox lanes take it).
    func prepare(_ context: Context) throws { try VectorPath.checkEnvironment() }

    var problemOptions: [(String, String)] { [("--darts", String(darts.value)), ("--seed", String(seed))] }
    var jobRange: Range<Int> { 0..<darts.value }
    var jobUnit: String { "darts" }

    func work(_ context: Context, range: Range<Int>) throws -> Int {
        try context.parallel(schedule, over: range, chunk: chunk?.value ?? 1_000_000, into: 0) { inside, piece in
            piece.forEachRun { inside += dartsInside($0, seed: seed) }
        }.reduce(0, +)
    }

    func outcome(_ context: Context, state inside: Int?) throws -> Outcome? {
        guard let inside else { return nil }
        return Outcome(result: .double(4 * Double(inside) / Double(darts.value)), exact: .pi, exactName: "π",
                       details: [("inside", .int(inside)), ("darts", .int(darts.value))])
    }
}

Pi.main()

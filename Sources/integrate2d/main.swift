import Kernels
import SPMD

/// The lessons' 2D integration: ∫∫ sin(x + y) over a rectangle by the midpoint rule on an n × n grid,
/// rows split over ranks and threads. The same bits for every split (see `MidpointGrid`).
struct Integrate2D: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "integrate2d",
        abstract: "Integrate sin(x + y) over a rectangle by the midpoint rule on an n × n grid.",
        discussion: VectorPath.help)

    @OptionGroup var common: CommonOptions
    @Option(help: "Bins per axis, n: n² evaluations of sin.") var bins: Count = 10_000
    @Option(parsing: .unconditional, help: "Left edge.") var xmin = 0.0
    @Option(parsing: .unconditional, help: "Right edge (π).") var xmax = Double.pi
    @Option(parsing: .unconditional, help: "Bottom edge.") var ymin = 0.0
    @Option(parsing: .unconditional, help: "Top edge (π).") var ymax = Double.pi
    @Option(help: "How the rows are shared: block, cyclic or dynamic (chunks of rows on demand).")
    var schedule: Schedule = .block
    @Option(help: "The dynamic schedule's smallest chunk of rows (guided chunks shrink to it; default: 100).") var chunk: Count?
    @OptionGroup var job: JobOptions

    /// The dynamic schedule's threads take chunks from rank 0's counter, one at a time.
    static var threadLevel: ThreadLevel { .serialized }

    func validate() throws {
        guard (1...(1 << 31)).contains(bins.value) else {
            throw ValidationError("--bins must be between 1 and 2^31 (got \(bins))")
        }
        for (name, value) in [("--xmin", xmin), ("--xmax", xmax), ("--ymin", ymin), ("--ymax", ymax)]
        where !value.isFinite || abs(value) > 1e15 {
            throw ValidationError("\(name) must be a finite number of size at most 1e15 (got \(value))")
        }
        guard xmin < xmax else { throw ValidationError("--xmax must be greater than --xmin (got \(xmin) and \(xmax))") }
        guard ymin < ymax else { throw ValidationError("--ymax must be greater than --ymin (got \(ymin) and \(ymax))") }
        try schedule.validate(chunk: chunk)
    }

    var parameters: [(String, JSONValue)] { declaredParameters(replacing: ["chunk": .int(chunk?.value ?? 100)]) }

    /// The vector path (SPMD_VECTOR, else the widest this CPU has), checked on every rank before any work.
    func prepare(_ context: Context) throws { _ = try VectorPath.resolve() }

    var problemOptions: [(String, String)] {
        [("--bins", String(bins.value)), ("--xmin", String(xmin)), ("--xmax", String(xmax)), ("--ymin", String(ymin)),
         ("--ymax", String(ymax))]
    }
    var jobRange: Range<Int> { 0..<bins.value }
    var jobUnit: String { "rows" }
    func grid() throws -> MidpointGrid {
        MidpointGrid(bins: bins.value, x: xmin...xmax, y: ymin...ymax, path: try VectorPath.resolve())
    }

    func work(_ context: Context, range: Range<Int>) throws -> ExactSum {
        let grid = try self.grid()
        // Each row is summed in one fixed order whoever owns it; the row sums are added exactly.
        return try context.parallel(schedule, over: range, chunk: chunk?.value ?? 100, into: ExactSum()) { sum, piece in
            piece.forEachRun { sum.add(grid.rowSums($0)) }
        }.reduce(into: ExactSum()) { $0.add($1) }
    }

    func outcome(_ context: Context, state sum: ExactSum?) throws -> Outcome? {
        guard let sum else { return nil }
        let grid = try self.grid()
        return Outcome(result: .double(grid.integral(sum.value)), exact: grid.exactIntegral, exactName: "the integral",
                       details: [("vector", .string(grid.path.rawValue))])
    }
}

Integrate2D.main()

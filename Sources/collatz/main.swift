import Kernels
import SPMD
import Synchronization

/// The rank's table of small starts, between the rounds of one run (see `Collatz.table`).
private let builtTable = Mutex<CollatzTable?>(nil)

/// The lessons' Collatz exercise: for k = 1..N the total number of steps to reach 1 (OEIS A006577,
/// summed), the largest step count and the first k that reaches it. Block, cyclic or dynamic schedule.
/// One trajectory per odd part m (steps(2^j · m) = j + steps(m)), each jumping 16 steps at a time
/// until it falls below a table of the step counts of small starts; the ranks and threads split the
/// odd parts (Kernels/CollatzOddParts.swift, Kernels/CollatzTable.swift).
struct Collatz: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "collatz",
        abstract: "Sum the Collatz steps of k = 1..N; find the longest trajectory.",
        discussion: """
            Only odd parts need a trajectory: steps(2^j * m) = j + steps(m). Each trajectory jumps 16 \
            steps at a time until it falls below a table of the step counts of the starts below 2^22 \
            (fewer when N or the range is smaller), then adds the table's count. Memory: at most \
            \(CollatzTable.maximumBytes / 1024) KiB per rank (8 MiB of step counts, 256 KiB of jumps), \
            built once per rank by its threads (counted in the compute time) and shared by them. The \
            ranks and threads split the odd parts 1, 3, 5, ... (with --from, each odd part once, with \
            its multiples in the range).
            """)

    /// Dynamic scheduling lets every thread take chunks from rank 0's counter, one at a time.
    static var threadLevel: ThreadLevel { .serialized }

    @OptionGroup var common: CommonOptions
    @Option(help: "The last start value, N.") var limit: Count = 10_000_000
    @Option(help: "The first start value.") var from: Count = 1
    @Option(help: ArgumentHelp(
        "How the odd parts are shared: block (one per rank and thread), cyclic (round-robin) or dynamic (chunks on demand).",
        discussion: "static, the old name of block, still works and says it is deprecated."))
    var schedule: ScheduleName = ScheduleName(.block)
    @Option(name: .customLong("chunk"), help: "The dynamic schedule's smallest chunk of odd parts (trajectories); guided chunks shrink to it (default: 10^4).")
    var chunkOption: Count?
    var chunk: Count { chunkOption ?? 10_000 }
    @OptionGroup var job: JobOptions

    func validate() throws {
        guard from.value >= 1 else { throw ValidationError("--from must be at least 1 (got \(from))") }
        guard limit.value >= from.value, limit.value < Int.max else {
            throw ValidationError("--limit must be between --from and 2^63 - 2 (got \(limit))")
        }
        try schedule.schedule.validate(chunk: chunkOption)
    }

    var parameters: [(String, JSONValue)] {
        [("limit", .int(limit.value)), ("from", .int(from.value)), ("schedule", .string(schedule.schedule.rawValue)),
         ("chunk", .int(chunk.value))]
    }

    /// `--schedule static`: one line from rank 0, before the work; the job then runs as block.
    func prepare(_ context: Context) throws {
        if schedule.deprecated, context.rank == 0 {
            Environment.printError("collatz: --schedule static is deprecated; it is --schedule block (the same split)")
        }
    }

    var problemOptions: [(String, String)] { [("--limit", String(limit.value)), ("--from", String(from.value))] }
    /// The odd parts m, by index: each stands for every start 2^j · m in the range.
    var oddParts: CollatzOddParts { CollatzOddParts(from: from.value, through: limit.value) }
    var jobRange: Range<Int> { 0..<oddParts.count }
    var jobUnit: String { "odd parts" }

    func work(_ context: Context, range: Range<Int>) throws -> CollatzSummary {
        let starts = oddParts, table = try self.table(context)
        return try context.parallel(schedule.schedule, over: range, chunk: chunk.value,
                                    into: CollatzSummary()) { summary, piece in
            try collatzSummary(piece, of: starts, table: table, into: &summary)
        }.reduce(into: CollatzSummary()) { $0.merge($1) }
    }

    /// This rank's table: built by the run's first round (in place on one thread, or stage by stage
    /// split over this rank's threads, counted in the compute time) and kept until its outcome, so
    /// the rounds of a job with progress or checkpoints build it once.
    private func table(_ context: Context) throws -> CollatzTable {
        if let table = builtTable.withLock({ $0 }) { return table }
        let size = CollatzTable.size(from: from.value, through: limit.value)
        let table = context.threads == 1 ? CollatzTable(size: size) : try CollatzTable(size: size) { stage, entries in
            try context.parallel { thread in entries(BlockPartition(stage, parts: context.threads)[thread]) }
        }
        builtTable.withLock { $0 = table }
        return table
    }

    func outcome(_ context: Context, state: CollatzSummary?) throws -> Outcome? {
        builtTable.withLock { $0 = nil }  // each --repeat builds its own
        guard let state else { return nil }
        let (total, maxSteps, first) = (state.totalSteps, state.maxSteps, state.argmax)
        return Outcome(result: .int(total),
                       display: "\(total) steps in all; the longest: \(first) takes \(maxSteps) steps",
                       details: [("max_steps", .int(maxSteps)), ("first_k_with_max", .int(first))])
    }
}

/// `--schedule`: the harness's schedules (block, cyclic, dynamic), and `static`, the deprecated
/// name of `block`, which runs exactly as block (the report says block).
struct ScheduleName: ExpressibleByArgument, CustomStringConvertible {
    let schedule: Schedule
    /// Given as `static`.
    let deprecated: Bool

    init(_ schedule: Schedule) { (self.schedule, deprecated) = (schedule, false) }

    init?(argument: String) {
        if argument == "static" {
            (schedule, deprecated) = (.block, true)
        } else if let schedule = Schedule(argument: argument) {
            (self.schedule, deprecated) = (schedule, false)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { Schedule.allValueStrings }
    var description: String { schedule.rawValue }
    var defaultValueDescription: String { schedule.rawValue }
}

/// Total steps, the largest count and its first start.
extension CollatzSummary: JobState {
    public var words: [Int64] { [Int64(totalSteps), Int64(maxSteps), Int64(argmax)] }
    public init?(words: [Int64]) {
        guard words.count == 3 else { return nil }
        self.init()
        (totalSteps, maxSteps, argmax) = (Int(words[0]), Int(words[1]), Int(words[2]))
    }
}

Collatz.main()

import SPMD

/// The lessons' Collatz exercise: for k = 1..N the total number of steps to reach 1 (OEIS A006577,
/// summed), the largest step count and the first k that reaches it. Static or dynamic schedule.
struct Collatz: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "collatz",
        abstract: "Sum the Collatz steps of k = 1..N; find the longest trajectory.")

    /// Dynamic scheduling lets every thread take chunks from rank 0's counter, one at a time.
    static var threadLevel: ThreadLevel { .serialized }

    /// The split of the start values: `static` (one block per rank and thread) or `dynamic`.
    enum Split: String, ExpressibleByArgument, CaseIterable {
        case `static`, dynamic
    }

    @OptionGroup var common: CommonOptions
    @Option(help: "The last start value, N.") var limit: Count = 10_000_000
    @Option(help: "The first start value.") var from: Count = 1
    @Option(help: "How the start values are shared: static (a block per rank and thread) or dynamic (chunks on demand).")
    var schedule: Split = .static
    @Option(name: .customLong("chunk"), help: "Start values per chunk of the dynamic schedule (default: 10^4).")
    var chunkOption: Count?
    var chunk: Count { chunkOption ?? 10_000 }
    @OptionGroup var job: JobOptions

    func validate() throws {
        guard from.value >= 1 else { throw ValidationError("--from must be at least 1 (got \(from))") }
        guard limit.value >= from.value, limit.value < Int.max else {
            throw ValidationError("--limit must be between --from and 2^63 - 2 (got \(limit))")
        }
        if chunkOption != nil, schedule != .dynamic {
            throw ValidationError("--chunk applies to --schedule dynamic, not --schedule \(schedule.rawValue)")
        }
        guard chunk.value >= 1 else { throw ValidationError("--chunk must be at least 1 (got \(chunk))") }
    }

    var parameters: [(String, JSONValue)] {
        [("limit", .int(limit.value)), ("from", .int(from.value)), ("schedule", .string(schedule.rawValue)),
         ("chunk", .int(chunk.value))]
    }

    var problemOptions: [(String, String)] { [("--limit", String(limit.value)), ("--from", String(from.value))] }
    var jobRange: Range<Int> { from.value..<limit.value + 1 }
    var jobUnit: String { "start values" }

    func work(_ context: Context, range: Range<Int>) throws -> CollatzSummary {
        try context.parallel(schedule == .static ? .block : .dynamic, over: range, chunk: chunk.value,
                             into: CollatzSummary()) { summary, piece in try collatzSummary(piece.range, into: &summary) }
            .reduce(into: CollatzSummary()) { $0.merge($1) }
    }

    func outcome(_ context: Context, state: CollatzSummary?) throws -> Outcome? {
        guard let state else { return nil }
        let (total, maxSteps, first) = (state.totalSteps, state.maxSteps, state.argmax)
        return Outcome(result: .int(total),
                       display: "\(total) steps in all; the longest: \(first) takes \(maxSteps) steps",
                       details: [("max_steps", .int(maxSteps)), ("first_k_with_max", .int(first))])
    }
}

Collatz.main()

import MPI
import SPMDCore
#if canImport(Glibc)
import Glibc
#endif

/// A program whose work is a range of indices and whose result is an exact, mergeable state over the
/// indices done (`JobState`). It declares the range, the work of a piece of it and the outcome of the
/// merged state; the harness gives it `--progress`, `--checkpoint` (save, stop on SIGUSR1, resume to
/// the same bits on any split), and `--part I/N --save` / `--combine`.
///
/// The harness does the range in rounds (one round, the whole range, unless progress or checkpoints
/// are asked for): every rank calls `work` with the same round, in order, and the rounds' states
/// are merged. Between rounds the ranks agree, in one small all-reduce, whether to save or stop.
public protocol JobProgram: SPMDProgram {
    associatedtype State: JobState

    /// `--progress`, `--checkpoint`, `--part`, `--save`, `--combine` (an `@OptionGroup`).
    var job: JobOptions { get }

    /// The options that define the result, as (option, canonical value): a checkpoint or part saved
    /// for other values is refused, naming the first that differs. Not those that only change the
    /// split (threads, schedule, chunk) or where the result goes.
    var problemOptions: [(String, String)] { get }

    /// Why this configuration cannot checkpoint or take part (the series of euler), or nil.
    var jobUnsupported: String? { get }

    /// The whole job's indices.
    var jobRange: Range<Int> { get }

    /// What one index is, plural, for progress lines ("darts").
    var jobUnit: String { get }

    /// This rank's state for `range`, a piece of the job (collective: every rank calls it with the
    /// same range; the program splits it over ranks and threads as it likes).
    func work(_ context: Context, range: Range<Int>) throws -> State

    /// The run's outcome from the state merged over the whole job (on rank 0; nil elsewhere).
    /// Collective: every rank calls it.
    func outcome(_ context: Context, state: State?) throws -> Outcome?
}

extension JobProgram {
    public var jobUnsupported: String? { nil }
    public var jobUnit: String { "items" }

    public func compute(_ context: Context) throws -> Outcome? { try runJob(context) }

    /// The job: in rounds, with progress, checkpoints and parts as the options ask; `compute` by default.
    public func runJob(_ context: Context) throws -> Outcome? {
        try JobRunner(program: self, context: context).run()
    }

    /// Reads and checks `--checkpoint` or the `--combine` files on rank 0 before any work, with no
    /// communication; bad usage (another job's file, a damaged one, a missing part) throws there.
    public func startJob(_ context: Context) throws {
        let options = job
        let given = options.checkpoint != nil || options.part != nil || !options.combine.isEmpty
        if given || options.progress != nil, let why = jobUnsupported { throw UsageError(why) }
        if given, common.repeat.value != 1 {
            throw UsageError("--repeat does not apply to --checkpoint, --part or --combine")
        }
        for (option, path) in [("--checkpoint", options.checkpoint), ("--save", options.save)] {
            if let path { try SharedOutput.check(path, option: option, rank: context.rank) }
        }
        let start = JobStart()
        if context.rank == 0 { try load(into: start) }
        context.jobStart = start
        if options.checkpoint != nil { Environment.catchStopRequests(terminate: true) }
    }

    var savedOptions: [SavedJob.Option] { problemOptions.map { SavedJob.Option(name: $0.0, value: $0.1) } }

    /// This run's part: the whole range, or part I of N.
    var partRange: Range<Int> {
        guard let part = job.part else { return jobRange }
        return BlockPartition(jobRange, parts: part.count)[part.index]
    }

    /// On rank 0: the checkpoint to resume from, or the combined parts.
    private func load(into start: JobStart) throws {
        let name = Self.programName
        if let path = job.checkpoint, let bytes = try SavedJob.read(path, option: "--checkpoint") {
            let saved = try check(bytes, path: path, what: "checkpoint", kind: .checkpoint)
            let part = job.part ?? JobPart(index: 0, count: 1)
            guard saved.part == part, saved.range == partRange else {
                throw UsageError("checkpoint \(path) was written for --part \(saved.part), not --part \(part)")
            }
            guard let state = State(words: saved.words) else {
                throw UsageError("checkpoint \(path) is damaged: its state is not one of \(name)")
            }
            (start.cursor, start.state) = (saved.cursor, state)
        }
        guard !job.combine.isEmpty else { return }
        var parts: [Int: (path: String, saved: SavedJob)] = [:]
        var count: Int?
        var merged = State()
        for path in job.combine {
            guard let bytes = try SavedJob.read(path, option: "--combine") else {
                throw UsageError("cannot read --combine \(path): No such file or directory")
            }
            let saved = try check(bytes, path: path, what: "part", kind: .part)
            if let count, saved.part.count != count {
                throw UsageError("part \(path) is part \(saved.part), but \(parts.values.first!.path) is one of \(count) parts")
            }
            count = saved.part.count
            if let other = parts[saved.part.index] {
                throw UsageError("part \(saved.part) is given twice: \(other.path) and \(path)")
            }
            guard saved.range == BlockPartition(jobRange, parts: saved.part.count)[saved.part.index],
                  saved.cursor == saved.range.upperBound, let state = State(words: saved.words) else {
                throw UsageError("part \(path) is damaged: it does not hold part \(saved.part) of this job")
            }
            parts[saved.part.index] = (path, saved)
            merged.merge(state)
        }
        if let count, let missing = (0..<count).first(where: { parts[$0] == nil }) {
            throw UsageError("part \(missing)/\(count) is missing (given: \(parts.count) of \(count) parts)")
        }
        start.state = merged
    }

    /// The file's job, if it is one of this program's with these problem options.
    private func check(_ bytes: [UInt8], path: String, what: String, kind: SavedJob.Kind) throws -> SavedJob {
        let saved: SavedJob
        do {
            saved = try SavedJob(bytes: bytes)
        } catch .notSaved {
            throw UsageError("\(what) \(path) is not a saved job of these programs")
        } catch .version(let version) {
            throw UsageError("\(what) \(path) has version \(version) of the format; this program reads \(SavedJob.version)")
        } catch {
            throw UsageError("\(what) \(path) is truncated or corrupted (its checksum does not match)")
        }
        let name = Self.programName
        guard saved.program == name else {
            throw UsageError("\(what) \(path) was written by \(saved.program), not \(name)")
        }
        if let difference = saved.difference(from: savedOptions) {
            throw UsageError("\(what) \(path) was written for \(difference)")
        }
        guard saved.kind == kind else {
            throw UsageError(kind == .part ? "\(path) is a checkpoint, not a part saved with --part I/N --save"
                                          : "\(path) is a part saved with --save, not a checkpoint")
        }
        return saved
    }
}

/// What `startJob` found on rank 0, for `compute`.
final class JobStart: @unchecked Sendable {
    /// Where to resume (rank 0), if a checkpoint was read.
    var cursor: Int?
    /// The checkpoint's state, or the combined parts' (rank 0).
    var state: (any JobState)?
}

/// The job stopped after saving its state (75, EX_TEMPFAIL) or saved its part (0): no result to print.
struct JobEnd: Error {
    let code: Int32
}

/// Runs one program's job in rounds; see `JobProgram`.
struct JobRunner<Program: JobProgram> {
    let program: Program
    let context: Context

    var world: Communicator { context.communicator }
    var options: JobOptions { program.job }
    var name: String { Program.programName }

    func run() throws -> Outcome? {
        let start = context.jobStart
        if !options.combine.isEmpty {
            return try program.outcome(context, state: context.rank == 0 ? start?.state as? Program.State ?? .init() : nil)
        }
        let range = program.partRange
        var cursor = try world.broadcast(start?.cursor ?? range.lowerBound, root: 0)
        var state = context.rank == 0 ? start?.state as? Program.State ?? .init() : .init()
        let resumedFrom = cursor
        let clock = Environment.time()
        if options.stepping {
            var round = Swift.max(1, range.count / 1000)
            var lastSave = clock, lastPrint = clock
            let stopAt = Self.testStopAt
            if stopAt != nil { round = Swift.max(1, (range.count + 49) / 50) }
            // Rounds of a tenth of a second to five seconds: an all-reduce of three numbers between them.
            let target = Swift.min(Swift.max(Swift.min(options.progress ?? 10, options.checkpointEvery, 10) / 2, 0.1), 5)
            // The rounds' agreement and the checkpoints count as this rank's compute time: what they cost shows.
            try context.measure {
                // Each round ends by starting a non-blocking all-reduce of (its slowest time, a stop
                // request, a checkpoint due) and then waits for the previous round's, done long ago
                // unless a rank is a whole round behind: no rank waits for the others at a boundary,
                // and every rank acts on the same values after the same round.
                var pending: (request: CollectiveRequest<Double>, cursor: Int)?
                while cursor < range.upperBound {
                    let piece = cursor..<Swift.min(range.upperBound, cursor + round)
                    let began = Environment.time()
                    state.merge(try program.work(context, range: piece))
                    cursor = piece.upperBound
                    let now = Environment.time()
                    var stop = Double(Environment.stopRequest)
                    if let stopAt, context.rank == 0, cursor < range.upperBound,
                       Double(Swift.min(range.upperBound, cursor + round) - range.lowerBound) >= stopAt * Double(range.count) {
                        stop = Double(SIGUSR1)  // acted on after the next round
                    }
                    let saveDue = options.checkpoint != nil && now - lastSave >= options.checkpointEvery ? 1.0 : 0
                    let request = try world.iallReduce([now - began, stop, saveDue], operation: .max)
                    let previous = pending
                    pending = (request, cursor)
                    guard let previous else { continue }
                    let agreed = try previous.request.waitForValues()
                    if stopAt == nil {
                        // Rounds of about `target` seconds on the slowest rank, changing at most 4-fold at once.
                        let scale = agreed[0] > 0 ? Swift.min(4, Swift.max(0.25, target / agreed[0])) : 4
                        round = Swift.max(1, Int(Double(round) * scale))
                    }
                    // Every rank has finished the previous round: rank 0 counts the job's work to there.
                    if let every = options.progress, context.rank == 0, now - lastPrint >= every {
                        printProgress(done: previous.cursor - range.lowerBound, of: range.count,
                                      since: previous.cursor - resumedFrom, seconds: now - clock, last: false)
                        lastPrint = now
                    }
                    guard cursor < range.upperBound, let path = options.checkpoint, agreed[1] > 0 || agreed[2] > 0 else { continue }
                    try request.wait()  // nothing left in flight across the save or the stop
                    pending = nil
                    state = try save(state, kind: .checkpoint, path: path, range: range, cursor: cursor)
                    lastSave = Environment.time()
                    if agreed[1] > 0 {
                        if context.rank == 0 {
                            let fraction = Double(cursor - range.lowerBound) / Double(range.count)
                            let percent = Int((fraction * 100 + 1e-9).rounded(.down))
                            Environment.printError("checkpoint saved to \(path): \(percent)% done; run the same command to resume")
                        }
                        throw JobEnd(code: 75)
                    }
                }
                if let pending { try pending.request.wait() }
                if options.progress != nil, context.rank == 0 {
                    printProgress(done: range.count, of: range.count, since: range.upperBound - resumedFrom,
                                  seconds: Environment.time() - clock, last: true)
                }
            }
        } else if !range.isEmpty {
            state.merge(try context.measure { try program.work(context, range: range) })
        }
        if let path = options.save {
            _ = try save(state, kind: .part, path: path, range: range, cursor: range.upperBound)
            if context.rank == 0 {
                if let checkpoint = options.checkpoint { unlink(checkpoint) }
                print("part \(options.part!) of \(name) saved to \(path)")
            }
            throw JobEnd(code: 0)
        }
        let merged = try gather(state)
        context.removeAfterReport = options.checkpoint
        return try program.outcome(context, state: merged)
    }

    /// The state merged over every rank, on rank 0 (nil elsewhere), in rank order.
    private func gather(_ state: Program.State) throws -> Program.State? {
        guard let all = try world.gather(encoding: state.words, root: 0) else { return nil }
        var merged = Program.State()
        for words in all {
            guard let part = Program.State(words: words) else { throw RunError("a rank sent a state that is not one") }
            merged.merge(part)
        }
        return merged
    }

    /// Writes the job's state so far to `path` atomically (collective; rank 0 writes). Returns this
    /// rank's state from now on: the merged one on rank 0, none elsewhere.
    private func save(_ state: Program.State, kind: SavedJob.Kind, path: String, range: Range<Int>, cursor: Int) throws
        -> Program.State {
        let merged = try gather(state)
        var bytes: [UInt8] = []
        if let merged {
            bytes = SavedJob(kind: kind, program: name, options: program.savedOptions,
                             part: options.part ?? JobPart(index: 0, count: 1), range: range, cursor: cursor,
                             words: merged.words).bytes
        }
        let count = try world.broadcast(bytes.count, root: 0)
        try SharedOutput.write(path, bytes: count, communicator: world) { file in
            try bytes.withUnsafeBufferPointer { try file.writeAll($0, at: 0) }
        }
        return merged ?? .init()
    }

    /// One progress line on standard error, or one updating line on a terminal.
    private func printProgress(done: Int, of total: Int, since: Int, seconds: Double, last: Bool) {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let rate = seconds > 0 ? Double(since) / seconds : 0
        let left = rate > 0 ? Double(total - done) / rate : .infinity
        let percent = (fraction * 1000).rounded(.down) / 10
        var line = "\(name): \(percent)% done, \(done) of \(total) \(program.jobUnit), \(Self.format(rate)) per s"
        line += left.isFinite ? ", about \(Self.duration(left)) left" : ""
        if isatty(2) != 0 {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            line = "\r[\(bar)] " + line + (last ? "\n" : "\u{1B}[K")
            fflush(nil)
            line.withCString { _ = write(2, $0, strlen($0)) }
        } else {
            Environment.printError(line)
        }
    }

    static func format(_ rate: Double) -> String {
        guard rate >= 1000 else { return String(Int(rate.rounded())) }
        var exponent = 0, mantissa = rate
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        return "\((mantissa * 100).rounded() / 100)e\(exponent)"
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 120 { return "\(whole) s" }
        if whole < 7200 { return "\(whole / 60) min" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    /// Tests only: `SPMD_TEST_STOP_AT=F` stops the run, as SIGUSR1 would, at the first round boundary
    /// at or past fraction F of the work, with rounds of a fiftieth of it.
    static var testStopAt: Double? {
        guard let text = getenv("SPMD_TEST_STOP_AT") else { return nil }
        return Double(String(cString: text))
    }
}

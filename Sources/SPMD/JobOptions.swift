import ArgumentParser

/// The options of a program whose work can be watched, checkpointed, resumed and split into parts
/// (`JobProgram`): `--progress`, `--checkpoint`, `--checkpoint-every`, `--part`, `--save`, `--combine`.
public struct JobOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Print the job's progress to standard error every SECONDS (rank 0).",
        discussion: "The fraction of the whole job's work done over all ranks, the rate and the time left; one updating line on a terminal.",
        valueName: "seconds"))
    public var progress: Double?

    @Option(help: ArgumentHelp(
        "Save the job's state to FILE, and resume from it if it exists.",
        discussion: "Saved every --checkpoint-every seconds, and on SIGUSR1 (or SIGTERM), which then stop the run with exit status 75. Run the same command to resume, on any number of ranks and threads: the same result bits; FILE is removed once the result is out.",
        valueName: "file"))
    public var checkpoint: String?

    @Option(help: ArgumentHelp("Seconds between checkpoints.", valueName: "seconds"))
    public var checkpointEvery: Double = 600

    @Option(help: ArgumentHelp(
        "Do part I (0 ≤ I < N) of N of the job's work, and save it with --save instead of printing a result.",
        valueName: "I/N"))
    public var part: JobPart?

    @Option(help: ArgumentHelp("With --part: the file the part's state is written to.", valueName: "file"))
    public var save: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Merge the N saved parts (--part I/N --save FILE) of this job and print its result.",
        valueName: "file"))
    public var combine: [String] = []

    public init() {}

    /// Whether the job is cut into rounds (progress lines or checkpoints need them).
    var stepping: Bool { progress != nil || checkpoint != nil }

    public func validate() throws {
        if let progress, !(progress > 0 && progress.isFinite) {
            throw ValidationError("--progress must be a positive number of seconds (got \(progress))")
        }
        guard checkpointEvery > 0, checkpointEvery.isFinite else {
            throw ValidationError("--checkpoint-every must be a positive number of seconds (got \(checkpointEvery))")
        }
        if (part == nil) != (save == nil) {
            throw ValidationError(part == nil ? "--save needs --part I/N" : "--part needs --save FILE")
        }
        if !combine.isEmpty {
            for (option, given) in [("--part", part != nil), ("--checkpoint", checkpoint != nil), ("--progress", progress != nil)]
            where given {
                throw ValidationError("\(option) does not apply to --combine, which merges saved parts")
            }
        }
        if let checkpoint, checkpoint == save {
            throw ValidationError("--checkpoint and --save must be different files")
        }
    }
}

/// `--part I/N`: part I (0-based) of N.
public struct JobPart: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    public let index: Int, count: Int

    public init?(argument: String) {
        let fields = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 2, let index = Int(fields[0]), let count = Int(fields[1]),
              count >= 1, (0..<count).contains(index) else { return nil }
        (self.index, self.count) = (index, count)
    }

    init(index: Int, count: Int) { (self.index, self.count) = (index, count) }

    public var description: String { "\(index)/\(count)" }
    public static var defaultCompletionKind: CompletionKind { .default }
}

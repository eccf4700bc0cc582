import ArgumentParser
import SPMDCore

/// The options every program shares: `--threads`, `--json`, `--repeat` (and `--help`).
public struct CommonOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "Threads per rank.",
        discussion: "Default: SLURM_CPUS_PER_TASK if set, else the number of CPUs this rank is bound to."))
    public var threads: Int?

    @Flag(help: "Print one JSON object per run on standard output instead of the text report.")
    public var json = false

    @Option(help: "How many times to run the computation; each run is reported.")
    public var `repeat`: Count = 1

    public init() {}

    public func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if `repeat`.value < 1 { throw ValidationError("--repeat must be at least 1 (got \(`repeat`.value))") }
    }
}

/// A whole number given on the command line as `30000000`, `30_000_000`, `3e7` or `2^20`, exactly.
public struct Count: ExpressibleByArgument, ExpressibleByIntegerLiteral, Sendable, Hashable, CustomStringConvertible {
    /// The value.
    public let value: Int

    public init(_ value: Int) { self.value = value }
    public init(integerLiteral value: Int) { self.value = value }

    public init?(argument: String) {
        guard let value = ExactInteger.parse(argument) else { return nil }
        self.value = value
    }

    public var description: String { String(value) }
    public var defaultValueDescription: String { String(value) }
}

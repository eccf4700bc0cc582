import Bignum
import Kernels
import SPMD

/// The lessons' exercise: e without exp or log, two ways. Monte Carlo: the mean number of uniforms
/// whose running sum first exceeds 1 (expectation e), with counter-based random numbers. Series:
/// e = Σ 1/k! to D decimals by binary splitting over ranks and threads, GMP integers combined up a tree.
struct Euler: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "euler",
        abstract: "Estimate e without exp or log: Monte Carlo, or the series Σ 1/k! to D digits.",
        discussion: "--progress, --checkpoint, --part and --combine apply to --method montecarlo: the series is one binary-splitting product whose partial results are integers as large as the answer (and 10^7 digits take seconds).")

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case montecarlo, series
    }

    @OptionGroup var common: CommonOptions
    @Option(help: "montecarlo (mean number of uniforms to pass 1) or series (Σ 1/k! by binary splitting).")
    var method: Method = .montecarlo
    @Option(name: .customLong("trials"), help: "Monte Carlo: trials (default: 10^8).") var trialsOption: Count?
    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: "Monte Carlo: seed of the random numbers, 0 to 2^64 − 1 (default: 1).") var seedOption: UInt64?
    @Option(name: .customLong("digits"), help: "Series: decimal digits of e after the point (default: 10^4).")
    var digitsOption: Count?
    @Option(help: ArgumentHelp("Series: write every digit to this file.", valueName: "file")) var output: String?
    @OptionGroup var job: JobOptions

    var trials: Count { trialsOption ?? 100_000_000 }
    var seed: UInt64 { seedOption ?? 1 }
    var digits: Count { digitsOption ?? 10_000 }

    static let maximumDigits = 100_000_000

    func validate() throws {
        let given = [("--trials", trialsOption != nil, Method.montecarlo), ("--seed", seedOption != nil, .montecarlo),
                     ("--digits", digitsOption != nil, .series), ("--output", output != nil, .series)]
        for (option, isGiven, owner) in given where isGiven && owner != method {
            throw ValidationError("\(option) applies to --method \(owner.rawValue), not --method \(method.rawValue)")
        }
        switch method {
        case .montecarlo:
            guard (1...(1 << 53)).contains(trials.value) else {
                throw ValidationError("--trials must be between 1 and 2^53 (got \(trials))")
            }
        case .series:
            guard (1...Self.maximumDigits).contains(digits.value) else {
                throw ValidationError("--digits must be between 1 and \(Self.maximumDigits) (got \(digits))")
            }
        }
    }

    var parameters: [(String, JSONValue)] {
        switch method {
        case .montecarlo:
            [("method", .string(method.rawValue)), ("trials", .int(trials.value)), ("seed", .string(String(seed)))]
        case .series:
            [("method", .string(method.rawValue)), ("digits", .int(digits.value)),
             ("output", output.map(JSONValue.string) ?? .null)]
        }
    }

    /// Bytes the series needs at its peak on rank 0, per decimal digit: the last combination's GMP
    /// integers and their product, the division, the conversion's products and the digits as text
    /// (the resident size grows by 7.4 bytes per digit from 10^7 to 2·10^7 digits, measured on one
    /// thread), with room to spare.
    static let seriesBytesPerDigit = 10

    func prepare(_ context: Context) throws {
        try VectorPath.checkEnvironment()
        if method == .series {
            try context.requireMemory(digits.value * Self.seriesBytesPerDigit,
                                      for: "--digits \(digits) on rank 0")
        }
        if let output { try SharedOutput.check(output, option: "--output", rank: context.rank) }
    }

    func compute(_ context: Context) throws -> Outcome? {
        method == .montecarlo ? try runJob(context) : try series(context)
    }

    var problemOptions: [(String, String)] {
        [("--method", method.rawValue), ("--trials", String(trials.value)), ("--seed", String(seed))]
    }
    var jobRange: Range<Int> { 0..<trials.value }
    var jobUnit: String { "trials" }

    var jobUnsupported: String? {
        method == .series ? "--progress, --checkpoint, --part and --combine apply to --method montecarlo: the series "
            + "is one binary-splitting product whose partial results are integers as large as the answer (and "
            + "10^7 digits take seconds)" : nil
    }

    func work(_ context: Context, range: Range<Int>) throws -> Int {
        try context.parallel(over: range) { uniformsToExceedOne($0, seed: seed) }.reduce(0, +)
    }

    func outcome(_ context: Context, state total: Int?) throws -> Outcome? {
        guard let total else { return nil }
        return Outcome(result: .double(Double(total) / Double(trials.value)), exact: 2.718281828459045,
                       exactName: "e", details: [("uniforms", .int(total)), ("trials", .int(trials.value))])
    }
}

Euler.main()

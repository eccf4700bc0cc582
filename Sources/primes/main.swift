import Kernels
import SPMD
#if canImport(Glibc)
import Glibc
#endif

/// The lessons' prime counting: how many primes in [2, N]. A segmented sieve of Eratosthenes (each
/// rank and thread its own block, in cache-sized segments), or the lesson's trial division under a
/// block, cyclic or dynamic schedule; counts combined by a reduction or in one shared atomic counter
/// (or, to show the race of an unlocked shared value, in a racy one that loses updates).
struct Primes: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "primes",
        abstract: "Count the primes in [2, N] by a segmented sieve or by trial division.")

    /// The shared counter's server thread on rank 0 calls MPI while the main thread may (`.multiple`).
    static var threadLevel: ThreadLevel { .multiple }

    enum Method: String, ExpressibleByArgument, CaseIterable, ParameterValue { case sieve, trial }
    enum Counter: String, ExpressibleByArgument, CaseIterable, ParameterValue { case reduce, atomic, racy }

    @OptionGroup var common: CommonOptions
    @Option(help: "Count the primes up to N.") var limit: Count = 1_000_000
    @Option(help: "sieve (segmented sieve of Eratosthenes) or trial (trial division by 2..isqrt(k)).")
    var method: Method = .sieve
    @Option(help: "How [2, N] is shared: block, cyclic (trial only) or dynamic (chunks on demand).")
    var schedule: Schedule = .block
    @Option(help: "The dynamic schedule's smallest chunk of numbers (guided chunks shrink to it; default: 10^4 for trial, 10^7 for sieve).")
    var chunk: Count?
    @Option(help: "reduce (per-rank counts, one reduction), atomic (one shared counter on rank 0) or racy (a shared count read, then written back plus one, for every prime: loses updates, to show the race; reported beside the right count).")
    var counter: Counter = .reduce
    @Option(help: ArgumentHelp("Write every prime in [2, N], ascending, one per line, to this file.",
                               valueName: "file")) var list: String?
    @OptionGroup var job: JobOptions

    static let maximumLimit = 1 << 50
    static let maximumListed = 1 << 32

    func validate() throws {
        guard (2...Self.maximumLimit).contains(limit.value) else {
            throw ValidationError("--limit must be between 2 and 2^50 (got \(limit))")
        }
        if method == .sieve, schedule == .cyclic {
            throw ValidationError("--schedule cyclic deals out single numbers: use it with --method trial")
        }
        try schedule.validate(chunk: chunk)
        if counter == .racy, job.checkpoint != nil || job.part != nil || !job.combine.isEmpty {
            throw ValidationError("--counter racy shows lost updates in one run: it does not go with --checkpoint, --part or --combine")
        }
        if list != nil, limit.value > Self.maximumListed {
            throw ValidationError("--list writes about 10 bytes per prime: --limit must be at most 2^32 with it")
        }
    }

    var chunkSize: Int { chunk?.value ?? (method == .sieve ? 10_000_000 : 10_000) }

    var parameters: [(String, JSONValue)] { declaredParameters(replacing: ["chunk": .int(chunkSize)]) }

    func prepare(_ context: Context) throws {
        if let list {
            try context.requireMemory(listBytes(context), for: "--list up to \(limit) on rank \(context.rank)")
            try SharedOutput.check(list, option: "--list", rank: context.rank)
        }
    }

    /// An upper bound on the memory `writeList` takes on this rank: its primes as text, held three
    /// times at the peak (the threads' growing buffers, then the rank's joined copy). At most
    /// 1.25506 x / ln x primes up to x (Rosser and Schoenfeld, 1962).
    func listBytes(_ context: Context) -> Int {
        let block = context.block(of: 2..<limit.value + 1)
        let end = Double(max(block.upperBound, 17))
        let primes = min(Double(block.count), 1.25506 * end / log(end))
        return Int(3 * primes * Double(String(limit.value).count + 1))
    }

    /// π(10^k), OEIS A006880.
    static let published: [Int: Int] = [
        10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592, 1_000_000: 78_498, 10_000_000: 664_579,
        100_000_000: 5_761_455, 1_000_000_000: 50_847_534, 10_000_000_000: 455_052_511,
        100_000_000_000: 4_118_054_813, 1_000_000_000_000: 37_607_912_018,
    ]

    var problemOptions: [(String, String)] { [("--limit", String(limit.value))] }
    var jobRange: Range<Int> { 2..<limit.value + 1 }
    var jobUnit: String { "numbers" }

    /// The sieve's primes up to √N, made once (by the first round) and kept for the rest.
    nonisolated(unsafe) static var base: (limit: Int, primes: [Int])?
    /// With `--counter racy`: the racy count of the rounds so far (rank 0).
    nonisolated(unsafe) static var racyCount = 0

    func work(_ context: Context, range: Range<Int>) throws -> Int {
        if method == .sieve, Self.base?.limit != limit.value {
            Self.base = (limit.value, basePrimes(upTo: integerSquareRoot(limit.value)))
        }
        let base = method == .sieve ? Self.base?.primes ?? [] : []
        let shared = counter == .atomic ? try SharedCounter(communicator: context.communicator) : nil
        let racy = counter == .racy ? try RacyCounter(communicator: context.communicator) : nil
        // Each thread counts its pieces; with the shared counter it adds each piece's count there;
        // with the racy one, 1 for every prime, and the right count is kept beside it.
        let local = try context.parallel(schedule, over: range, chunk: chunkSize, into: 0) { total, piece in
            if let racy {
                try forEachPrime(piece, base: base) { _ in try racy.add(1); total += 1 }
                return
            }
            let found = count(piece, base: base)
            if let shared { try shared.add(found) } else { total += found }
        }.reduce(0, +)
        Self.racyCount += try racy?.finish() ?? 0
        // With the shared counter, rank 0 holds the total of this piece of the job.
        return try shared?.finish() ?? local
    }

    func outcome(_ context: Context, state total: Int?) throws -> Outcome? {
        if let list { try writeList(list, context: context, base: Self.base?.primes ?? []) }
        let racyCount = Self.racyCount
        Self.racyCount = 0
        guard context.rank == 0, let total else { return nil }
        var details: [(String, JSONValue)] = []
        if let list { details.append(("list", .string(list))) }
        let exact = Self.published[limit.value]
        guard counter == .racy else {
            return Outcome(result: .int(total), exact: exact.map(Double.init),
                           exactName: exact == nil ? nil : "π(N), OEIS A006880", details: details)
        }
        // The one wrong answer a program prints, said to be wrong next to the right one.
        details = [("right_count", .int(total)), ("lost_updates", .int(total - racyCount))] + details
        return Outcome(result: .int(racyCount), exact: exact.map(Double.init),
                       exactName: exact == nil ? nil : "π(N), OEIS A006880",
                       display: "racy counter: \(Format.grouped(racyCount)) (lost \(Format.grouped(total - racyCount)) "
                           + "updates; the right count is \(Format.grouped(total)))",
                       details: details)
    }

    func count(_ piece: Piece, base: [Int]) -> Int {
        switch method {
        case .sieve:
            return SegmentedSieve(range: piece.range, basePrimes: base).count()
        case .trial:
            var found = 0
            for k in piece where isPrimeByTrialDivision(k) { found += 1 }
            return found
        }
    }

    /// Calls `body` with each prime of `piece`, in ascending order.
    func forEachPrime(_ piece: Piece, base: [Int], _ body: (Int) throws -> Void) rethrows {
        switch method {
        case .sieve:
            try SegmentedSieve(range: piece.range, basePrimes: base).forEachPrime(body)
        case .trial:
            for k in piece where isPrimeByTrialDivision(k) { try body(k) }
        }
    }

    /// Every rank writes the primes of its block straight into place in one file: the text of its
    /// threads' blocks in order, after the text of the ranks before it.
    func writeList(_ path: String, context: Context, base: [Int]) throws {
        let sieveBase = base.isEmpty || Self.base?.limit != limit.value ? basePrimes(upTo: integerSquareRoot(limit.value)) : base
        let text = try context.parallel(over: 2..<limit.value + 1) { block -> [UInt8] in
            var bytes: [UInt8] = []
            SegmentedSieve(range: block, basePrimes: sieveBase).forEachPrime { prime in
                Format.appendDecimal(prime, to: &bytes)
                bytes.append(10)
            }
            return bytes
        }.flatMap { $0 }
        try text.withUnsafeBufferPointer {
            try SharedOutput.writeInRankOrder(path, part: $0, communicator: context.communicator)
        }
    }
}

Primes.main()

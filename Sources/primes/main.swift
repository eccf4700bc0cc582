import Kernels
import SPMD

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

    enum Counter: String, ExpressibleByArgument, CaseIterable, ParameterValue { case reduce, atomic, racy }

    @OptionGroup var common: CommonOptions
    @Option(help: "Count the primes up to N.") var limit: Count = 1_000_000
    @Option(help: "sieve (segmented sieve of Eratosthenes) or trial (trial division by 2..isqrt(k)).")
    var method: PrimeMethod = .sieve
    @Option(help: "How [2, N] is shared: block, cyclic (trial only) or dynamic (chunks on demand).")
    var schedule: Schedule = .block
    @Option(help: "The dynamic schedule's smallest chunk of numbers (guided chunks shrink to it; default: 10^4 for trial, 10^7 for sieve).")
    var chunk: Count?
    @Option(help: "reduce (per-rank counts, one reduction), atomic (one shared counter on rank 0) or racy (a shared count read, then written back plus one, for every prime: loses updates, to show the race; reported beside the right count).")
    var counter: Counter = .reduce
    @Option(help: ArgumentHelp("Write every prime in [2, N], ascending, one per line, to this file.",
                               valueName: "file")) var list: String?
    @OptionGroup var job: JobOptions

    func validate() throws {
        guard (2...(1 << 50)).contains(limit.value) else {
            throw ValidationError("--limit must be between 2 and 2^50 (got \(limit))")
        }
        if method == .sieve, schedule == .cyclic {
            throw ValidationError("--schedule cyclic deals out single numbers: use it with --method trial")
        }
        try schedule.validate(chunk: chunk)
        if counter == .racy, job.checkpoint != nil || job.part != nil || !job.combine.isEmpty {
            throw ValidationError("--counter racy shows lost updates in one run: it does not go with --checkpoint, --part or --combine")
        }
        if list != nil, limit.value > 1 << 32 {
            throw ValidationError("--list writes about 10 bytes per prime: --limit must be at most 2^32 with it")
        }
    }

    var chunkSize: Int { chunk?.value ?? (method == .sieve ? 10_000_000 : 10_000) }
    var parameters: [(String, JSONValue)] { declaredParameters(replacing: ["chunk": .int(chunkSize)]) }

    /// `--list` holds this rank's primes as text three times at the peak (the threads' buffers, then
    /// the rank's joined copy).
    func prepare(_ context: Context) throws {
        guard let list else { return }
        let primes = PrimeCounts.upperBound(in: context.block(of: jobRange))
        let bytes = 3 * primes * Double(String(limit.value).count + 1)
        try context.requireMemory(Int(bytes), for: "--list up to \(limit) on rank \(context.rank)")
        try SharedOutput.check(list, option: "--list", rank: context.rank)
    }

    var problemOptions: [(String, String)] { [("--limit", String(limit.value))] }
    var jobRange: Range<Int> { 2..<limit.value + 1 }
    var jobUnit: String { "numbers" }

    /// The method with its base primes, made by the first round and kept for the rest.
    nonisolated(unsafe) static var made: PrimeSearch?
    /// `method` for this limit: the one made before if it is that, else a new one.
    func search(_ method: PrimeMethod) -> PrimeSearch {
        if let made = Self.made, made.method == method, made.limit == limit.value { return made }
        return PrimeSearch(method, limit: limit.value)
    }
    /// With `--counter racy`: the racy count of the rounds so far (rank 0).
    nonisolated(unsafe) static var racyCount = 0

    func work(_ context: Context, range: Range<Int>) throws -> Int {
        let search = search(method)
        Self.made = search
        let shared = counter == .atomic ? try SharedCounter(communicator: context.communicator) : nil
        let racy = counter == .racy ? try RacyCounter(communicator: context.communicator) : nil
        // Each thread counts its pieces; with the shared counter it adds each piece's count there;
        // with the racy one, 1 for every prime, and the right count is kept beside it.
        let local = try context.parallel(schedule, over: range, chunk: chunkSize, into: 0) { total, piece in
            if let racy { return try search.forEachPrime(piece) { _ in try racy.add(1); total += 1 } }
            let found = search.count(piece)
            if let shared { try shared.add(found) } else { total += found }
        }.reduce(0, +)
        Self.racyCount += try racy?.finish() ?? 0
        return try shared?.finish() ?? local   // with the shared counter, rank 0 holds the total
    }

    func outcome(_ context: Context, state total: Int?) throws -> Outcome? {
        if let list { try writeList(list, context: context) }
        let racyCount = Self.racyCount
        Self.racyCount = 0
        guard context.rank == 0, let total else { return nil }
        let exact = PrimeCounts.published[limit.value].map(Double.init)
        let source = exact == nil ? nil : PrimeCounts.publishedSource
        let listed = list.map { [("list", JSONValue.string($0))] } ?? []
        guard counter == .racy else {
            return Outcome(result: .int(total), exact: exact, exactName: source, details: listed)
        }
        // The one wrong answer a program prints, said to be wrong next to the right one.
        return Outcome(result: .int(racyCount), exact: exact, exactName: source,
                       display: "racy counter: \(Format.grouped(racyCount)) (lost \(Format.grouped(total - racyCount)) "
                           + "updates; the right count is \(Format.grouped(total)))",
                       details: [("right_count", .int(total)), ("lost_updates", .int(total - racyCount))] + listed)
    }

    /// Every rank writes the primes of its block straight into place in one file: the text of its
    /// threads' blocks in order, after the text of the ranks before it.
    func writeList(_ path: String, context: Context) throws {
        let sieve = search(.sieve)
        let text = try context.parallel(over: jobRange) { block -> [UInt8] in
            var bytes: [UInt8] = []
            sieve.forEachPrime(Piece(block)) { Format.appendDecimal($0, to: &bytes); bytes.append(10) }
            return bytes
        }.flatMap { $0 }
        try text.withUnsafeBufferPointer {
            try SharedOutput.writeInRankOrder(path, part: $0, communicator: context.communicator)
        }
    }
}

extension PrimeMethod: ExpressibleByArgument, ParameterValue {}

Primes.main()

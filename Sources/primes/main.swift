import Kernels
import SPMD
#if canImport(Glibc)
import Glibc
#endif

/// The lessons' prime counting: how many primes in [2, N]. A segmented sieve of Eratosthenes (each
/// rank and thread its own block, in cache-sized segments), or the lesson's trial division under a
/// block, cyclic or dynamic schedule; counts combined by a reduction or in one shared atomic counter.
struct Primes: JobProgram {
    static let configuration = CommandConfiguration(
        commandName: "primes",
        abstract: "Count the primes in [2, N] by a segmented sieve or by trial division.")

    /// The shared counter's server thread on rank 0 calls MPI while the main thread may (`.multiple`).
    static var threadLevel: ThreadLevel { .multiple }

    enum Method: String, ExpressibleByArgument, CaseIterable { case sieve, trial }
    enum Counter: String, ExpressibleByArgument, CaseIterable { case reduce, atomic }

    @OptionGroup var common: CommonOptions
    @Option(help: "Count the primes up to N.") var limit: Count = 1_000_000
    @Option(help: "sieve (segmented sieve of Eratosthenes) or trial (trial division by 2..isqrt(k)).")
    var method: Method = .sieve
    @Option(help: "How [2, N] is shared: block, cyclic (trial only) or dynamic (chunks on demand).")
    var schedule: Schedule = .block
    @Option(help: "The dynamic schedule's smallest chunk of numbers (guided chunks shrink to it; default: 10^4 for trial, 10^7 for sieve).")
    var chunk: Count?
    @Option(help: "reduce (per-rank counts, one reduction) or atomic (one shared counter in an MPI window).")
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
        if list != nil, limit.value > Self.maximumListed {
            throw ValidationError("--list writes about 10 bytes per prime: --limit must be at most 2^32 with it")
        }
    }

    var chunkSize: Int { chunk?.value ?? (method == .sieve ? 10_000_000 : 10_000) }

    var parameters: [(String, JSONValue)] {
        [("limit", .int(limit.value)), ("method", .string(method.rawValue)), ("schedule", .string(schedule.rawValue)),
         ("chunk", .int(chunkSize)), ("counter", .string(counter.rawValue)), ("list", list.map(JSONValue.string) ?? .null)]
    }

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

    func work(_ context: Context, range: Range<Int>) throws -> Int {
        if method == .sieve, Self.base?.limit != limit.value {
            Self.base = (limit.value, basePrimes(upTo: integerSquareRoot(limit.value)))
        }
        let base = method == .sieve ? Self.base?.primes ?? [] : []
        let shared = counter == .atomic ? try SharedCounter(communicator: context.communicator) : nil
        // Each thread counts its pieces; with the shared counter it adds each piece's count there.
        let local = try context.parallel(schedule, over: range, chunk: chunkSize, into: 0) { total, piece in
            let found = count(piece, base: base)
            if let shared { try shared.add(found) } else { total += found }
        }.reduce(0, +)
        // With the shared counter, rank 0 holds the total of this piece of the job.
        return try shared?.finish() ?? local
    }

    func outcome(_ context: Context, state total: Int?) throws -> Outcome? {
        if let list { try writeList(list, context: context, base: Self.base?.primes ?? []) }
        guard context.rank == 0, let total else { return nil }
        var details: [(String, JSONValue)] = []
        if let list { details.append(("list", .string(list))) }
        return Outcome(result: .int(total), exact: Self.published[limit.value].map(Double.init),
                       exactName: Self.published[limit.value] == nil ? nil : "π(N), OEIS A006880", details: details)
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

    /// Every rank writes the primes of its block straight into place in one file: the text of its
    /// threads' blocks in order, at the offset of the ranks before it (an exclusive scan).
    func writeList(_ path: String, context: Context, base: [Int]) throws {
        let world = context.communicator
        let sieveBase = base.isEmpty || Self.base?.limit != limit.value ? basePrimes(upTo: integerSquareRoot(limit.value)) : base
        let text = try context.parallel(over: 2..<limit.value + 1) { block -> [UInt8] in
            var bytes: [UInt8] = []
            var digits = [UInt8](repeating: 0, count: 20)
            SegmentedSieve(range: block, basePrimes: sieveBase).forEachPrime { prime in
                var n = prime, length = 0
                repeat { digits[length] = UInt8(truncatingIfNeeded: 48 + n % 10); n /= 10; length += 1 } while n > 0
                for index in stride(from: length - 1, through: 0, by: -1) { bytes.append(digits[index]) }
                bytes.append(10)
            }
            return bytes
        }.flatMap { $0 }
        let offset = try world.exscan(text.count, operation: .sum) ?? 0
        let total = try world.allReduce(text.count, operation: .sum)
        try SharedOutput.write(path, bytes: total, communicator: world) { file in
            try text.withUnsafeBufferPointer { try file.writeAll($0, at: offset) }
        }
    }
}

Primes.main()

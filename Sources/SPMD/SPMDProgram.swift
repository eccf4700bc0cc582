import ArgumentParser
import MPI
#if canImport(Glibc)
import Glibc
#endif

/// An SPMD program: a declaration of options plus one compute function; the harness does the rest.
///
/// Every rank parses the same command line and decides the same. Bad usage exits 2 with one
/// message from one rank; an error thrown on any rank during a run ends the whole job (exit 1)
/// with `rank R: <message>`. `main()` starts MPI, resolves the thread count, calls `prepare` once
/// and `compute` once per `--repeat`, times each run and prints rank 0's report.
public protocol SPMDProgram: ParsableCommand {
    /// The MPI thread level to request: `.funneled` (the default) for programs whose compute threads
    /// never call MPI; `.single` for a program that runs no threads of its own (it then must not call
    /// `Context.parallel`), which spares Open MPI's thread-safe paths, as a single-threaded C program would.
    static var threadLevel: ThreadLevel { get }

    /// The options every program has (`--threads`, `--json`, `--repeat`).
    var common: CommonOptions { get }

    /// The values that define the problem, in the order the report shows them: the
    /// program's own declared options (`declaredParameters`); none by default.
    var parameters: [(String, JSONValue)] { get }

    /// A check before the first run, on every rank, that must not communicate. A throw on any rank is
    /// bad usage: the lowest such rank prints its message and every rank exits 2. (Thrown later, from
    /// `compute`, any error, `UsageError` included, is a runtime failure: exit 1 via `MPI_Abort`.)
    func prepare(_ context: Context) throws

    /// One run of the computation on every rank. Returns the answer on rank 0 (nil is fine elsewhere).
    func compute(_ context: Context) throws -> Outcome?

    /// A check after `prepare`, on every rank, that must not communicate: a `JobProgram` reads its
    /// checkpoint or parts here (rank 0). A throw is bad usage, as in `prepare`.
    func startJob(_ context: Context) throws
}

extension SPMDProgram {
    public static var threadLevel: ThreadLevel { .funneled }
    public var parameters: [(String, JSONValue)] { [] }
    public func prepare(_ context: Context) throws {}
    public func startJob(_ context: Context) throws {}

    /// The program's name in reports and messages.
    public static var programName: String {
        configuration.commandName ?? String(CommandLine.arguments[0].split(separator: "/").last ?? "program")
    }

    /// Runs the program under MPI; see `SPMDProgram`.
    public static func main() -> Never {
        Environment.run(threadLevel: threadLevel) { provided in try runAllRanks(provided) }
    }

    private static func runAllRanks(_ provided: ThreadLevel) throws -> Int32 {
        let world = Communicator.world
        let name = programName
        let program: Self
        do {
            program = try parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            if exitCode(for: error) == .success {
                if world.rank == 0 { print(fullMessage(for: error)) }
                return 0
            }
            if world.rank == 0 { Environment.printError("\(name): \(message(for: error)) (see '\(name) --help')") }
            return 2
        }

        let binding = Affinity.process()
        let (sharers, onNode) = try ranksSharing(binding, world)
        var context: Context?
        let usable = try agree(on: world, name: name) {
            let threads = try ThreadCount.resolve(option: program.common.threads, boundCPUs: { binding?.count })
                .shared(by: sharers)
            try NodeLimits.checkThreads(threads.count, ranksOnNode: onNode)
            let made = Context(communicator: world, threadCount: threads, threadLevel: provided, ranksOnNode: onNode)
            context = made
            try program.prepare(made)
            try program.startJob(made)
        }
        guard usable, let context else { return 2 }

        let everyRanksThreads = try world.allGather(context.threads)
        context.setWorkers(threadsOfEveryRank: everyRanksThreads)
        let rankHosts = try world.gather(try Environment.processorName(), root: 0)
        let rankThreads: [Int]? = world.rank == 0 ? everyRanksThreads : nil
        let library = try Environment.libraryVersion().split(separator: "\n").first.map(String.init) ?? ""
        let runs = program.common.repeat.value
        for run in 1...runs {
            context.run = run
            context.measured = nil
            try world.barrier()
            let start = Environment.time()
            let outcome: Outcome?
            do {
                outcome = try program.compute(context)
            } catch let end as JobEnd {
                // Stopped after saving a checkpoint, or a part saved: no result.
                return end.code
            }
            let elapsed = Environment.time() - start
            let rankSeconds = try world.gather(context.measured ?? elapsed, root: 0)
            let wallSeconds = try world.reduce(elapsed, operation: .max, root: 0)
            guard world.rank == 0 else { continue }
            guard let outcome, let rankSeconds, let wallSeconds, let rankHosts, let rankThreads else {
                Environment.fail("\(name): compute returned no outcome on rank 0")
            }
            let report = Report(program: name, parameters: program.parameters, run: run, runs: runs,
                                threadCount: context.threadCount, rankThreads: rankThreads, outcome: outcome,
                                rankSeconds: rankSeconds, wallSeconds: wallSeconds, rankHosts: rankHosts,
                                library: library)
            if program.common.json {
                print(report.json.text)
            } else {
                print(report.text.joined(separator: "\n"))
            }
        }
        if world.rank == 0, let path = context.removeAfterReport {
            fflush(nil)
            unlink(path)
        }
        return 0
    }

    /// How many ranks of this node are bound to exactly the CPUs of `binding` (this rank's, itself
    /// included), and how many ranks the node runs.
    private static func ranksSharing(_ binding: CPUSet?, _ world: Communicator) throws -> (sharing: Int, onNode: Int) {
        let node = try world.splitByNode()
        let mine = binding?.description ?? "unknown"
        let bindings = try node.allGather(mine)
        try node.free()
        return (bindings.filter { $0 == mine }.count, bindings.count)
    }

    /// Runs `check` on every rank; if it throws anywhere, the lowest failing rank prints its message
    /// and every rank learns it (returns false), so all exit the same way and none waits.
    private static func agree(on world: Communicator, name: String, _ check: () throws -> Void) throws -> Bool {
        var message: String?
        do { try check() } catch { message = "\(error)" }
        let first = try world.allReduce(message == nil ? world.size : world.rank, operation: .min)
        if first == world.size { return true }
        if world.rank == first, let message {
            Environment.printError(world.rank == 0 ? "\(name): \(message)" : "\(name): rank \(world.rank): \(message)")
        }
        return false
    }
}

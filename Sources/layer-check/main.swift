import Foundation
import SPMD

/// Exercises every operation of the MPI layer on the world, a duplicate, both halves of a split and
/// the self communicator, and checks every value; the first wrong one ends the job with its rank.
struct LayerCheck: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "layer-check",
        abstract: "Checks every operation of the MPI layer, at every root, on every rank.",
        discussion: "The fault options end the job on purpose: one rank fails while the others wait.")

    /// The dynamic schedule's threads take turns calling MPI; `--time-counter` needs `.multiple`
    /// (a `SharedCounter`), so it asks for that instead.
    static var threadLevel: ThreadLevel {
        CommandLine.arguments.contains("--time-counter") ? .multiple : .serialized
    }

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Rank that throws 'injected failure'.", valueName: "rank"))
    var failOnRank: Int?
    @Option(help: ArgumentHelp("Rank that hits a Swift runtime trap.", valueName: "rank"))
    var crashOnRank: Int?
    @Option(help: ArgumentHelp("Rank that sends itself SIGKILL.", valueName: "rank"))
    var killRank: Int?
    @Option(help: ArgumentHelp("Rank that drops a pending nonblocking receive.", valueName: "rank"))
    var dropRequestOnRank: Int?
    @Option(help: ArgumentHelp("Rank that fails while the others write a shared file (--fault-output).",
                               valueName: "rank"))
    var failWhileWritingOnRank: Int?
    @Option(help: ArgumentHelp("The file --fail-while-writing-on-rank writes.", valueName: "file"))
    var faultOutput = "/tmp/layer-check-fault.bin"
    @Option(help: ArgumentHelp("Rank that throws from a dynamic schedule's body while the others work.",
                               valueName: "rank"))
    var failInDynamicOnRank: Int?

    @Option(help: ArgumentHelp("Instead of the checks: every rank but 0 times N round trips of SharedCounter.add "
                               + "to rank 0's server, one at a time, and rank 0 prints the rates.", valueName: "N"))
    var timeCounter: Int?

    var faults: Faults {
        Faults(failOnRank: failOnRank, crashOnRank: crashOnRank, killRank: killRank,
               dropRequestOnRank: dropRequestOnRank, failWhileWritingOnRank: failWhileWritingOnRank,
               outputPath: faultOutput, failInDynamicOnRank: failInDynamicOnRank)
    }

    func validate() throws {
        for (option, rank) in faults.given where rank < 0 {
            throw ValidationError("\(option) must be a rank, at least 0 (got \(rank))")
        }
    }

    func prepare(_ context: Context) throws {
        for (option, rank) in faults.given where rank >= context.ranks {
            throw UsageError("\(option) \(rank) is not a rank of this \(context.ranks)-rank job")
        }
    }

    func compute(_ context: Context) throws -> Outcome? {
        if let timeCounter { return try timeRoundTrips(timeCounter, context) }
        try faults.inject(context)
        let (checks, skipped) = try Checks.all(context)
        guard context.rank == 0 else { return nil }
        let ranks = context.ranks == 1 ? "1 rank" : "\(context.ranks) ranks"
        // What the layer does differently on this library (a library bug worked around), said as
        // plainly as what is left out: the tests expect both lists exactly.
        let workarounds = Environment.workarounds
        var details: [(String, JSONValue)] = []
        if !skipped.isEmpty { details.append(("left_out", .array(skipped.map(JSONValue.string)))) }
        if !workarounds.isEmpty { details.append(("workarounds", .array(workarounds.map(JSONValue.string)))) }
        return Outcome(result: .int(checks),
                       display: "all \(checks) checks passed on \(ranks)"
                           + (skipped.isEmpty ? "" : " (left out: \(skipped.joined(separator: "; ")))")
                           + (workarounds.isEmpty ? "" : " (worked around: \(workarounds.joined(separator: "; ")))"),
                       details: details)
    }
}

extension LayerCheck {
    /// The cost of one request to rank 0's counter server and the rate it sustains.
    func timeRoundTrips(_ count: Int, _ context: Context) throws -> Outcome? {
        let world = context.communicator
        let counter = try SharedCounter(communicator: world)
        let start = Environment.time()
        if context.rank != 0 { for _ in 0..<count { try counter.add(1) } }
        let seconds = Environment.time() - start
        let total = try counter.finish()
        let all = try world.gather(seconds, root: 0)
        guard let total, let all else { return nil }
        let clients = all.dropFirst()
        let slowest = clients.max() ?? 0
        let perRequest = clients.map { String(format: "%.2f", $0 / Double(count) * 1e6) }.joined(separator: " ")
        return Outcome(result: .int(total),
                       display: "\(total) requests from \(clients.count) ranks in \(slowest) s: "
                           + "\(Int(Double(total) / slowest)) per s at rank 0; µs per round trip by rank: \(perRequest)")
    }
}

LayerCheck.main()

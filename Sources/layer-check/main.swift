import SPMD

/// Exercises every operation of the MPI layer on the world, a duplicate, both halves of a split and
/// the self communicator, and checks every value; the first wrong one ends the job with its rank.
struct LayerCheck: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "layer-check",
        abstract: "Checks every operation of the MPI layer, at every root, on every rank.",
        discussion: "The fault options end the job on purpose: one rank fails while the others wait.")

    /// The dynamic schedule's threads take turns calling MPI.
    static var threadLevel: ThreadLevel { .serialized }

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Rank that throws 'injected failure'.", valueName: "rank"))
    var failOnRank: Int?
    @Option(help: ArgumentHelp("Rank that hits a Swift runtime trap.", valueName: "rank"))
    var crashOnRank: Int?
    @Option(help: ArgumentHelp("Rank that sends itself SIGKILL.", valueName: "rank"))
    var killRank: Int?
    @Option(help: ArgumentHelp("Rank that drops a pending nonblocking receive.", valueName: "rank"))
    var dropRequestOnRank: Int?
    @Option(help: ArgumentHelp("Rank that throws from a dynamic schedule's body while the others work.",
                               valueName: "rank"))
    var failInDynamicOnRank: Int?

    var faults: Faults {
        Faults(failOnRank: failOnRank, crashOnRank: crashOnRank, killRank: killRank,
               dropRequestOnRank: dropRequestOnRank, failInDynamicOnRank: failInDynamicOnRank)
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
        try faults.inject(context)
        let checks = try Checks.all(context)
        guard context.rank == 0 else { return nil }
        let ranks = context.ranks == 1 ? "1 rank" : "\(context.ranks) ranks"
        return Outcome(result: .int(checks), display: "all \(checks) checks passed on \(ranks)")
    }
}

LayerCheck.main()

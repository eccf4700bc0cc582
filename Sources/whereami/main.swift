import SPMD

/// Where every rank and thread runs: host, rank, thread and the CPUs it is bound to (like xthi).
/// Run it with the same -n, -c and binding as the real job to check them.
struct WhereAmI: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "whereami",
        abstract: "Report the host, rank, thread and CPU binding of every rank and thread.",
        discussion: "No --progress, --checkpoint or --part: it does no work to watch, save or split; it reports where the ranks run.")

    @OptionGroup var common: CommonOptions

    func compute(_ context: Context) throws -> Outcome? {
        let host = try Environment.processorName()
        let places = try context.parallel { thread in
            Placement(host: host, rank: context.rank, ranks: context.ranks, thread: thread, threads: context.threads,
                      bound: Affinity.currentThread()?.description ?? "unknown", cpu: Affinity.lastCPU())
        }
        guard let gathered = try context.communicator.gather(places.map(\.record).joined(separator: "\n"), root: 0)
        else { return nil }
        let all = gathered.flatMap { $0.split(separator: "\n").compactMap(Placement.init(record:)) }
        let hosts = Set(all.map(\.host)).count
        return Outcome(result: .array(all.map(\.json)),
                       display: "\(Format.counted(context.ranks, "rank")) × \(Format.counted(context.threads, "thread")) on \(Format.counted(hosts, "host"))",
                       lines: Placement.table(all))
    }
}

WhereAmI.main()

#if canImport(Glibc)
import Glibc
#endif
import SPMDCore

/// How many threads a rank runs, and where that number came from.
///
/// The order respects the allocation, never the node: `--threads`, else `SLURM_CPUS_PER_TASK`,
/// else the CPUs this process is bound to (hwloc), else 1.
public struct ThreadCount: Sendable, Equatable {
    /// Threads per rank, at least 1.
    public let count: Int
    /// `--threads`, `SLURM_CPUS_PER_TASK`, `binding` or `default`.
    public let source: String

    /// Decides the thread count; throws a `UsageError` for a malformed `SLURM_CPUS_PER_TASK`.
    public static func resolve(option: Int?, environment: [String: String] = ThreadCount.environment(),
                               boundCPUs: () -> Int? = { Affinity.process()?.count }) throws -> ThreadCount {
        if let option { return ThreadCount(count: option, source: "--threads") }
        if let text = environment["SLURM_CPUS_PER_TASK"] {
            guard let count = ExactInteger.parse(text), count >= 1 else {
                throw UsageError("SLURM_CPUS_PER_TASK=\(text) is not a positive whole number")
            }
            return ThreadCount(count: count, source: "SLURM_CPUS_PER_TASK")
        }
        if let bound = boundCPUs(), bound >= 1 { return ThreadCount(count: bound, source: "binding") }
        return ThreadCount(count: 1, source: "default")
    }

    /// A binding-derived count split among the `ranks` of this node bound to the same CPUs, so that
    /// ranks left unbound (`--bind-to none`, oversubscribed) or bound to a whole socket together use
    /// each CPU once, not once per rank. Counts from `--threads` or Slurm are kept as they are.
    public func shared(by ranks: Int) -> ThreadCount {
        guard source == "binding", ranks > 1 else { return self }
        return ThreadCount(count: max(1, count / ranks), source: "binding shared by \(ranks) ranks")
    }

    /// The variables of this process that bear on the thread count.
    public static func environment() -> [String: String] {
        guard let value = getenv("SLURM_CPUS_PER_TASK") else { return [:] }
        return ["SLURM_CPUS_PER_TASK": String(cString: value)]
    }
}

internal import CHwloc

/// A set of logical CPUs (hwloc's OS indices), such as the CPUs a rank is bound to.
public struct CPUSet: Sendable, Equatable, CustomStringConvertible {
    /// The CPUs, ascending.
    public let cpus: [Int]

    /// How many CPUs.
    public var count: Int { cpus.count }

    /// The compact list form used by taskset and hwloc: `0-3,8`.
    public var description: String {
        var parts: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}

/// Where this process and its threads may run, read with hwloc.
public enum Affinity {
    /// The CPUs this process is bound to (all its threads together), or nil if hwloc cannot tell.
    /// The corresponding hwloc function is `hwloc_get_cpubind` with `HWLOC_CPUBIND_PROCESS`.
    public static func process() -> CPUSet? { binding(Int32(chwloc_cpubind_process())) }

    /// The CPUs the calling thread is bound to, or nil if hwloc cannot tell.
    /// The corresponding hwloc function is `hwloc_get_cpubind` with `HWLOC_CPUBIND_THREAD`.
    public static func currentThread() -> CPUSet? { binding(Int32(chwloc_cpubind_thread())) }

    /// The CPU the calling thread ran on last.
    /// The corresponding hwloc function is `hwloc_get_last_cpu_location` with `HWLOC_CPUBIND_THREAD`.
    public static func lastCPU() -> Int? {
        guard let topology = Topology.shared.handle, let set = hwloc_bitmap_alloc() else { return nil }
        defer { hwloc_bitmap_free(set) }
        guard hwloc_get_last_cpu_location(topology, set, Int32(chwloc_cpubind_thread())) == 0 else { return nil }
        let first = hwloc_bitmap_first(set)
        return first >= 0 ? Int(first) : nil
    }

    private static func binding(_ flags: Int32) -> CPUSet? {
        guard let topology = Topology.shared.handle, let set = hwloc_bitmap_alloc() else { return nil }
        defer { hwloc_bitmap_free(set) }
        guard hwloc_get_cpubind(topology, set, flags) == 0 else { return nil }
        var cpus: [Int] = []
        var cpu = hwloc_bitmap_first(set)
        while cpu >= 0 {
            cpus.append(Int(cpu))
            cpu = hwloc_bitmap_next(set, cpu)
        }
        return cpus.isEmpty ? nil : CPUSet(cpus: cpus)
    }
}

/// The machine's topology, loaded once per process (hwloc calls on a loaded topology are thread-safe).
private final class Topology: @unchecked Sendable {
    static let shared = Topology()
    let handle: hwloc_topology_t?

    private init() {
        var topology: hwloc_topology_t?
        if hwloc_topology_init(&topology) == 0, hwloc_topology_load(topology) == 0 {
            handle = topology
        } else {
            if topology != nil { hwloc_topology_destroy(topology) }
            handle = nil
        }
    }
}

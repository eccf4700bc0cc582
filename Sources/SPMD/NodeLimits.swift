#if canImport(Glibc)
import Glibc
#endif
import SPMDCore

/// What the node lets this job use, read before any work starts so that a problem too big for it
/// exits 2 with a message instead of failing, or crashing, half-way: threads and memory.
///
/// Limits come from the allocation, not only from the hardware: a Slurm job's memory is its cgroup's
/// limit, and its tasks share the node's thread limits with everything else the user runs there.
public enum NodeLimits {
    /// The memory this node gives the job in bytes: the physical memory, or the memory cgroup's limit
    /// where one is set (Slurm's `--mem`; the tightest of the cgroup and its parents), whichever is less.
    public static func memory() -> Int {
        let physical = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
        return ([physical] + cgroupMemoryLimits()).min()!
    }

    /// The most threads this node lets this user start now: the tightest of `RLIMIT_NPROC` (per user,
    /// less the tasks already running), the kernel's `threads-max`, half its `max_map_count` (a thread's
    /// stack takes two mappings) and the pids cgroup's `pids.max` (less its tasks). Nil where none is set.
    public static func threads() -> Int? {
        var limits: [Int] = []
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            limits.append(Int(clamping: limit.rlim_cur) - (userTasks() ?? 0))
        }
        if let kernel = readNumber("/proc/sys/kernel/threads-max") { limits.append(kernel) }
        // Each thread's stack is two mappings (the stack and its guard page).
        if let mappings = readNumber("/proc/sys/vm/max_map_count") { limits.append(mappings / 2) }
        for (file, current) in cgroupFiles(v1: "pids", names: [("pids.max", "pids.current")]) {
            if let maximum = readNumber(file), let used = readNumber(current) { limits.append(maximum - used) }
        }
        return limits.min()
    }

    /// Throws a `UsageError` unless `threads` threads on each of `ranks` ranks of this node fit the
    /// node's thread limits, and this process can really start them (a trial start, joined at once).
    static func checkThreads(_ threads: Int, ranksOnNode ranks: Int) throws {
        if let limit = Self.threads(), threads * ranks > limit {
            throw UsageError("\(threads) threads per rank × \(ranks) rank\(ranks == 1 ? "" : "s") on this node: "
                             + "the system allows at most \(max(limit, 0)) more threads here")
        }
        do {
            _ = try ThreadTeam.run(count: threads) { _ in }
        } catch {
            throw UsageError("cannot start \(threads) threads: \(error)")
        }
    }

    /// Throws a `UsageError` unless `bytes` bytes on each of `ranks` ranks of this node fit its memory;
    /// `what` says what needs them (`--size 3e9 gathers 24.0 GB on rank 0`).
    public static func checkMemory(_ bytes: Int, ranksOnNode ranks: Int, for what: String) throws {
        let available = memory()
        let needed = bytes.multipliedReportingOverflow(by: max(ranks, 1))
        guard needed.overflow || needed.partialValue > available else { return }
        let each = ranks > 1 ? " on each of \(ranks) ranks of this node" : ""
        throw UsageError("\(what): it needs \(gigabytes(bytes)) GB\(each); the node gives this job "
                         + "\(gigabytes(available)) GB")
    }

    static func gigabytes(_ bytes: Int) -> String { Format.printf("%.1f", Double(bytes) / 1e9) }

    /// The memory cgroup's limits on this process and its parent groups (v1 and v2); none if unset.
    private static func cgroupMemoryLimits() -> [Int] {
        cgroupFiles(v1: "memory", names: [("memory.limit_in_bytes", ""), ("memory.max", "")])
            .compactMap { readNumber($0.0) }
    }

    /// For each group this process is in under controller `v1` (or the v2 unified tree), from its own
    /// group up to the root: the paths of `names` that exist there.
    private static func cgroupFiles(v1 controller: String, names: [(String, String)]) -> [(String, String)] {
        guard let text = readText("/proc/self/cgroup") else { return [] }
        var roots: [(String, String)] = []  // (mount point, path in the hierarchy)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0", fields[1].isEmpty {
                roots += [("/sys/fs/cgroup", String(fields[2])), ("/sys/fs/cgroup/unified", String(fields[2]))]
            } else if fields[1].split(separator: ",").contains(Substring(controller)) {
                roots.append(("/sys/fs/cgroup/\(fields[1])", String(fields[2])))
            }
        }
        var files: [(String, String)] = []
        for (mount, path) in roots {
            var components = path.split(separator: "/").map(String.init)
            while true {
                let folder = ([mount] + components).joined(separator: "/")
                for (name, companion) in names where access("\(folder)/\(name)", R_OK) == 0 {
                    files.append(("\(folder)/\(name)", companion.isEmpty ? "" : "\(folder)/\(companion)"))
                }
                if components.isEmpty { break }
                components.removeLast()
            }
        }
        return files
    }

    /// The tasks (threads) this user runs on the node, from /proc; nil if it cannot tell.
    private static func userTasks() -> Int? {
        guard let folder = opendir("/proc") else { return nil }
        defer { closedir(folder) }
        let user = getuid()
        var count = 0
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.first?.isNumber == true else { continue }
            var info = stat()
            guard stat("/proc/\(name)", &info) == 0, info.st_uid == user else { continue }
            count += readText("/proc/\(name)/status")?.split(separator: "\n")
                .first { $0.hasPrefix("Threads:") }
                .flatMap { Int($0.dropFirst(8).trimmingCharacters()) } ?? 1
        }
        return count
    }

    private static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let read = fread(&buffer, 1, buffer.count, file)
            if read == 0 { break }
            bytes += buffer[0..<read]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole number alone in a file (`max` and other words give nil).
    private static func readNumber(_ path: String) -> Int? {
        readText(path).flatMap { Int($0.trimmingCharacters()) }
    }
}

private extension StringProtocol {
    func trimmingCharacters() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

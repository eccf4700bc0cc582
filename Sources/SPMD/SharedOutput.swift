import MPI
#if canImport(Glibc)
import Glibc
#endif

/// An output file that every rank writes its own part of, straight into place (MPI-IO), and that
/// appears whole or not at all: the ranks write a temporary file in the same folder, and rank 0
/// renames it over `path` once every rank has finished. A failing rank removes the temporary file
/// before the job is aborted.
public enum SharedOutput {
    /// Throws a `UsageError` if `path` cannot be written (no such folder, a folder itself, a folder
    /// this rank cannot create a file in). For `prepare`, so a bad path exits 2 before any work.
    /// `rank` names this rank's probe file, which is created and removed at once.
    public static func check(_ path: String, option: String, rank: Int) throws {
        guard !path.isEmpty else { throw UsageError("\(option) needs a file name") }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw UsageError("cannot write \(option) \(path): it is a folder")
        }
        let folder = self.folder(of: path)
        guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw UsageError("cannot write \(option) \(path): no folder \(folder)")
        }
        // Permission bits do not tell (root, read-only mounts): try it.
        let probe = "\(folder)/.\(name(of: path)).probe-\(rank)-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw UsageError("cannot write \(option) \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        unlink(probe)
    }

    /// Creates a file of `bytes` bytes under a temporary name, runs `body` with it on every rank
    /// (each writes its part with `File.writeAll`), closes it and renames it to `path` (collective).
    public static func write(_ path: String, bytes: Int, communicator: Communicator,
                             _ body: (File) throws -> Void) throws {
        let rank = communicator.rank
        let temporary = try communicator.broadcast(
            rank == 0 ? "\(folder(of: path))/.\(name(of: path)).partial-\(getpid())" : "", root: 0)
        let cleanup = Environment.onFailure { [temporary] in _ = unlink(temporary) }
        defer { Environment.cancelOnFailure(cleanup) }
        let file = try File(temporary, access: .write, communicator: communicator)
        try file.setSize(bytes)
        try body(file)
        try file.close()
        if rank == 0, rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            _ = unlink(temporary)
            throw UsageError("cannot rename \(temporary) to \(path): \(reason)")
        }
        try communicator.barrier()
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

extension Communicator {
    /// The exact sum of every rank's `sum`, rounded once, at the root (nil elsewhere): the same bits
    /// for any split of the terms. One `MPI_Reduce` of the accumulators' integer limbs.
    public func reduce(_ sum: ExactSum, root: Int) throws -> Double? {
        try reduce(sum.limbs, operation: .sum, root: root).map { ExactSum(limbs: $0).value }
    }

    /// As `reduce(_:root:)`, on every rank (`MPI_Allreduce`).
    public func allReduce(_ sum: ExactSum) throws -> Double {
        ExactSum(limbs: try allReduce(sum.limbs, operation: .sum)).value
    }
}

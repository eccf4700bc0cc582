import CSystem
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

    /// Creates a file of `bytes` bytes under a temporary name in `path`'s folder, runs `body` with it
    /// on every rank (each writes its part with `File.writeAll`, once), and renames it to `path` once
    /// every rank's part is written and on the device (collective).
    ///
    /// Nothing is lost, nothing left behind:
    /// - Rank 0 reserves the file's blocks first (`fallocate`), so a full disk or a quota shows before
    ///   any work is written, with the system's reason.
    /// - Every write's count is checked (`File.writeAll`), and `MPI_File_sync` must succeed, before
    ///   the rename; the folder is synced after it.
    /// - A failure ends the job with one line from the lowest rank that had it,
    ///   `rank R: writing FILE: No space left on device`, and no file under `path`'s name: an existing
    ///   file of that name is left untouched.
    /// - The temporary file is deleted if any rank fails or is stopped by a signal
    ///   (`Environment.registerTemporary`), and if rank 0 is killed outright (`Janitor`).
    public static func write(_ path: String, bytes: Int, communicator: Communicator,
                             _ body: (File) throws -> Void) throws {
        let rank = communicator.rank
        let temporary = try communicator.broadcast(
            rank == 0 ? "\(folder(of: path))/.\(name(of: path)).partial-\(getpid())" : "", root: 0)
        let token = Environment.registerTemporary(temporary)
        // Open MPI's OMPIO probes file locking with `<file>.locktest.<rank>` while it opens a file.
        let probe = Environment.registerTemporary("\(temporary).locktest.\(rank)")
        defer { Environment.keepTemporary(probe) }
        let janitor = rank == 0 ? Janitor(removing: temporary) : nil
        defer { janitor?.dismiss() }
        let file = try File(temporary, access: .write, communicator: communicator)
        var problem = rank == 0 ? reserve(temporary, bytes: bytes) : nil
        try agree(problem, path: path, communicator: communicator)
        do {
            try body(file)
        } catch let error as MPIError where error.isIncompleteTransfer {
            problem = reason(for: error, folder: folder(of: path))
        }
        // Collective, so every rank takes part whatever its own writes gave.
        do { try file.sync() } catch { problem = problem ?? reason(for: error, folder: folder(of: path)) }
        do { try file.close() } catch { problem = problem ?? reason(for: error, folder: folder(of: path)) }
        try agree(problem, path: path, communicator: communicator)
        if rank == 0 {
            guard rename(temporary, path) == 0 else {
                throw RunError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
            Environment.keepTemporary(token)
            janitor?.dismiss()
            if let failure = syncFolder(of: path) { throw RunError("writing \(path): \(failure)") }
        }
        try communicator.barrier()
        if rank != 0 { Environment.keepTemporary(token) }
    }

    /// Writes every rank's `part` one after another, in rank order, into one file at `path`
    /// (collective): each rank's bytes go at the offset of the ranks before it (an exclusive scan
    /// of the byte counts), straight into place with `write(_:bytes:communicator:_:)`, whole or not at
    /// all. Nothing is gathered on one rank.
    public static func writeInRankOrder<T: MPIScalar>(_ path: String, part: UnsafeBufferPointer<T>,
                                                     communicator: Communicator) throws {
        let bytes = part.count * MemoryLayout<T>.stride
        let offset = try communicator.exscan(bytes, operation: .sum) ?? 0
        let total = try communicator.allReduce(bytes, operation: .sum)
        try write(path, bytes: total, communicator: communicator) { file in
            try file.writeAll(part, at: offset)
        }
    }

    /// Puts `values` in little-endian byte order in place, as files of Float64 are written (nothing
    /// to do on a little-endian host); `readBack` undoes it.
    public static func makeLittleEndian(_ values: UnsafeMutableBufferPointer<Double>) {
        for index in values.indices { values[index] = Double(bitPattern: values[index].bitPattern.littleEndian) }
    }

    /// Reads the `count` little-endian Float64 values of the file at `path` (from one rank, no MPI)
    /// in chunks of at most `chunk`, and calls `body` with each chunk in host byte order and the
    /// index of its first value: the verifier of a written file. Throws a `RunError` if the file
    /// cannot be read or holds fewer values.
    public static func readBack(_ path: String, count: Int, chunk: Int = 1 << 20,
                                _ body: (UnsafeBufferPointer<Double>, Int) throws -> Void) throws {
        guard let file = fopen(path, "rb") else {
            throw RunError("cannot read back \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, min(chunk, count)))
        defer { buffer.deallocate() }
        var start = 0
        while start < count {
            let read = fread(buffer.baseAddress, 8, min(buffer.count, count - start), file)
            guard read > 0 else { throw RunError("\(path) ends after \(start) elements") }
            let values = UnsafeMutableBufferPointer(rebasing: buffer[..<read])
            for index in values.indices {
                values[index] = Double(bitPattern: UInt64(littleEndian: values[index].bitPattern))
            }
            try body(UnsafeBufferPointer(values), start)
            start += read
        }
    }

    /// Ends the job if any rank has a `problem`: the lowest such rank throws `writing PATH: problem`
    /// (its temporary files are deleted as the job is aborted); the others wait for the abort.
    private static func agree(_ problem: String?, path: String, communicator: Communicator) throws {
        let first = try communicator.allReduce(problem == nil ? communicator.size : communicator.rank,
                                               operation: .min)
        guard first < communicator.size else { return }
        if let problem, first == communicator.rank { throw RunError("writing \(path): \(problem)") }
        try communicator.barrier()  // never passed: rank `first` aborts the job
        throw RunError("writing \(path) failed on rank \(first)")
    }

    /// Reserves `bytes` bytes of the file at `path`; the system's reason if it cannot. Where the file
    /// system cannot reserve (no `fallocate`), the file is only sized, and the checked writes find a
    /// full disk instead.
    private static func reserve(_ path: String, bytes: Int) -> String? {
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        if bytes == 0 || fallocate(descriptor, 0, 0, off_t(bytes)) == 0 { return nil }
        let failure = errno
        guard failure == EOPNOTSUPP || failure == ENOSYS || failure == EINVAL else {
            return String(cString: strerror(failure))
        }
        return ftruncate(descriptor, off_t(bytes)) == 0 ? nil : String(cString: strerror(errno))
    }

    /// Why a write came up short: a full disk if the folder's file system has no room left, else
    /// what MPI said.
    private static func reason(for error: any Error, folder: String) -> String {
        var info = statvfs()
        if statvfs(folder, &info) == 0, info.f_bavail == 0 { return String(cString: strerror(ENOSPC)) }
        return "\(error)"
    }

    /// Makes the rename itself durable; the system's reason if it cannot.
    private static func syncFolder(of path: String) -> String? {
        let descriptor = open(folder(of: path), O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 || errno == EINVAL ? nil : String(cString: strerror(errno))
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

/// A small process that deletes a file when this one ends, unless dismissed first: the temporary
/// file of a rank killed by SIGKILL, which no handler sees (mpiexec sends it right after SIGTERM when
/// `odls_base_sigkill_timeout` is 0, and a rank in a long write may not have run its handler yet).
///
/// `sh` in a session of its own, ignoring the stopping signals, reads its standard input, a pipe
/// from this process: it ends at `keep`, or at end of file (this process has ended, however), and
/// then deletes the file and Open MPI's lock probes beside it. It holds no other descriptor of this
/// process.
final class Janitor {
    private var pipe: Int32 = -1
    private var child: pid_t = 0

    /// Starts the janitor; nil if it cannot start (the file is then guarded by the handlers alone).
    init?(removing path: String) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
            close(ends[0])
        }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK) | csystem_posix_spawn_setsid())
        let script = "trap '' TERM INT HUP; read -r word; [ \"$word\" = keep ] || rm -f -- \"$0\" \"$0\".locktest.*"
        let arguments = ["sh", "-c", script, path]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        guard posix_spawn(&child, "/bin/sh", &actions, &attributes, &cArguments, environ) == 0 else {
            close(ends[1])
            return nil
        }
        pipe = ends[1]
    }

    /// The file is complete (or already gone): the janitor ends without deleting it.
    func dismiss() {
        guard pipe >= 0 else { return }
        _ = "keep\n".withCString { write(pipe, $0, 5) }
        close(pipe)
        pipe = -1
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
    }
}

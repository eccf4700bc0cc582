internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

extension Environment {
    /// Runs `body` as an MPI program, the way `python -m mpi4py` runs a script.
    ///
    /// Starts MPI, replaces the multi-page crash reports of Swift and Open MPI with one line per
    /// crashing rank, and runs `body` with the provided thread level. When `body` returns, MPI is
    /// finalized and the process exits with the code `body` returned. When `body` throws on any rank,
    /// that rank prints `rank R: <error>` to standard error and ends the whole job with `MPI_Abort`,
    /// so the other ranks never wait forever in a collective.
    /// The corresponding MPI functions are `MPI_Init_thread`, `MPI_Finalize` and `MPI_Abort`.
    public static func run(threadLevel: ThreadLevel = .funneled,
                           _ body: (ThreadLevel) throws -> Int32) -> Never {
        let provided: ThreadLevel
        do {
            provided = try initialize(threadLevel: threadLevel)
        } catch {
            printError("rank ?: \(error)")
            exit(1)
        }
        let rank = Communicator.world.rank
        worldRank = rank
        CrashReport.install(rank: rank)
        let code: Int32
        do {
            code = try body(provided)
            fflush(nil)
            try finalize()
        } catch {
            fail("\(error)")
        }
        exit(code)
    }

    /// Prints `rank R: message` on standard error, runs the cleanups registered with `onFailure`,
    /// and ends the whole job with exit code 1. The corresponding MPI function is `MPI_Abort`.
    public static func fail(_ message: String) -> Never {
        fflush(nil)
        printError("rank \(worldRank.map(String.init) ?? "?"): \(message)")
        for cleanup in failureCleanups.reversed() { cleanup.action() }
        abort(code: 1)
    }

    /// Registers `action` to run on this rank if it fails (an error thrown out of `run`'s body, or
    /// `fail`), before the job is aborted: removing a half-written file, for instance.
    /// Returns a token for `cancelOnFailure`.
    @discardableResult
    public static func onFailure(_ action: @escaping () -> Void) -> Int {
        nextCleanup += 1
        failureCleanups.append((nextCleanup, action))
        return nextCleanup
    }

    /// Forgets the cleanup registered under `token`.
    public static func cancelOnFailure(_ token: Int) {
        failureCleanups.removeAll { $0.token == token }
    }
}

extension Environment {
    /// Writes one line to standard error in one system call, so lines of different ranks do not interleave.
    public static func printError(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        fflush(nil)
        text.withCString { _ = write(2, $0, strlen($0)) }
    }
}

/// Cleanups to run before aborting, in the order registered (run last first).
nonisolated(unsafe) private var failureCleanups: [(token: Int, action: () -> Void)] = []
nonisolated(unsafe) private var nextCleanup = 0

/// This process's rank in the world, read once at start, so `fail` needs no MPI call.
nonisolated(unsafe) private var worldRank: Int?

/// One line per crashing rank instead of Swift's backtrace report and Open MPI's stack dump.
///
/// Swift's runtime prints its own one-line `Fatal error: ...` before it traps; the handler adds
/// `rank R: crashed (SIGILL)` and exits, and mpiexec then ends the other ranks.
enum CrashReport {
    nonisolated(unsafe) private static var messages: [UnsafeMutableBufferPointer<UInt8>] = []
    private static let signals: [(Int32, String)] = [
        (SIGILL, "SIGILL: a Swift runtime trap such as a failed precondition or an overflow; see the line above"),
        (SIGTRAP, "SIGTRAP: a Swift runtime trap; see the line above"),
        (SIGSEGV, "SIGSEGV: invalid memory access"),
        (SIGBUS, "SIGBUS: invalid memory access"),
        (SIGFPE, "SIGFPE: arithmetic error"),
        (SIGABRT, "SIGABRT: abort"),
    ]

    static func install(rank: Int) {
        messages = (0..<65).map { _ in UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0) }
        for (number, name) in signals {
            let bytes = Array("rank \(rank): crashed with \(name)\n".utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = buffer.initialize(from: bytes)
            messages[Int(number)] = buffer
            signal(number, handler)
        }
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        let message = CrashReport.messages[Int(number)]
        _ = write(2, message.baseAddress, message.count)
        _exit(1)
    }
}

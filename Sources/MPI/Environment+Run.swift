internal import CMPI
import Synchronization
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
        StopSignals.install(rank: rank)
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
        Temporaries.removeAll()
        for cleanup in failureCleanups.reversed() { cleanup.action() }
        // MPICH's Hydra ends the job's processes as soon as one aborts, and can drop a line written
        // just before (1 run in 12 measured); a tenth of a second lets it pass the message on.
        usleep(100_000)
        abort(code: 1)
    }

    /// Registers a file this rank is writing under a temporary name, to be deleted if the rank fails
    /// (`fail`, an error thrown out of `run`'s body) or is stopped by SIGTERM, SIGINT or SIGHUP (what
    /// Slurm sends at the time limit and on `scancel`, and mpiexec passes on). Returns a token for
    /// `keepTemporary`, to call once the file is complete and renamed. At most 64 at once.
    public static func registerTemporary(_ path: String) -> Int { Temporaries.add(path) }

    /// Forgets the temporary file registered under `token` (it is complete, or already gone).
    public static func keepTemporary(_ token: Int) { Temporaries.remove(token) }

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

extension Environment {
    /// Catches SIGUSR1 (what `sbatch --signal=B:USR1@120` sends before the time limit) as a request
    /// to stop at the program's next safe point instead of ending the rank; with `terminate`, the
    /// first SIGTERM too (a second one ends the rank at once, as usual). The handler only records the
    /// signal (async-signal-safe); `stopRequest` reads it.
    public static func catchStopRequests(terminate: Bool) {
        StopRequests.deferTerminate.store(terminate, ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = StopRequests.handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGUSR1, &action, nil)
    }

    /// The signal number of a stop request caught since `catchStopRequests` (SIGUSR1 or SIGTERM),
    /// or 0 if none.
    public static var stopRequest: Int32 { StopRequests.signal.load(ordering: .relaxed) }
}

/// The stop requests caught by `catchStopRequests`: lock-free atomics, safe to set from a handler.
enum StopRequests {
    static let signal = Atomic<Int32>(0)
    static let deferTerminate = Atomic<Bool>(false)

    static let handler: @convention(c) (Int32) -> Void = { number in
        StopRequests.signal.store(number, ordering: .relaxed)
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
        messages = signalLines(signals) { "rank \(rank): crashed with \($0)\n" }
        for (number, _) in signals { signal(number, handler) }
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        let message = CrashReport.messages[Int(number)]
        _ = write(2, message.baseAddress, message.count)
        _exit(1)
    }
}

/// One line per signal number, made before any handler runs, so a handler writes it without
/// allocating: `line(name)` for each of `signals`, empty for the others.
private func signalLines(_ signals: [(Int32, String)], _ line: (String) -> String) -> [UnsafeMutableBufferPointer<UInt8>] {
    var lines = (0..<65).map { _ in UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0) }
    for (number, name) in signals {
        let bytes = Array(line(name).utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        lines[Int(number)] = buffer
    }
    return lines
}

/// The temporary files to delete on failure or on a stopping signal, in a table a signal handler can
/// read without allocating: 64 slots of C strings, changed only with the stopping signals blocked.
enum Temporaries {
    static let capacity = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()

    static func add(_ path: String) -> Int {
        StopSignals.blocked {
            guard let slot = (0..<capacity).first(where: { slots[$0] == nil }) else {
                preconditionFailure("more than \(capacity) temporary files at once")
            }
            slots[slot] = strdup(path)
            return slot
        }
    }

    static func remove(_ token: Int) {
        StopSignals.blocked {
            let path = slots[token]
            slots[token] = nil
            free(path)
        }
    }

    /// Deletes every registered file; async-signal-safe (only `unlink`).
    static func removeAll() {
        for slot in 0..<capacity { if let path = slots[slot] { unlink(path) } }
    }
}

/// SIGTERM, SIGINT and SIGHUP end this rank at once: its temporary files are deleted, one line
/// `rank R: stopped by SIGTERM` goes to standard error, and the signal is raised again with its
/// default action, so the launcher sees the rank end by it (exit status 128 + signal) and ends the
/// rest of the job. SIGUSR1 is left alone unless `Environment.catchStopRequests` catches it (and then
/// the first SIGTERM too, if asked).
///
/// A signal sent to a rank from elsewhere is reported by that rank. One from this process's parent
/// is the launcher's: slurmstepd passing on a `scancel` or the time limit to every task, reported by
/// rank 0 only, so a job stopped as a whole prints one line; or mpiexec's daemon ending the other
/// ranks after one failed or stopped, or passing on a signal mpiexec got (it then prints no more of
/// the ranks' output), not reported at all.
enum StopSignals {
    static let numbers: [(Int32, String)] = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")]
    nonisolated(unsafe) private static var messages: [UnsafeMutableBufferPointer<UInt8>] = []
    /// Rank 0 started by slurmstepd: it reports the launcher's signals.
    nonisolated(unsafe) private static var reportsLauncherSignals = false

    static func install(rank: Int) {
        reportsLauncherSignals = rank == 0 && parentName() == "slurmstepd"
        messages = signalLines(numbers) { "rank \(rank): stopped by \($0)\n" }
        _ = Temporaries.slots  // the table exists before any handler can read it
        // Swift creates a global or static `let` on first use, under a lock (swift_once): a handler
        // that were first to touch these could deadlock or allocate. Touch them here, before any
        // handler is installed, so a handler only ever reads atomics that already exist.
        _ = StopRequests.signal.load(ordering: .relaxed)
        _ = StopRequests.deferTerminate.load(ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = handler
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        for (number, _) in numbers { sigaddset(&action.sa_mask, number) }
        for (number, _) in numbers { sigaction(number, &action, nil) }
    }

    /// The command name of this process's parent (`/proc/PID/comm`), or "" if it cannot be read.
    private static func parentName() -> String {
        guard let file = fopen("/proc/\(getppid())/comm", "r") else { return "" }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let read = fread(&buffer, 1, buffer.count, file)
        return String(decoding: buffer[..<read].prefix { $0 != 10 && $0 != 0 }, as: UTF8.self)
    }

    /// Runs `body` with the stopping signals blocked on this thread.
    static func blocked<R>(_ body: () -> R) -> R {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for (number, _) in numbers { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return body()
    }

    private static let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?)
        -> Void = { number, info, _ in
        // A program that saves its state on request takes the first SIGTERM as one (`catchStopRequests`).
        if number == SIGTERM, StopRequests.deferTerminate.exchange(false, ordering: .relaxed) {
            StopRequests.signal.store(number, ordering: .relaxed)
            return
        }
        Temporaries.removeAll()
        let sender = info?.pointee._sifields._kill.si_pid ?? 0
        if StopSignals.reportsLauncherSignals || sender != getppid() {
            let message = StopSignals.messages[Int(number)]
            _ = write(2, message.baseAddress, message.count)
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}

internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// The thread support level requested from and provided by MPI (`MPI_THREAD_*`).
public enum ThreadLevel: Int, Comparable, Sendable, CustomStringConvertible {
    /// `MPI_THREAD_SINGLE`: one thread only.
    case single
    /// `MPI_THREAD_FUNNELED`: many threads, only the main one calls MPI.
    case funneled
    /// `MPI_THREAD_SERIALIZED`: many threads call MPI, one at a time.
    case serialized
    /// `MPI_THREAD_MULTIPLE`: many threads call MPI at once.
    case multiple

    var cValue: Int32 {
        switch self {
        case .single: cmpi_thread_single()
        case .funneled: cmpi_thread_funneled()
        case .serialized: cmpi_thread_serialized()
        case .multiple: cmpi_thread_multiple()
        }
    }

    init(cValue: Int32) {
        switch cValue {
        case cmpi_thread_multiple(): self = .multiple
        case cmpi_thread_serialized(): self = .serialized
        case cmpi_thread_funneled(): self = .funneled
        default: self = .single
        }
    }

    /// Levels order as MPI's constants do: single < funneled < serialized < multiple.
    public static func < (lhs: ThreadLevel, rhs: ThreadLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `funneled`, as in `MPI_THREAD_FUNNELED`.
    public var description: String { ["single", "funneled", "serialized", "multiple"][rawValue] }
}

/// The MPI environment of this process: start, stop, timers and facts about the library
/// (`MPI_Init_thread`, `MPI_Finalize`, `MPI_Abort`, `MPI_Wtime`, `MPI_Get_library_version`, ...).
public enum Environment {
    /// Starts MPI with the requested thread level and returns the level provided.
    /// Sets `MPI_ERRORS_RETURN` on the world and self communicators, so errors come back as `MPIError`.
    /// The corresponding MPI function is `MPI_Init_thread`.
    ///
    /// A library of another family than the one compiled against (found first on the library path),
    /// or a launcher of another implementation (which starts N singletons), ends the process with
    /// exit code 2 and one line saying which is which and what to do.
    public static func initialize(threadLevel: ThreadLevel = .funneled) throws(MPIError) -> ThreadLevel {
        if let mismatch = Implementation.libraryMismatch() {
            if Implementation.isFirstByEnvironment { printError(mismatch) }
            exit(2)
        }
        let provided = try Call.initThread(threadLevel.cValue)
        if Implementation.ignoresErrorsReturn { try Call.useReturningHandlers() }
        try Call.setErrorsReturn(cmpi_comm_world())
        try Call.setErrorsReturn(cmpi_comm_self())
        if let mismatch = Implementation.launcherMismatch(worldSize: try Call.commSize(cmpi_comm_world())) {
            if Implementation.isFirstByEnvironment { printError(mismatch) }
            try? finalize()
            exit(2)
        }
        return ThreadLevel(cValue: provided)
    }

    /// What the layer does differently on the library loaded to keep its promises (such as errors
    /// that return), one line per library bug worked around; empty on a library that needs nothing.
    public static var workarounds: [String] { Implementation.workarounds() }

    /// The thread level MPI provided to this process (what `initialize` returned).
    /// The corresponding MPI function is `MPI_Query_thread`.
    public static func threadLevel() throws(MPIError) -> ThreadLevel { ThreadLevel(cValue: try Call.queryThread()) }

    /// Stops MPI; call it once on every rank, after the last MPI call, and only on success.
    /// The corresponding MPI function is `MPI_Finalize`.
    public static func finalize() throws(MPIError) { try Call.finalize() }

    /// Whether MPI has been started. The corresponding MPI function is `MPI_Initialized`.
    public static var isInitialized: Bool { Call.initialized() }

    /// Whether MPI has been stopped. The corresponding MPI function is `MPI_Finalized`.
    public static var isFinalized: Bool { Call.finalized() }

    /// Ends every process of the job with `code`. The corresponding MPI function is `MPI_Abort`.
    public static func abort(code: Int32 = 1) -> Never {
        fflush(nil)
        Call.abort(cmpi_comm_world(), code)
        _exit(code)  // MPI_Abort does not return; this keeps the promise if it ever did.
    }

    /// The name of the node this process runs on. The corresponding MPI function is `MPI_Get_processor_name`.
    public static func processorName() throws(MPIError) -> String { try Call.processorName() }

    /// The MPI library's version text, e.g. `Open MPI v4.1.4, ...`.
    /// The corresponding MPI function is `MPI_Get_library_version`.
    public static func libraryVersion() throws(MPIError) -> String { try Call.libraryVersion() }

    /// The version of the MPI standard the library implements. The corresponding MPI function is `MPI_Get_version`.
    public static func standardVersion() throws(MPIError) -> (major: Int, minor: Int) { try Call.version() }

    /// Seconds since an arbitrary time in the past. The corresponding MPI function is `MPI_Wtime`.
    @inline(__always)
    public static func time() -> Double { Call.wtime() }

    /// The resolution of `time()` in seconds. The corresponding MPI function is `MPI_Wtick`.
    public static var tick: Double { Call.wtick() }
}

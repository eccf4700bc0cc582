internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// Which MPI this module was compiled against and which one runs it, and the two start-up checks
/// that keep a program from running on the wrong one: the library loaded at run time must be of the
/// family compiled against, and the launcher must be the one that library speaks to (mpi4py's
/// `check_mpiexec` is the model; its variables: `OMPI_COMM_WORLD_SIZE` from Open MPI's launchers,
/// `PMI_SIZE` and `HYDI_CONTROL_FD` from Hydra, MPICH's and Intel MPI's).
enum Implementation {
    /// An MPI family: the libraries one binary can load.
    enum Family: Equatable {
        case openMPI(major: Int)   // libmpi.so.40; a binary is built for one major version
        case mpich(String)         // the MPICH ABI, libmpi.so.12: MPICH, Intel MPI, MVAPICH, Cray MPICH
        case standardABI           // the MPI 5.0 standard ABI, libmpi_abi.so.1
        case unknown(String)

        /// The `MPI=<name>` that builds against it here.
        var makeName: String {
            switch self {
            case .openMPI(let major): major >= 5 ? "openmpi5" : "openmpi"
            case .mpich(let vendor): vendor == "Intel MPI" ? "intelmpi" : "mpich"
            case .standardABI: "abi"
            case .unknown: "<name>"
            }
        }

        var description: String {
            switch self {
            case .openMPI(let major): "Open MPI \(major)"
            case .mpich(let vendor): vendor
            case .standardABI: "the MPI standard ABI"
            case .unknown(let text): text
            }
        }

        /// Whether a binary built against `self` runs correctly on `library`.
        func accepts(_ library: Family) -> Bool {
            switch (self, library) {
            case (.standardABI, _): true   // only a libmpi_abi.so could have been loaded
            case (.openMPI(let built), .openMPI(let running)): built == running
            case (.mpich, .mpich): true    // one ABI, the point of it
            case (.unknown, _), (_, .unknown): true
            default: false
            }
        }

        var launcher: String {
            switch self {
            case .openMPI: "Open MPI's mpiexec (or srun --mpi=pmix)"
            case .mpich(let vendor): "\(vendor)'s mpiexec, Hydra (or srun --mpi=pmi2)"
            case .standardABI, .unknown: "the mpiexec of the MPI library it runs on"
            }
        }
    }

    /// The family of the headers this module was compiled with.
    static var compiled: Family {
        switch cmpi_family() {
        case 1: .openMPI(major: Int(cmpi_compiled_major()))
        case 2: .mpich(String(cString: cmpi_compiled_name()))
        case 3: .standardABI
        default: .unknown(String(cString: cmpi_compiled_name()))
        }
    }

    /// The family of a library, from the first line of `MPI_Get_library_version`.
    static func family(ofLibrary version: String) -> Family {
        if let range = version.firstRange(of: "Open MPI v") {
            let major = version[range.upperBound...].prefix { $0.isNumber }
            return .openMPI(major: Int(major) ?? 0)
        }
        if version.contains("Intel(R) MPI") { return .mpich("Intel MPI") }
        if version.contains("MVAPICH") { return .mpich("MVAPICH") }
        if version.uppercased().contains("CRAY MPICH") { return .mpich("Cray MPICH") }
        if version.contains("MPICH") { return .mpich("MPICH") }
        return .unknown(String(version.prefix(40)))
    }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Before `MPI_Init` (`MPI_Get_library_version` may be called then): the one line to print and
    /// exit 2 with when the library loaded is not of the family compiled against, else nil.
    static func libraryMismatch() -> String? {
        guard let line = libraryLine() else { return nil }
        let built = compiled, running = family(ofLibrary: line)
        guard !built.accepts(running) else { return nil }
        return "this program was built against \(built.description) but loaded \(running.description) "
            + "(\(line)): put \(built.description)'s library first on "
            + "LD_LIBRARY_PATH (module load its toolchain), or rebuild with make build MPI=\(running.makeName)"
    }

    /// The library's name and version: the first line of `MPI_Get_library_version` up to its first comma.
    static func libraryLine() -> String? {
        guard let version = try? Call.libraryVersion() else { return nil }
        let first = version.split(separator: "\n").first ?? Substring(version)
        return String(first.prefix { $0 != "," }.drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "\t" }
            .reversed())
    }

    /// What the layer does differently on the library loaded, to keep its promises there: one line each,
    /// none on a library that needs nothing. Every entry is a library bug, reproduced in C by a script
    /// the tests run (layer-check reports the list, and its tests expect it exactly).
    static func workarounds() -> [String] {
        guard let line = libraryLine() else { return [] }
        var found: [String] = []
        if ignoresErrorsReturn {
            found.append("\(line) ignores MPI_ERRORS_RETURN: errors return through an error handler of the layer's own")
        }
        return found
    }

    /// scripts/abi-errors.c: Intel MPI 2021.19's libmpi_abi.so aborts on an error under
    /// MPI_ERRORS_RETURN (the shim's own handler that returns works there).
    static var ignoresErrorsReturn: Bool {
        guard compiled == .standardABI, let line = libraryLine() else { return false }
        return family(ofLibrary: line) == .mpich("Intel MPI")
    }

    /// After `MPI_Init`, on a world of one process: the one line to print and exit 2 with when the
    /// environment says another implementation's launcher started N > 1 processes (each of which then
    /// starts as a singleton), else nil. `SWIFTMPI_CHECK_MPIEXEC=0` turns the check off.
    static func launcherMismatch(worldSize: Int) -> String? {
        guard worldSize == 1, environment("SWIFTMPI_CHECK_MPIEXEC") != "0" else { return nil }
        let built = compiled
        let ompiSize = environment("OMPI_COMM_WORLD_SIZE").flatMap { Int($0) }
        let pmiSize = environment("PMI_SIZE").flatMap { Int($0) }
        let hydra = environment("HYDI_CONTROL_FD") != nil || environment("I_MPI_HYDRA_TOPOLIB") != nil
        var started: (launcher: String, ranks: Int)?
        switch built {
        case .openMPI:
            if ompiSize == nil, let pmiSize, pmiSize > 1 {
                started = (hydra ? "a Hydra mpiexec (MPICH's or Intel MPI's)" : "a PMI launcher", pmiSize)
            }
        case .mpich:
            if pmiSize == nil, !hydra, let ompiSize, ompiSize > 1 { started = ("Open MPI's mpiexec", ompiSize) }
        case .standardABI, .unknown:
            if let ompiSize, ompiSize > 1 { started = ("Open MPI's mpiexec", ompiSize) }
            else if let pmiSize, pmiSize > 1 { started = ("a Hydra mpiexec", pmiSize) }
        }
        if started == nil, ompiSize == nil, pmiSize == nil, environment("PMIX_RANK") == nil,
           let tasks = environment("SLURM_STEP_NUM_TASKS").flatMap({ Int($0) }), tasks > 1 {
            started = ("srun without an MPI plugin this library speaks", tasks)
        }
        guard let started else { return nil }
        return "started by \(started.launcher) for \(started.ranks) ranks, but MPI sees 1: this program "
            + "was built against \(built.description); launch it with \(built.launcher)"
    }

    /// Whether this process is the first of the job by its launcher's reckoning, the one that prints.
    static var isFirstByEnvironment: Bool {
        for name in ["OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"] {
            if let value = environment(name) { return value == "0" }
        }
        return true
    }
}

import CVectorMath
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The code paths of the deterministic vector math (`CVectorMath`, over SLEEF's `finz` functions):
/// every path gives the same bits for every element and every sum, so the path only sets the speed.
///
/// Each needs x86-64 with FMA. The programs take the widest this CPU has, or the one named by the
/// environment variable `SPMD_VECTOR` (`scalar`, `avx2` or `avx512`), which is how the tests run
/// every path this machine can take.
public enum VectorPath: String, CaseIterable, Sendable, CustomStringConvertible {
    case scalar, avx2, avx512

    /// The environment variable that names a path.
    public static let environmentVariable = "SPMD_VECTOR"

    var code: Int32 {
        switch self {
        case .scalar: Int32(VM_SCALAR)
        case .avx2: Int32(VM_AVX2)
        case .avx512: Int32(VM_AVX512)
        }
    }

    public var description: String { rawValue }

    /// What `--help` says about the paths.
    public static let help = """
        The math runs through SLEEF's deterministic vector functions (sin and log within 3.5 ulp; \
        square root and division correctly rounded) on the widest path this CPU has: avx512, avx2 or \
        scalar. Every path gives the same bits, so the result does not depend on the CPU (x86-64 with \
        FMA). SPMD_VECTOR=scalar|avx2|avx512 picks a path; the report's details name rank 0's.
        """

    /// Whether this CPU can run the path.
    public var isSupported: Bool { vm_supported(code) != 0 }

    /// The paths this CPU can run, narrowest first (none without FMA).
    public static var supported: [VectorPath] { allCases.filter(\.isSupported) }

    /// The widest path this CPU can run; nil without FMA.
    public static var best: VectorPath? { supported.last }

    /// The path `SPMD_VECTOR` names (`value`, when given, instead of the environment), or the widest
    /// this CPU has; a clear error for an unknown name, a path this CPU lacks, or a CPU without FMA.
    public static func resolve(_ value: String? = environmentValue) throws(VectorPathError) -> VectorPath {
        let names = allCases.map(\.rawValue).joined(separator: ", ")
        guard let value, !value.isEmpty else {
            guard let best else { throw VectorPathError("this CPU has no FMA: the deterministic vector math (SLEEF's finz functions) needs x86-64 with FMA") }
            return best
        }
        guard let path = VectorPath(rawValue: value) else {
            throw VectorPathError("\(environmentVariable) must be one of \(names) (got '\(value)')")
        }
        guard path.isSupported else {
            let available = supported.map(\.rawValue).joined(separator: ", ")
            throw VectorPathError("\(environmentVariable)=\(value): this CPU cannot run that path (it can run: \(available.isEmpty ? "none, no FMA" : available))")
        }
        return path
    }

    /// Checks `SPMD_VECTOR` when it is set, as `resolve` does, for a program whose other kernels
    /// choose their own path by the same name (pi's and euler's Philox, `CPhilox`): a bad name or a
    /// path this CPU lacks is bad usage there too, never silently another path.
    public static func checkEnvironment() throws(VectorPathError) {
        if environmentValue != nil { _ = try resolve() }
    }

    /// `SPMD_VECTOR` from the environment, or nil.
    public static var environmentValue: String? { getenv(environmentVariable).map { String(cString: $0) } }
}

/// A `SPMD_VECTOR` that names no path this CPU can run.
public struct VectorPathError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// sin(x) for every element of `input`, into `output` (SLEEF finz, at most 3.5 ulp), through `path`:
/// the same bits whatever the path.
public func vectorSin(_ input: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>,
                      path: VectorPath) {
    precondition(input.count == output.count, "as many outputs as inputs")
    precondition(path.isSupported, "this CPU cannot run the \(path) path")
    guard let inputs = input.baseAddress, let outputs = output.baseAddress else { return }
    vm_sin(path.code, inputs, outputs, Int64(input.count))
}

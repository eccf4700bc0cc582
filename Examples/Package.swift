// swift-tools-version:6.0
import PackageDescription

// Programs of another package that uses this project's libraries, as a downstream user would:
// a dependency by path on the package one folder up (by URL, it would be
// `.package(url: "https://.../SwiftMPIPrograms", branch: "main")` and `package: "SwiftMPIPrograms"`).
// A path dependency is named after its folder, whatever the checkout is called.
let parent = String(Context.packageDirectory.split(separator: "/").dropLast().last!)

let package = Package(
    name: "SwiftMPIExamples",
    dependencies: [.package(path: "..")],
    targets: [
        // Rank, size and host of every rank, over the MPI layer alone.
        .executableTarget(name: "hello", dependencies: [.product(name: "MPI", package: parent)]),
        // The README's Sum program, on the SPMD harness.
        .executableTarget(name: "sum", dependencies: [.product(name: "SPMD", package: parent)]),
        // Swift structs between ranks: Codable messages, point to point and collective.
        .executableTarget(name: "structs", dependencies: [.product(name: "MPI", package: parent)]),
    ],
    swiftLanguageModes: [.v6]
)

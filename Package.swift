// swift-tools-version:6.0
// PortalOps: the operations console of the provincial public-service portal.
// No third-party packages: Foundation, Dispatch, Glibc and the system SQLite only
// (security staff vet every dependency; see DESIGN.md).
import PackageDescription

let package = Package(
    name: "PortalOps",
    products: [
        .executable(name: "opsd", targets: ["opsd"]),
        .executable(name: "opsctl", targets: ["opsctl"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "PortalOps", dependencies: ["SQLite"]),
        .target(name: "OpsDaemon", dependencies: ["PortalOps", "SQLite"]),
        .target(name: "OpsClient", dependencies: ["PortalOps"]),
        .executableTarget(name: "opsd", dependencies: ["OpsDaemon"]),
        .executableTarget(name: "opsctl", dependencies: ["OpsClient"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "PortalOpsTests", dependencies: ["PortalOps", "SQLite"]),
        .testTarget(name: "OpsClientTests", dependencies: ["OpsClient", "PortalOps"]),
        // Depends on the executables so `swift test` builds them; the tests run
        // the built binaries as an operator would.
        .testTarget(name: "EndToEndTests", dependencies: ["opsd", "opsctl"]),
    ],
    swiftLanguageModes: [.v6]
)

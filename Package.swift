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
        // Libraries only so the fuzz package in Fuzz/ can link these modules (scripts/fuzz.sh);
        // the normal build and CI never build fuzz code.
        .library(name: "OpsProtocol", targets: ["OpsProtocol"]),
        .library(name: "OpsClient", targets: ["OpsClient"]),
        .library(name: "PortalOps", targets: ["PortalOps"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // System calls that need _GNU_SOURCE (accept4), compiled as C.
        .target(name: "CSystem"),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // What opsctl and opsd share: JSON, requests and responses, command
        // specs, roles, time parsing, the socket connect. Foundation only.
        .target(name: "OpsProtocol"),
        .target(name: "PortalOps", dependencies: ["OpsProtocol", "SQLite"]),
        .target(name: "OpsDaemon", dependencies: ["PortalOps", "SQLite", "CSystem"]),
        // Prints the catalog (every capability's command specs) as Swift
        // source for OpsClient at build time, so opsctl knows every command
        // without linking SQLite or the domain.
        .executableTarget(name: "opsctl-catalog", dependencies: ["OpsDaemon"]),
        .plugin(name: "CatalogPlugin", capability: .buildTool(), dependencies: ["opsctl-catalog"]),
        .target(name: "OpsClient", dependencies: ["OpsProtocol"], plugins: ["CatalogPlugin"]),
        .executableTarget(name: "opsd", dependencies: ["OpsDaemon"]),
        .executableTarget(name: "opsctl", dependencies: ["OpsClient"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "OpsProtocolTests", dependencies: ["OpsProtocol"]),
        .testTarget(name: "PortalOpsTests", dependencies: ["PortalOps", "SQLite"]),
        .testTarget(name: "OpsDaemonTests", dependencies: ["OpsDaemon", "PortalOps"]),
        .testTarget(name: "OpsClientTests", dependencies: ["OpsClient", "OpsProtocol"]),
        // Depends on the executables so `swift test` builds them; the tests run
        // the built binaries as an operator would.
        .testTarget(name: "EndToEndTests", dependencies: ["opsd", "opsctl"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
// libFuzzer targets for PortalOps (issue 18), built and run only by scripts/fuzz.sh: every module is compiled
// with AddressSanitizer and libFuzzer's coverage, and only these executables link libFuzzer, so the normal build
// and CI never build fuzz code. See scripts/fuzz.sh for how to run them.
import PackageDescription

/// A fuzz target has no `main`: SwiftPM links an executable's entry as `<Target>_main`, which each target defines
/// with `@_cdecl` to hand over to libFuzzer's driver (FuzzSupport). `-sanitize=fuzzer` is given only when linking
/// here, because the catalog plugin's tool, built with the same flags, must keep its own `main`.
let fuzzSwift: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
let fuzzLink: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name,
                      dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "PortalOps") },
                      swiftSettings: fuzzSwift, linkerSettings: fuzzLink)
}

let package = Package(
    name: "PortalOpsFuzz",
    dependencies: [.package(name: "PortalOps", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        fuzzTarget("FuzzJSONRequest", ["OpsProtocol", "OpsClient"]),
        fuzzTarget("FuzzCommandLine", ["OpsProtocol", "OpsClient"]),
        fuzzTarget("FuzzCSV", ["OpsProtocol", "PortalOps"]),
        fuzzTarget("FuzzTime", ["OpsProtocol"]),
        fuzzTarget("FuzzICalendar", ["OpsProtocol", "PortalOps"]),
        fuzzTarget("FuzzMIME", ["OpsProtocol", "PortalOps"]),
    ],
    swiftLanguageModes: [.v6]
)

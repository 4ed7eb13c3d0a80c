import Foundation

/// Where the built `opsd` and `opsctl` are: `$PORTALOPS_BIN`, else next to
/// the test bundle (SwiftPM builds them because this target depends on them).
enum Binaries {
    static let directory: String = {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let bin = environment["PORTALOPS_BIN"] { candidates.append(bin) }
        let bundle = Bundle.main.bundleURL
        candidates += [bundle.path, bundle.deletingLastPathComponent().path,
                       URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path]
        for xctest in (try? FileManager.default.contentsOfDirectory(atPath: bundle.path)) ?? [] where xctest.hasSuffix(".xctest") {
            candidates.append(bundle.path)
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/opsd") {
            return candidate
        }
        fatalError("cannot find the built opsd; looked in \(candidates); set PORTALOPS_BIN")
    }()

    static var opsd: String { directory + "/opsd" }
    static var opsctl: String { directory + "/opsctl" }
}

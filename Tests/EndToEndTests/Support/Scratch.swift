import Foundation

/// A temporary directory for one test, world-traversable so a test can run
/// opsctl as another uid against a socket inside it.
final class Scratch {
    let path: String

    init() {
        path = "/tmp/portalops-e2e-" + UUID().uuidString.prefix(8).lowercased()
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

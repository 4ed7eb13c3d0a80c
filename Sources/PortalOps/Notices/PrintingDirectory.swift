import Foundation
import OpsProtocol

/// A private directory under DATA/printing for one print or one signature check, removed whatever
/// happens; one a stop cut short is removed at the next start (`NoticePrintingRecovery`).
enum PrintingDirectory {
    /// Runs `body` with a fresh directory (mode 0700); `purpose` ends the error if it cannot be made.
    static func with<T>(_ environment: any JobEnvironment, to purpose: String,
                        _ body: (String) throws -> T) throws -> T {
        let directory = environment.dataDirectory + "/printing/" + UUID().uuidString.lowercased()
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                      attributes: [.posixPermissions: 0o700])
        } catch {
            throw OpsError.internalError("cannot make \(directory) to \(purpose): \(error)")
        }
        defer { try? files.removeItem(atPath: directory) }
        return try body(directory)
    }
}

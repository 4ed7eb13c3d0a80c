import Foundation
import OpsProtocol

/// At start: scratch directories of prints and signature checks cut short by
/// a stop (each holds a notice's HTML or a signed PDF) are removed.
enum NoticePrintingRecovery {
    @Sendable static func recover(_ context: RecoveryContext) throws -> [String] {
        let directory = context.environment.dataDirectory + "/printing"
        let files = FileManager.default
        let left = (try? files.contentsOfDirectory(atPath: directory)) ?? []
        for name in left { try? files.removeItem(atPath: directory + "/" + name) }
        return left.isEmpty ? [] : ["removed \(left.count) notice print(s) cut short by the last stop"]
    }
}

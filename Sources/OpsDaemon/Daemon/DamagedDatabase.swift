import Foundation
import OpsProtocol
import PortalOps
import SQLite

/// At start, opsd runs `quick_check` on ops.db and refuses to serve a
/// damaged one: it would record new work on top of records that are no longer
/// what was confirmed. The backups' metadata lives in the damaged database,
/// so the way back is read from the backups' manifests on disk.
enum DamagedDatabase {
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    /// Throws `Refused` with the restore commands when `db` fails quick_check.
    static func check(_ db: Connection, databasePath: String, dataDirectory: String) throws {
        let problems: [String]
        do {
            problems = try db.quickCheck(maxErrors: 5).problems
        } catch {
            problems = ["\(error)"]
        }
        guard !problems.isEmpty else { return }
        throw Refused(description: "\(databasePath) fails quick_check (\(problems.joined(separator: "; "))); "
                      + "opsd will not serve a damaged ops.db. " + advice(databasePath: databasePath,
                                                                           dataDirectory: dataDirectory))
    }

    /// The newest backup of `ops` with the commands that put it back.
    static func advice(databasePath: String, dataDirectory: String) -> String {
        let folder = dataDirectory + "/backups/ops"
        let manifests = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".manifest.json") }
            .compactMap { name -> JSON? in
                try? JSON.parse(Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            }
            .sorted { ($0["started_at"]?.stringValue ?? "") < ($1["started_at"]?.stringValue ?? "") }
        guard let newest = manifests.last, let file = newest["file"]?.stringValue,
              let sha = newest["sha256"]?.stringValue else {
            return "No backup of ops was found in \(folder); restore ops.db from your off-site copy "
                + "(see runbooks/backup-restore.md)."
        }
        let backup = folder + "/" + file
        return "The newest backup is \(newest["ref"]?.stringValue ?? file) (started "
            + "\(newest["started_at"]?.stringValue ?? "?"), SHA-256 \(sha)). With opsd stopped: "
            + "check 'sha256sum \(backup)' prints \(sha), then "
            + "'mv \(databasePath) \(databasePath).damaged && rm -f \(databasePath)-wal \(databasePath)-shm && "
            + "cp \(backup) \(databasePath) && chmod 600 \(databasePath)', start opsd and run 'opsctl audit verify' "
            + "(runbooks/backup-restore.md)."
    }
}

import Foundation
@preconcurrency import Glibc
import OpsProtocol
import PortalOps
import SQLite

/// `opsd --publish DIR`: the public status site kept up to date for the portal's own web server.
/// Checked every scheduler tick; rebuilt only when the database changed (`PRAGMA data_version`
/// moves when any other connection commits) or the minute turned (the page says when it was
/// updated), and each file rewritten atomically only when its bytes changed.
///
/// `@unchecked Sendable`: used only by the scheduler thread, one tick at a time.
final class PublishedSite: @unchecked Sendable {
    let directory: String
    private let db: Connection
    private let time: LocalTime
    private let clock: any Clock
    private let log: Log
    private var lastVersion: Int64?
    private var lastMinute: Int64?
    private var written: [String: String] = [:]
    private var lastError: String?
    private let bars = AvailabilityBars()

    init(directory: String, databasePath: String, time: LocalTime, clock: any Clock, log: Log) throws {
        self.directory = directory
        db = try Connection(path: databasePath, mode: .readOnly)
        self.time = time
        self.clock = clock
        self.log = log
    }

    func refresh() {
        do {
            let now = clock.now()
            let version = try db.queryRow("PRAGMA data_version")?.int(0)
            guard version != lastVersion || now / 60_000 != lastMinute else { return }
            let files = try db.transaction { try StatusSite.files(db, time: time, now: now, bars: bars) }
            var changed = 0
            for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
                let hash = SHA256.hex(bytes)
                guard written[name] != hash else { continue }
                let path = directory + "/" + name
                let folder = (path as NSString).deletingLastPathComponent
                if folder != directory {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o755])
                }
                try AtomicFile.replace(path, with: bytes)
                written[name] = hash
                changed += 1
            }
            lastVersion = version
            lastMinute = now / 60_000
            if lastError != nil { log.event("status site \(directory) written again") }
            lastError = nil
        } catch {
            let message = "\(error)"
            if message != lastError { log.event("could not publish the status site to \(directory): \(message)") }
            lastError = message
        }
    }
}

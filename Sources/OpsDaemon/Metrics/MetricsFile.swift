import Foundation
@preconcurrency import Glibc
import OpsProtocol
import PortalOps
import SQLite

/// `opsd --metrics-file PATH`: the metrics rewritten after every scheduler
/// tick for node_exporter's textfile collector, which must never read a
/// half-written file: each version is written to a temporary file in the same
/// directory and renamed over the old one. Not fsynced: the next tick
/// rewrites it anyway, and node_exporter's `node_textfile_mtime_seconds`
/// shows a file that stopped changing.
///
/// Counts leave out security incidents and their pages: the file is readable
/// by the monitoring host, which may not see them.
///
/// `@unchecked Sendable`: `db` is used only by the scheduler thread, one tick at a time.
final class MetricsFile: @unchecked Sendable {
    let path: String
    private let report: MetricsReport
    private let db: Connection
    private let clock: any Clock
    private let log: Log
    private var lastError: String?

    init(path: String, report: MetricsReport, databasePath: String, clock: any Clock, log: Log) throws {
        self.path = path
        self.report = report
        self.db = try Connection(path: databasePath, mode: .readOnly)
        self.clock = clock
        self.log = log
    }

    /// Writes the file now; logs a failure once per streak rather than every second.
    func write() {
        do {
            let text = PrometheusText.render(try report.families(db: db, now: clock.now(), includeSecurity: false))
            try Self.replace(path, with: text)
            if lastError != nil { log.event("metrics file \(path) written again") }
            lastError = nil
        } catch {
            let message = "\(error)"
            if message != lastError { log.event("could not write the metrics file \(path): \(message)") }
            lastError = message
        }
    }

    /// Writes `text` whole, mode 0644: node_exporter runs as its own user.
    static func replace(_ path: String, with text: String) throws {
        try AtomicFile.replace(path, with: Array(text.utf8))
    }
}

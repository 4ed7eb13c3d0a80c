import OpsProtocol
import SQLite

/// The console checks its own records every hour: the audit chain
/// (`audit verify`) and the database (`quick_check`). A failure is an error
/// in `status` and opens a security incident (someone may have edited
/// ops.db behind opsd's back, or the disk is failing).
public enum SelfCheck {
    /// How often the checks run.
    public static let interval: Int64 = 3_600_000

    static let migration = Migration(version: 24, name: "audit: hourly self-checks of ops.db", sql: """
        CREATE TABLE self_checks(
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            detail TEXT NOT NULL
        );
        """)

    struct Result {
        let at: Int64
        let ok: Bool
        let detail: String
    }

    static func last(_ db: Connection) throws -> Result? {
        try db.queryRow("SELECT at, ok, detail FROM self_checks ORDER BY id DESC LIMIT 1").map {
            Result(at: $0.int("at") ?? 0, ok: $0.int("ok") == 1, detail: $0.string("detail") ?? "")
        }
    }

    /// Runs the checks when an hour has passed since the last (or the clock
    /// went back past it), records the result, and raises the alarm once per
    /// failing streak.
    @Sendable static func tick(_ context: TickContext) throws -> Tick {
        let previous = try last(context.db)
        if let previous, context.now - previous.at < interval, context.now >= previous.at { return Tick() }
        var problems: [String] = []
        let audit = try AuditLog(context.db).verify()
        if let failure = audit.failure { problems.append("audit trail: \(failure)") }
        let report = try context.db.quickCheck(maxErrors: 10)
        if !report.isOK { problems.append("quick_check: " + report.problems.joined(separator: "; ")) }
        let detail = problems.isEmpty ? "audit trail intact (\(audit.entries) entries), quick_check ok"
                                      : problems.joined(separator: " | ")
        try context.db.run("INSERT INTO self_checks(at, ok, detail) VALUES (?, ?, ?)", context.now,
                           problems.isEmpty ? 1 : 0, detail)
        guard !problems.isEmpty else { return Tick() }
        var log = ["self-check of ops.db failed: \(detail)"]
        if previous?.ok != false {
            let incident = try Alerts.raise(title: "Kiểm tra tự động cơ sở dữ liệu PortalOps thất bại", detail: detail,
                                            severity: .sev2, components: [], alsoSupervisors: true, security: true,
                                            db: context.db, now: context.now, time: context.time)
            log.append("opened \(incident.ref) for the failed self-check")
        }
        try AuditRecorder().recordDaemon(context.db, at: context.now, command: "self-check", arguments: [:],
                                         detail: detail, outcome: "failed")
        return Tick(log: log)
    }

    /// An error line while the last self-check failed; the time of the last one.
    @Sendable static func status(_ context: CommandContext) throws -> StatusSection {
        guard let last = try last(context.db) else {
            return StatusSection(fields: [["self-check", "not run yet (hourly)"]], data: ["self_check_ok": .null])
        }
        let line = "\(last.ok ? "ok" : "FAILED") at \(context.time.format(last.at))"
        return StatusSection(fields: [["self-check", line]], data: ["self_check_ok": .bool(last.ok)],
                             warnings: last.ok ? [] : ["ERROR: the hourly self-check of ops.db failed: \(last.detail); "
                                                       + "see 'opsctl audit verify' and runbooks/backup-restore.md"])
    }
}

import OpsProtocol
import SQLite

/// The integrity of the database before and after maintenance and upgrades
/// (Decision 24/2021/QĐ-UBND, Art. 14): a window names its targets; before
/// it starts, each gets a verified backup pinned to the window, an
/// integrity check and a fingerprint; after, the check and fingerprint are
/// taken again and compared. Only tables declared with --expect-change may
/// differ.
public struct UpgradeGates {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 16, name: "maintenance: upgrade gates", sql: """
        CREATE TABLE maintenance_targets(
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            target TEXT NOT NULL REFERENCES backup_targets(key),
            PRIMARY KEY (window, target)
        );
        CREATE TABLE maintenance_expected_changes(
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            table_name TEXT NOT NULL,
            PRIMARY KEY (window, table_name)
        );
        CREATE TABLE maintenance_evidence(
            id INTEGER PRIMARY KEY,
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            phase TEXT NOT NULL CHECK (phase IN ('before', 'after')),
            target TEXT NOT NULL,
            backup TEXT,
            integrity_ok INTEGER NOT NULL,
            findings TEXT NOT NULL,
            fingerprint TEXT,
            differences TEXT,
            accepted_by TEXT,
            accepted_reason TEXT,
            at INTEGER NOT NULL
        );
        """)

    public func setTargets(_ window: Int64, _ targets: [String]) throws {
        try db.run("DELETE FROM maintenance_targets WHERE window = ?", window)
        for target in Set(targets) { try db.run("INSERT INTO maintenance_targets(window, target) VALUES (?, ?)", window, target) }
    }

    public func setExpected(_ window: Int64, _ tables: [String]) throws {
        try db.run("DELETE FROM maintenance_expected_changes WHERE window = ?", window)
        for table in Set(tables) { try db.run("INSERT INTO maintenance_expected_changes(window, table_name) VALUES (?, ?)", window, table) }
    }

    public func targets(_ window: Int64) throws -> [String] {
        try db.query("SELECT target FROM maintenance_targets WHERE window = ? ORDER BY target", window).compactMap { $0.string(0) }
    }

    public func expected(_ window: Int64) throws -> [String] {
        try db.query("SELECT table_name FROM maintenance_expected_changes WHERE window = ? ORDER BY table_name", window).compactMap { $0.string(0) }
    }

    public struct Evidence: Sendable {
        public let phase: String
        public let target: String
        public let backup: String?
        public let integrityOK: Bool
        public let findings: [String]
        public let fingerprint: Fingerprint?
        public let differences: [String]
        public let acceptedBy: String?
        public let at: Int64

        public func json(time: LocalTime) -> JSON {
            ["phase": .string(phase), "target": .string(target), "backup": JSON(backup), "integrity_ok": .bool(integrityOK),
             "findings": .array(findings.map(JSON.string)), "schema_sha256": JSON(fingerprint?.schemaSHA256),
             "differences": .array(differences.map(JSON.string)), "accepted_by": JSON(acceptedBy), "at": .string(time.iso8601(at))]
        }
    }

    public func record(_ window: Int64, phase: String, target: String, backup: String?, integrityOK: Bool, findings: [String],
                       fingerprint: Fingerprint?, differences: [String], acceptedBy: String?, reason: String?, now: Int64) throws {
        try db.run("""
            INSERT INTO maintenance_evidence(window, phase, target, backup, integrity_ok, findings, fingerprint, differences,
                                             accepted_by, accepted_reason, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, window, phase, target, backup, integrityOK, JSON.array(findings.map(JSON.string)).serialized(),
                   fingerprint?.json.serialized(), JSON.array(differences.map(JSON.string)).serialized(), acceptedBy, reason, now)
    }

    public func evidence(_ window: Int64) throws -> [Evidence] {
        try db.query("SELECT * FROM maintenance_evidence WHERE window = ? ORDER BY id", window).map { row in
            func strings(_ name: String) -> [String] { ((try? JSON.parse(row.string(name) ?? "[]"))?.arrayValue ?? []).compactMap(\.stringValue) }
            return Evidence(phase: row.string("phase") ?? "", target: row.string("target") ?? "", backup: row.string("backup"),
                            integrityOK: row.bool("integrity_ok") ?? false, findings: strings("findings"),
                            fingerprint: row.string("fingerprint").flatMap { try? JSON.parse($0) }.flatMap(Fingerprint.init(json:)),
                            differences: strings("differences"), acceptedBy: row.string("accepted_by"), at: row.int("at") ?? 0)
        }
    }

    /// The newest "before" evidence per target.
    public func before(_ window: Int64) throws -> [String: Evidence] {
        var latest: [String: Evidence] = [:]
        for evidence in try evidence(window) where evidence.phase == "before" { latest[evidence.target] = evidence }
        return latest
    }

    /// Refuses to start a window whose targets lack recent, sound evidence.
    func checkReadyToStart(_ w: MaintenanceWindow, now: Int64, time: LocalTime) throws {
        let targets = try targets(w.id)
        guard !targets.isEmpty else { return }
        let maxAge = try PolicyStore(db).milliseconds(.maintenanceEvidenceMaxAge)
        let before = try before(w.id)
        for target in targets {
            guard let evidence = before[target] else {
                throw OpsError.refused("\(w.ref) has no backup and integrity evidence for \(target); run 'opsctl maintenance prepare \(w.ref)' first")
            }
            guard evidence.integrityOK else {
                throw OpsError.refused("the integrity check of \(target) before \(w.ref) failed (\(evidence.findings.first ?? "")); fix it before starting")
            }
            guard now - evidence.at <= maxAge else {
                throw OpsError.refused("the evidence for \(target) is from \(time.format(evidence.at)), older than \(DurationText.milliseconds(maxAge)); run 'opsctl maintenance prepare \(w.ref)' again")
            }
        }
    }
}

import OpsProtocol
import SQLite

/// What a person declared to pass a gate, kept for the record (issue 14): an upgrade planned as changing no
/// data (`--no-data-change --reason`), and a start a supervisor allowed although the notice had not reached
/// every required recipient (`--override --reason`). Both are internal: shown by `maintenance show` and the
/// audit trail, never printed in a public notice.
struct GateRecords {
    let db: Connection

    static let migration = Migration(version: 44, name: "maintenance: no-data-change and start override records",
                                     sql: """
        CREATE TABLE maintenance_no_data_change(
            window INTEGER PRIMARY KEY REFERENCES maintenance_windows(id),
            reason TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at INTEGER NOT NULL
        );
        CREATE TABLE maintenance_start_overrides(
            window INTEGER PRIMARY KEY REFERENCES maintenance_windows(id),
            missing TEXT NOT NULL,
            reason TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at INTEGER NOT NULL
        );
        """)

    struct Declaration: Sendable {
        let reason: String
        let by: String
        let at: Int64
        /// For a start override: who had not been reached.
        let missing: [String]
    }

    func recordNoDataChange(_ window: Int64, reason: String, by actor: String, now: Int64) throws {
        try db.run("""
            INSERT INTO maintenance_no_data_change(window, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(window) DO UPDATE SET reason = excluded.reason, recorded_by = excluded.recorded_by,
                                              recorded_at = excluded.recorded_at
            """, window, reason, actor, now)
    }

    func noDataChange(_ window: Int64) throws -> Declaration? {
        try db.query("SELECT * FROM maintenance_no_data_change WHERE window = ?", window).first.map {
            Declaration(reason: $0.string("reason") ?? "", by: $0.string("recorded_by") ?? "",
                        at: $0.int("recorded_at") ?? 0, missing: [])
        }
    }

    func recordStartOverride(_ window: Int64, missing: [String], reason: String, by actor: String, now: Int64) throws {
        try db.run("""
            INSERT INTO maintenance_start_overrides(window, missing, reason, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?)
            """, window, JSON.array(missing.map(JSON.string)).serialized(), reason, actor, now)
    }

    func startOverride(_ window: Int64) throws -> Declaration? {
        try db.query("SELECT * FROM maintenance_start_overrides WHERE window = ?", window).first.map { row in
            let missing = ((try? JSON.parse(row.string("missing") ?? "[]"))?.arrayValue ?? []).compactMap(\.stringValue)
            return Declaration(reason: row.string("reason") ?? "", by: row.string("recorded_by") ?? "",
                               at: row.int("recorded_at") ?? 0, missing: missing)
        }
    }
}

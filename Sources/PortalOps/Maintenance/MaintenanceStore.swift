import OpsProtocol
import SQLite

/// The `maintenance_windows`, `maintenance_components`, `maintenance_groups`
/// and `maintenance_acks` tables.
public struct MaintenanceStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 10, name: "maintenance: windows", sql: """
        CREATE TABLE maintenance_windows(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            start_at INTEGER NOT NULL,
            end_at INTEGER NOT NULL,
            impact TEXT,
            advice TEXT,
            emergency INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            approved_by TEXT,
            approved_at INTEGER,
            in_service_hours INTEGER NOT NULL DEFAULT 0,
            actual_start INTEGER,
            actual_end INTEGER,
            reminder_sent_at INTEGER,
            revision INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK (end_at > start_at)
        );
        CREATE INDEX maintenance_windows_time ON maintenance_windows(start_at, end_at);
        CREATE TABLE maintenance_components(
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            component TEXT NOT NULL REFERENCES components(key),
            PRIMARY KEY (window, component)
        );
        CREATE TABLE maintenance_groups(
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            group_name TEXT NOT NULL,
            PRIMARY KEY (window, group_name)
        );
        CREATE TABLE maintenance_acks(
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            recipient TEXT NOT NULL REFERENCES recipients(key),
            acknowledged_at INTEGER NOT NULL,
            acknowledged_by TEXT,
            recorded_by TEXT NOT NULL,
            PRIMARY KEY (window, recipient)
        );
        """)

    /// The internal reason of an emergency (issue 16), apart from the public `reason`.
    static let internalReasonMigration = Migration(version: 21, name: "maintenance: internal emergency reason", sql: """
        ALTER TABLE maintenance_windows ADD COLUMN internal_reason TEXT;
        """)

    /// Acknowledgements belong to one notice (issue 19): a replacement starts
    /// unacknowledged instead of inheriting the old notice's confirmations.
    /// Each earlier acknowledgement goes to the notice in force when it was
    /// recorded (the last one issued about the window by then).
    static let noticeAcknowledgementMigration = Migration(
        version: 26, name: "maintenance: acknowledgements name their notice", sql: """
        CREATE TABLE maintenance_acks_by_notice(
            notice INTEGER NOT NULL REFERENCES notices(id),
            window INTEGER NOT NULL REFERENCES maintenance_windows(id),
            recipient TEXT NOT NULL REFERENCES recipients(key),
            acknowledged_at INTEGER NOT NULL,
            acknowledged_by TEXT,
            recorded_by TEXT NOT NULL,
            PRIMARY KEY (notice, recipient)
        );
        INSERT INTO maintenance_acks_by_notice(notice, window, recipient, acknowledged_at, acknowledged_by, recorded_by)
        SELECT n.id, a.window, a.recipient, a.acknowledged_at, a.acknowledged_by, a.recorded_by
        FROM maintenance_acks a JOIN maintenance_windows w ON w.id = a.window
        JOIN notices n ON n.id = (SELECT id FROM notices WHERE reference = w.ref AND issued_at <= a.acknowledged_at
                                  ORDER BY issued_at DESC, id DESC LIMIT 1);
        DROP TABLE maintenance_acks;
        ALTER TABLE maintenance_acks_by_notice RENAME TO maintenance_acks;
        CREATE INDEX maintenance_acks_window ON maintenance_acks(window);
        """)

    /// The urgency mark chosen for a window, and the components in the order
    /// given (the notice lists them so, not alphabetically) (issue 14).
    static let documentMigration = Migration(version: 41, name: "maintenance: urgency, component order", sql: """
        ALTER TABLE maintenance_windows ADD COLUMN urgency TEXT;
        ALTER TABLE maintenance_components ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
        """)

    public func insert(_ w: MaintenanceWindow, now: Int64) throws -> MaintenanceWindow {
        try db.run("""
            INSERT INTO maintenance_windows(ref, title, kind, state, start_at, end_at, impact, advice, emergency, reason,
                internal_reason, in_service_hours, created_at, created_by, updated_at, urgency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, w.ref, w.title, w.kind.rawValue, w.state.rawValue, w.start, w.end, w.impact, w.advice, w.emergency, w.reason,
                   w.internalReason, w.inServiceHours, now, w.createdBy, now, w.urgency?.rawValue)
        let id = db.lastInsertRowID
        try saveLists(id: id, w)
        return try byID(id)!
    }

    /// Saves every field of `w` and raises its revision.
    @discardableResult
    public func update(_ w: MaintenanceWindow, now: Int64) throws -> MaintenanceWindow {
        try db.run("""
            UPDATE maintenance_windows SET title = ?, kind = ?, state = ?, start_at = ?, end_at = ?, impact = ?, advice = ?,
                emergency = ?, reason = ?, approved_by = ?, in_service_hours = ?, actual_start = ?, actual_end = ?,
                reminder_sent_at = ?, revision = revision + 1, updated_at = ?, urgency = ?
            WHERE id = ?
            """, w.title, w.kind.rawValue, w.state.rawValue, w.start, w.end, w.impact, w.advice, w.emergency, w.reason,
                   w.approvedBy, w.inServiceHours, w.actualStart, w.actualEnd, w.reminderSentAt, now,
                   w.urgency?.rawValue, w.id)
        try saveLists(id: w.id, w)
        return try byID(w.id)!
    }

    /// Records the reminder without raising the revision (the window itself did not change).
    public func markReminded(_ id: Int64, now: Int64) throws {
        try db.run("UPDATE maintenance_windows SET reminder_sent_at = ? WHERE id = ?", now, id)
    }

    public func approve(_ id: Int64, by actor: String, now: Int64) throws {
        try db.run("UPDATE maintenance_windows SET approved_by = ?, approved_at = ?, revision = revision + 1, updated_at = ? WHERE id = ?",
                   actor, now, now, id)
    }

    private func saveLists(id: Int64, _ w: MaintenanceWindow) throws {
        try db.run("DELETE FROM maintenance_components WHERE window = ?", id)
        var seen = Set<String>()
        for (position, component) in w.components.enumerated() where seen.insert(component).inserted {
            try db.run("INSERT INTO maintenance_components(window, component, position) VALUES (?, ?, ?)",
                       id, component, position)
        }
        try db.run("DELETE FROM maintenance_groups WHERE window = ?", id)
        for group in Set(w.groups) {
            try db.run("INSERT INTO maintenance_groups(window, group_name) VALUES (?, ?)", id, group)
        }
    }

    public func byRef(_ ref: String) throws -> MaintenanceWindow? {
        try db.queryRow("SELECT * FROM maintenance_windows WHERE ref = ?", ref.uppercased()).map(window)
    }

    public func byID(_ id: Int64) throws -> MaintenanceWindow? {
        try db.queryRow("SELECT * FROM maintenance_windows WHERE id = ?", id).map(window)
    }

    /// Windows overlapping [from, to), by start.
    public func windows(from: Int64? = nil, to: Int64? = nil, states: [MaintenanceWindow.State]? = nil) throws -> [MaintenanceWindow] {
        try db.query("""
            SELECT * FROM maintenance_windows WHERE (?1 IS NULL OR end_at > ?1) AND (?2 IS NULL OR start_at < ?2)
            ORDER BY start_at, id
            """, from, to).map(window).filter { states?.contains($0.state) ?? true }
    }

    /// Records that `recipient` acknowledged `notice` (one of window `id`'s);
    /// false when it already had.
    public func acknowledge(_ id: Int64, notice: Int64, recipient: String, by: String?, recordedBy: String,
                            now: Int64) throws -> Bool {
        try db.run("""
            INSERT INTO maintenance_acks(notice, window, recipient, acknowledged_at, acknowledged_by, recorded_by)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(notice, recipient) DO NOTHING
            """, notice, id, recipient, now, by, recordedBy) > 0
    }

    /// Window `id`'s acknowledgements: notice id → recipient → when and by whom.
    public func acknowledgements(_ id: Int64) throws -> [Int64: [String: (at: Int64, by: String?)]] {
        var result: [Int64: [String: (at: Int64, by: String?)]] = [:]
        for row in try db.query("SELECT * FROM maintenance_acks WHERE window = ?", id) {
            result[row.int("notice") ?? 0, default: [:]][row.string("recipient") ?? ""] =
                (row.int("acknowledged_at") ?? 0, row.string("acknowledged_by"))
        }
        return result
    }

    private func window(_ row: Row) throws -> MaintenanceWindow {
        let id = row.int("id") ?? 0
        return MaintenanceWindow(
            id: id, ref: row.string("ref") ?? "", title: row.string("title") ?? "",
            kind: MaintenanceWindow.Kind(rawValue: row.string("kind") ?? "") ?? .maintenance,
            state: MaintenanceWindow.State(rawValue: row.string("state") ?? "") ?? .planned,
            start: row.int("start_at") ?? 0, end: row.int("end_at") ?? 0,
            components: try db.query("""
                SELECT component FROM maintenance_components WHERE window = ? ORDER BY position, component
                """, id).compactMap { $0.string(0) },
            groups: try db.query("SELECT group_name FROM maintenance_groups WHERE window = ? ORDER BY group_name", id).compactMap { $0.string(0) },
            impact: row.string("impact"), advice: row.string("advice"), emergency: row.bool("emergency") ?? false,
            reason: row.string("reason"), internalReason: row.string("internal_reason"),
            approvedBy: row.string("approved_by"), inServiceHours: row.bool("in_service_hours") ?? false,
            actualStart: row.int("actual_start"), actualEnd: row.int("actual_end"), reminderSentAt: row.int("reminder_sent_at"),
            revision: Int(row.int("revision") ?? 0), createdAt: row.int("created_at") ?? 0,
            createdBy: row.string("created_by") ?? "",
            urgency: row.string("urgency").flatMap(NoticeUrgency.init(rawValue:)))
    }
}

import OpsProtocol
import SQLite

/// The `shifts` table: who was on duty when, and what they handed over.
public struct ShiftStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 12, name: "shifts", sql: """
        CREATE TABLE shifts(
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL REFERENCES users(name),
            started_at INTEGER NOT NULL,
            note TEXT,
            ended_at INTEGER,
            handover TEXT,
            forced_reason TEXT
        );
        CREATE UNIQUE INDEX shifts_one_open_per_user ON shifts(user) WHERE ended_at IS NULL;
        """)

    /// Shifts end on their own (issue 13): at their planned end, or when their rota hands over.
    static let plannedEndMigration = Migration(version: 38, name: "shifts: planned end and rota", sql: """
        ALTER TABLE shifts ADD COLUMN planned_end INTEGER;
        ALTER TABLE shifts ADD COLUMN rota TEXT;
        """)

    public struct Shift: Sendable {
        public let id: Int64
        public let user: String
        public let startedAt: Int64
        public let note: String?
        public let endedAt: Int64?
        public let handover: String?
        public let forcedReason: String?
        /// When it ends by itself; nil for shifts from before planned ends.
        public var plannedEnd: Int64? = nil
        /// The rota that started it, if any.
        public var rota: String? = nil

        public func json(time: LocalTime) -> JSON {
            ["user": .string(user), "started_at": .string(time.iso8601(startedAt)), "note": JSON(note),
             "ended_at": endedAt.map { .string(time.iso8601($0)) } ?? .null, "handover": JSON(handover),
             "forced_reason": JSON(forcedReason),
             "planned_end": plannedEnd.map { .string(time.iso8601($0)) } ?? .null, "rota": JSON(rota)]
        }
    }

    public func open(user: String) throws -> Shift? {
        try db.queryRow("SELECT * FROM shifts WHERE user = ? AND ended_at IS NULL", user).map(Self.shift)
    }

    /// Everyone on shift now, longest first.
    public func onShift() throws -> [Shift] {
        try db.query("SELECT * FROM shifts WHERE ended_at IS NULL ORDER BY started_at").map(Self.shift)
    }

    public func log(since: Int64?) throws -> [Shift] {
        try db.query("SELECT * FROM shifts WHERE (?1 IS NULL OR started_at >= ?1 OR ended_at >= ?1) ORDER BY started_at, id", since).map(Self.shift)
    }

    public func start(user: String, note: String?, now: Int64, plannedEnd: Int64? = nil, rota: String? = nil) throws {
        try db.run("INSERT INTO shifts(user, started_at, note, planned_end, rota) VALUES (?, ?, ?, ?, ?)",
                   user, now, note, plannedEnd, rota)
    }

    public func setPlannedEnd(_ id: Int64, _ plannedEnd: Int64) throws {
        try db.run("UPDATE shifts SET planned_end = ? WHERE id = ?", plannedEnd, id)
    }

    public func end(_ id: Int64, handover: String, forcedReason: String?, now: Int64) throws {
        try db.run("UPDATE shifts SET ended_at = ?, handover = ?, forced_reason = ? WHERE id = ?", now, handover, forcedReason, id)
    }

    static func shift(_ row: Row) -> Shift {
        Shift(id: row.int("id") ?? 0, user: row.string("user") ?? "", startedAt: row.int("started_at") ?? 0, note: row.string("note"),
              endedAt: row.int("ended_at"), handover: row.string("handover"), forcedReason: row.string("forced_reason"),
              plannedEnd: row.int("planned_end"), rota: row.string("rota"))
    }
}

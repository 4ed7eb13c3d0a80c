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

    public struct Shift: Sendable {
        public let id: Int64
        public let user: String
        public let startedAt: Int64
        public let note: String?
        public let endedAt: Int64?
        public let handover: String?
        public let forcedReason: String?

        public func json(time: LocalTime) -> JSON {
            ["user": .string(user), "started_at": .string(time.iso8601(startedAt)), "note": JSON(note),
             "ended_at": endedAt.map { .string(time.iso8601($0)) } ?? .null, "handover": JSON(handover),
             "forced_reason": JSON(forcedReason)]
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

    public func start(user: String, note: String?, now: Int64) throws {
        try db.run("INSERT INTO shifts(user, started_at, note) VALUES (?, ?, ?)", user, now, note)
    }

    public func end(_ id: Int64, handover: String, forcedReason: String?, now: Int64) throws {
        try db.run("UPDATE shifts SET ended_at = ?, handover = ?, forced_reason = ? WHERE id = ?", now, handover, forcedReason, id)
    }

    static func shift(_ row: Row) -> Shift {
        Shift(id: row.int("id") ?? 0, user: row.string("user") ?? "", startedAt: row.int("started_at") ?? 0, note: row.string("note"),
              endedAt: row.int("ended_at"), handover: row.string("handover"), forcedReason: row.string("forced_reason"))
    }
}

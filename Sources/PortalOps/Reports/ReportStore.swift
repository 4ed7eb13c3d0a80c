import OpsProtocol
import SQLite

/// The `reports` table: reports issued to the Office, frozen like notices — their HTML and JSON
/// and the SHA-256 of the HTML never change after issue.
public struct ReportStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    /// A scheduled report is issued once per period: the unique index makes a second one fail
    /// however the scheduler's ticks fall.
    static let migration = Migration(version: 47, name: "reports: issued reports", sql: """
        CREATE TABLE reports(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            window_from INTEGER NOT NULL,
            window_to INTEGER NOT NULL,
            html TEXT NOT NULL,
            json TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            message INTEGER,
            scheduled INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE UNIQUE INDEX reports_scheduled_once ON reports(name) WHERE scheduled = 1;
        """)

    public struct Issued: Sendable {
        public let ref: String
        public let name: String
        public let from: Int64
        public let to: Int64
        public let html: String
        public let json: String
        public let sha256: String
        public let message: Int64?
        public let scheduled: Bool
        public let createdAt: Int64
        public let createdBy: String
    }

    func insert(ref: String, name: String, window: ReportWindow, html: String, json: String, message: Int64?,
                scheduled: Bool, by actor: String, now: Int64) throws {
        try db.run("""
            INSERT INTO reports(ref, name, window_from, window_to, html, json, sha256, message, scheduled, created_at,
                                created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, ref, name, window.from, window.to, html, json, SHA256.hex(html), message, scheduled, now, actor)
    }

    func scheduledExists(name: String) throws -> Bool {
        try db.queryRow("SELECT 1 FROM reports WHERE name = ? AND scheduled = 1", name) != nil
    }

    public func all() throws -> [Issued] {
        try db.query("SELECT * FROM reports ORDER BY id").map(Self.issued)
    }

    public func byRef(_ ref: String) throws -> Issued? {
        try db.queryRow("SELECT * FROM reports WHERE ref = ?", ref.uppercased()).map(Self.issued)
    }

    static func issued(_ row: Row) -> Issued {
        Issued(ref: row.string("ref") ?? "", name: row.string("name") ?? "", from: row.int("window_from") ?? 0,
               to: row.int("window_to") ?? 0, html: row.string("html") ?? "", json: row.string("json") ?? "",
               sha256: row.string("sha256") ?? "", message: row.int("message"),
               scheduled: row.bool("scheduled") ?? false, createdAt: row.int("created_at") ?? 0,
               createdBy: row.string("created_by") ?? "")
    }
}

import OpsProtocol
import SQLite

/// The `audit_log` and `audit_head` tables: append, read, verify.
///
/// Append-only by construction: the console has no code that updates or
/// deletes an entry, and triggers refuse it from any other SQL client. The
/// head row records the newest seq and hash, so deleting entries from the
/// end is caught too (unless the head is forged as well; the export to a log
/// collector is the copy outside the database that catches that).
public struct AuditLog {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 2, name: "audit: hash-chained log", sql: """
        CREATE TABLE audit_log(
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            uid INTEGER,
            pid INTEGER,
            command TEXT NOT NULL,
            args TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TABLE audit_head(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO audit_head(id, seq, hash) VALUES (1, 0, '\(AuditEntry.genesisHash)');
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        """)

    /// Appends one entry. Call inside the transaction of the change it
    /// records, so both commit or neither does.
    @discardableResult
    public func append(at: Int64, actor: String, uid: Int64?, pid: Int64?, command: String,
                       arguments: JSON, outcome: String, detail: String) throws -> AuditEntry {
        guard let head = try db.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1"),
              let lastSeq = head.int("seq"), let previous = head.string("hash") else {
            throw SQLiteError(code: 1, message: "audit_head row is missing")
        }
        let seq = lastSeq + 1
        let args = arguments.serialized()
        let canonical = AuditEntry.canonicalForm(seq: seq, at: at, actor: actor, uid: uid, pid: pid, command: command,
                                                 arguments: args, outcome: outcome, detail: detail)
        let hash = AuditEntry.chainHash(previous: previous, canonical: canonical)
        try db.run("""
            INSERT INTO audit_log(seq, at, actor, uid, pid, command, args, outcome, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, seq, at, actor, uid, pid, command, args, outcome, detail, previous, hash)
        try db.run("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash)
        return AuditEntry(seq: seq, at: at, actor: actor, uid: uid, pid: pid, command: command, arguments: args,
                          outcome: outcome, detail: detail, previousHash: previous, hash: hash)
    }

    public struct Filter {
        public var since: Int64?
        public var until: Int64?
        public var actor: String?
        public var command: String?
        public var limit: Int?
        public init(since: Int64? = nil, until: Int64? = nil, actor: String? = nil, command: String? = nil, limit: Int? = nil) {
            (self.since, self.until, self.actor, self.command, self.limit) = (since, until, actor, command, limit)
        }
    }

    /// Entries matching `filter`, oldest first; with a limit, the newest
    /// `limit` of them.
    public func entries(_ filter: Filter) throws -> [AuditEntry] {
        let statement = try db.prepare("""
            SELECT * FROM (
                SELECT * FROM audit_log
                WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2)
                  AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR command = ?4)
                ORDER BY seq DESC LIMIT ?5
            ) ORDER BY seq
            """)
        try statement.bind([filter.since, filter.until, filter.actor, filter.command, Int64(filter.limit ?? -1)])
        return try statement.allRows().map(Self.entry)
    }

    static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(seq: row.int("seq") ?? 0, at: row.int("at") ?? 0, actor: row.string("actor") ?? "",
                   uid: row.int("uid"), pid: row.int("pid"), command: row.string("command") ?? "",
                   arguments: row.string("args") ?? "", outcome: row.string("outcome") ?? "",
                   detail: row.string("detail") ?? "", previousHash: row.string("prev_hash") ?? "",
                   hash: row.string("hash") ?? "")
    }
}

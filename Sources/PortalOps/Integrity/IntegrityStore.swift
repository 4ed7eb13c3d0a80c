import OpsProtocol
import SQLite

/// The `integrity_records` table: every integrity check and fingerprint
/// taken, with what it found, so "intact before and after" is evidence.
public struct IntegrityStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 15, name: "integrity: checks and fingerprints", sql: """
        CREATE TABLE integrity_records(
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL REFERENCES backup_targets(key),
            kind TEXT NOT NULL CHECK (kind IN ('integrity', 'quick', 'fingerprint')),
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            findings TEXT NOT NULL,
            fingerprint TEXT,
            recorded_by TEXT NOT NULL
        );
        """)

    public struct Record: Sendable {
        /// The row's id; people see `number` instead.
        public let id: Int64
        /// The place of the record among its own kind's (fingerprints, or
        /// checks): FP-1, FP-2, … and IC-1, IC-2, … without gaps, since checks
        /// and fingerprints share one table and records are never deleted.
        public let number: Int64
        public let target: String
        public let kind: String
        public let at: Int64
        public let ok: Bool
        public let findings: [String]
        public let fingerprint: Fingerprint?

        public var ref: String { (kind == "fingerprint" ? "FP-" : "IC-") + String(number) }

        public func json(time: LocalTime) -> JSON {
            ["ref": .string(ref), "target": .string(target), "kind": .string(kind), "at": .string(time.iso8601(at)),
             "ok": .bool(ok), "findings": .array(findings.map(JSON.string)), "fingerprint": fingerprint?.json ?? .null]
        }
    }

    @discardableResult
    public func record(target: String, kind: String, ok: Bool, findings: [String], fingerprint: Fingerprint?, by: String, now: Int64) throws -> Record {
        try db.run("INSERT INTO integrity_records(target, kind, at, ok, findings, fingerprint, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   target, kind, now, ok, JSON.array(findings.map(JSON.string)).serialized(), fingerprint?.json.serialized(), by)
        guard let record = try record(db.lastInsertRowID) else {
            throw OpsError.internalError("the integrity record just written could not be read back")
        }
        return record
    }

    /// The record's kind and its place among the records of that kind.
    private static let select = """
        SELECT r.*, (SELECT COUNT(*) FROM integrity_records o
                     WHERE o.id <= r.id AND (o.kind = 'fingerprint') = (r.kind = 'fingerprint')) AS number
        FROM integrity_records r
        """

    public func record(_ id: Int64) throws -> Record? {
        try db.queryRow(Self.select + " WHERE r.id = ?", id).map(Self.record)
    }

    /// The record people call `ref` (FP-n or IC-n, any case), if there is one.
    public func record(ref: String) throws -> Record? {
        let upper = ref.uppercased()
        let fingerprint = upper.hasPrefix("FP-")
        guard fingerprint || upper.hasPrefix("IC-"), let n = Int64(upper.dropFirst(3)), n > 0 else { return nil }
        return try db.queryRow(Self.select + " WHERE (r.kind = 'fingerprint') = ? ORDER BY r.id LIMIT 1 OFFSET ?",
                               fingerprint, n - 1).map(Self.record)
    }

    /// Every check and fingerprint, or one target's, newest first.
    public func records(target: String?) throws -> [Record] {
        let rows = if let target {
            try db.query(Self.select + " WHERE r.target = ? ORDER BY r.id DESC", target)
        } else {
            try db.query(Self.select + " ORDER BY r.id DESC")
        }
        return rows.map(Self.record)
    }

    private static func record(_ row: Row) -> Record {
        Record(id: row.int("id") ?? 0, number: row.int("number") ?? 0, target: row.string("target") ?? "",
               kind: row.string("kind") ?? "", at: row.int("at") ?? 0, ok: row.bool("ok") ?? false,
               findings: ((try? JSON.parse(row.string("findings") ?? "[]"))?.arrayValue ?? [])
                   .compactMap(\.stringValue),
               fingerprint: row.string("fingerprint").flatMap { try? JSON.parse($0) }.flatMap(Fingerprint.init(json:)))
    }
}

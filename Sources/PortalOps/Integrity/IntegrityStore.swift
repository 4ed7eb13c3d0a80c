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

    /// Each record keeps its own number among its kind (FP-1, FP-2… and IC-1…),
    /// given when it is written. Records from before keep the number their
    /// ref had (their row id), so refs already quoted in audit entries and
    /// gate evidence still name the same record; new ones continue from the
    /// highest number of their kind, without gaps.
    static let numbers = Migration(version: 28, name: "integrity: a number per kind for each record", sql: """
        ALTER TABLE integrity_records ADD COLUMN number INTEGER;
        UPDATE integrity_records SET number = id;
        CREATE UNIQUE INDEX integrity_records_number ON integrity_records((kind = 'fingerprint'), number);
        """)

    public struct Record: Sendable {
        /// The row's id; people see `number` instead.
        public let id: Int64
        /// Its number among its own kind (fingerprints, or checks), see `numbers`.
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
        let next = try db.queryRow("""
            SELECT COALESCE(MAX(number), 0) + 1 AS next FROM integrity_records
            WHERE (kind = 'fingerprint') = (? = 'fingerprint')
            """, kind)?.int("next") ?? 1
        try db.run("""
            INSERT INTO integrity_records(target, kind, at, ok, findings, fingerprint, recorded_by, number)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, target, kind, now, ok, JSON.array(findings.map(JSON.string)).serialized(),
                   fingerprint?.json.serialized(), by, next)
        guard let record = try record(db.lastInsertRowID) else {
            throw OpsError.internalError("the integrity record just written could not be read back")
        }
        return record
    }

    private static let select = "SELECT r.* FROM integrity_records r"

    public func record(_ id: Int64) throws -> Record? {
        try db.queryRow(Self.select + " WHERE r.id = ?", id).map(Self.record)
    }

    /// The record people call `ref` (FP-n or IC-n, any case), if there is one.
    public func record(ref: String) throws -> Record? {
        let upper = ref.uppercased()
        let fingerprint = upper.hasPrefix("FP-")
        guard fingerprint || upper.hasPrefix("IC-"), let n = Int64(upper.dropFirst(3)), n > 0 else { return nil }
        return try db.queryRow(Self.select + " WHERE (r.kind = 'fingerprint') = ? AND r.number = ?",
                               fingerprint, n).map(Self.record)
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

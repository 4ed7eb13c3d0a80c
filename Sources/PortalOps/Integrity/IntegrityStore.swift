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
        public let id: Int64
        public let target: String
        public let kind: String
        public let at: Int64
        public let ok: Bool
        public let findings: [String]
        public let fingerprint: Fingerprint?

        public var ref: String { (kind == "fingerprint" ? "FP-" : "IC-") + String(id) }

        public func json(time: LocalTime) -> JSON {
            ["ref": .string(ref), "target": .string(target), "kind": .string(kind), "at": .string(time.iso8601(at)),
             "ok": .bool(ok), "findings": .array(findings.map(JSON.string)), "fingerprint": fingerprint?.json ?? .null]
        }
    }

    @discardableResult
    public func record(target: String, kind: String, ok: Bool, findings: [String], fingerprint: Fingerprint?, by: String, now: Int64) throws -> Record {
        try db.run("INSERT INTO integrity_records(target, kind, at, ok, findings, fingerprint, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   target, kind, now, ok, JSON.array(findings.map(JSON.string)).serialized(), fingerprint?.json.serialized(), by)
        return try record(db.lastInsertRowID)!
    }

    public func record(_ id: Int64) throws -> Record? {
        try db.queryRow("SELECT * FROM integrity_records WHERE id = ?", id).map {
            Record(id: $0.int("id") ?? 0, target: $0.string("target") ?? "", kind: $0.string("kind") ?? "", at: $0.int("at") ?? 0,
                   ok: $0.bool("ok") ?? false,
                   findings: ((try? JSON.parse($0.string("findings") ?? "[]"))?.arrayValue ?? []).compactMap(\.stringValue),
                   fingerprint: $0.string("fingerprint").flatMap { try? JSON.parse($0) }.flatMap(Fingerprint.init(json:)))
        }
    }
}

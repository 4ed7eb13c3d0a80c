import OpsProtocol
import SQLite

/// The rota capability's tables: rotas and their overrides, escalation
/// policies, the steps each incident's escalation has fired, and gaps in cover.
public struct RotaStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 37, name: "rota: rotas, overrides, escalation policies", sql: """
        CREATE TABLE rotas(
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('operator', 'security')),
            users TEXT NOT NULL,
            handoff INTEGER NOT NULL,
            length INTEGER NOT NULL CHECK (length > 0),
            anchor INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE rota_overrides(
            id INTEGER PRIMARY KEY,
            rota TEXT NOT NULL REFERENCES rotas(name),
            user TEXT NOT NULL REFERENCES users(name),
            from_at INTEGER NOT NULL,
            to_at INTEGER NOT NULL CHECK (to_at > from_at),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE escalation_policies(
            severity TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3')),
            scope TEXT NOT NULL CHECK (scope IN ('operator', 'security')),
            steps TEXT NOT NULL,
            repeats INTEGER NOT NULL DEFAULT 0,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (severity, scope)
        );
        CREATE TABLE escalation_runs(
            incident TEXT PRIMARY KEY,
            started_at INTEGER NOT NULL,
            severity TEXT NOT NULL
        );
        CREATE TABLE escalation_fired(
            incident TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            position INTEGER NOT NULL,
            fired_at INTEGER NOT NULL,
            PRIMARY KEY (incident, started_at, position)
        );
        CREATE TABLE cover_gaps(
            id INTEGER PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('operator', 'security')),
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            paged TEXT NOT NULL
        );
        CREATE UNIQUE INDEX cover_gaps_open ON cover_gaps(role) WHERE ended_at IS NULL;
        """)

    // MARK: Rotas

    public func all() throws -> [Rota] {
        let overrides = try db.query("SELECT * FROM rota_overrides ORDER BY id").map {
            ($0.string("rota") ?? "", Rota.Override(id: $0.int("id") ?? 0, user: $0.string("user") ?? "",
                                                     from: $0.int("from_at") ?? 0, to: $0.int("to_at") ?? 0))
        }
        return try db.query("SELECT * FROM rotas ORDER BY name").compactMap { row in
            guard let name = row.string("name"), let role = row.string("role").flatMap(Rota.Role.init(rawValue:)),
                  let users = row.string("users")?.split(separator: ",").map(String.init), !users.isEmpty,
                  let length = row.int("length"), length > 0 else { return nil }
            return Rota(name: name, role: role, users: users, handoff: Int(row.int("handoff") ?? 0), length: length,
                        anchor: row.int("anchor") ?? 0,
                        overrides: overrides.filter { $0.0 == name }.map(\.1))
        }
    }

    public func byName(_ name: String) throws -> Rota? { try all().first { $0.name == name } }

    public func insert(_ rota: Rota, now: Int64, by actor: String) throws {
        try db.run("""
            INSERT INTO rotas(name, role, users, handoff, length, anchor, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, rota.name, rota.role.rawValue, rota.users.joined(separator: ","), Int64(rota.handoff), rota.length,
                   rota.anchor, now, actor)
    }

    public func remove(_ name: String) throws {
        try db.run("DELETE FROM rota_overrides WHERE rota = ?", name)
        try db.run("DELETE FROM rotas WHERE name = ?", name)
    }

    @discardableResult
    public func addOverride(rota: String, user: String, from: Int64, to: Int64, now: Int64, by actor: String) throws
        -> Int64 {
        try db.run("""
            INSERT INTO rota_overrides(rota, user, from_at, to_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)
            """, rota, user, from, to, now, actor)
        return db.lastInsertRowID
    }

    // MARK: Gaps in cover

    public struct Gap: Sendable {
        public let role: Rota.Role
        public let startedAt: Int64
        public let paged: String
    }

    public func openGaps() throws -> [Gap] {
        try db.query("SELECT * FROM cover_gaps WHERE ended_at IS NULL ORDER BY role").compactMap {
            guard let role = $0.string("role").flatMap(Rota.Role.init(rawValue:)) else { return nil }
            return Gap(role: role, startedAt: $0.int("started_at") ?? 0, paged: $0.string("paged") ?? "")
        }
    }

    public func openGap(_ role: Rota.Role, now: Int64, paged: String) throws {
        try db.run("INSERT INTO cover_gaps(role, started_at, paged) VALUES (?, ?, ?)", role.rawValue, now, paged)
    }

    public func closeGap(_ role: Rota.Role, now: Int64) throws {
        try db.run("UPDATE cover_gaps SET ended_at = ? WHERE role = ? AND ended_at IS NULL", now, role.rawValue)
    }
}

/// A numbered schema change. Each capability declares its own; they are
/// applied in version order, each in its own transaction together with the
/// row that records it, so a failed migration leaves nothing half-applied.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension Connection {
    /// Applies the migrations not yet recorded; returns the versions applied.
    ///
    /// Refuses duplicate versions, and refuses a database whose recorded
    /// schema is newer than this program (a downgrade would corrupt it).
    @discardableResult
    public func migrate(_ migrations: [Migration], now: Int64) throws -> [Int] {
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else {
            throw SQLiteError(code: 1, message: "duplicate migration versions in \(versions.sorted())")
        }
        try execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations(
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
            """)
        let current = try schemaVersion()
        if let newest = versions.max(), current > newest {
            throw SQLiteError(code: 1, message:
                "database schema is version \(current), newer than this program's \(newest); use a newer opsd")
        }
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            try transaction {
                try execute(migration.sql)
                try run("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                        migration.version, migration.name, now)
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// The highest applied migration version, 0 for a new database.
    public func schemaVersion() throws -> Int {
        let exists = try queryRow("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'")
        guard exists != nil else { return 0 }
        return Int(try queryRow("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")?.int("v") ?? 0)
    }
}

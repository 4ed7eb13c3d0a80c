import OpsProtocol
import SQLite

/// The `policies` table: values that differ from their defaults.
public struct PolicyStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 4, name: "policies", sql: """
        CREATE TABLE policies(
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL
        );
        """)

    /// The value in force for `key`: the stored one or the default.
    public func value(_ definition: PolicyDefinition) throws -> String {
        try db.queryRow("SELECT value FROM policies WHERE key = ?", definition.key)?.string("value")
            ?? definition.defaultValue
    }

    /// A duration setting in milliseconds.
    public func milliseconds(_ definition: PolicyDefinition) throws -> Int64 {
        if case .milliseconds(let ms)? = try? DurationText.parse(try value(definition)) { return ms }
        if case .milliseconds(let ms)? = try? DurationText.parse(definition.defaultValue) { return ms }
        return 0
    }

    /// An integer setting (its kind guarantees the stored text is one).
    public func integer(_ definition: PolicyDefinition) throws -> Int64 {
        Int64(try value(definition)) ?? Int64(definition.defaultValue) ?? 0
    }

    /// A switch setting.
    public func bool(_ definition: PolicyDefinition) throws -> Bool {
        try value(definition) == "true"
    }

    /// A working-days setting (`5wd`) as a number of days.
    public func workingDays(_ definition: PolicyDefinition) throws -> Int {
        if case .workingDays(let days)? = try? DurationText.parse(try value(definition)) { return days }
        if case .workingDays(let days)? = try? DurationText.parse(definition.defaultValue) { return days }
        return 0
    }

    public func set(_ key: String, _ value: String, by actor: String, now: Int64) throws {
        try db.run("""
            INSERT INTO policies(key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            """, key, value, now, actor)
    }
}

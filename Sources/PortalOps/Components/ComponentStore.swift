import OpsProtocol
import SQLite

/// The `components` table. Other capabilities refer to components by key
/// through this API (e.g. `requireAll` to validate `--component a,b`).
public struct ComponentStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 3, name: "components", sql: """
        CREATE TABLE components(
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT,
            created_at INTEGER NOT NULL
        );
        """)

    private static func component(_ row: Row) -> Component {
        Component(key: row.string("key") ?? "", name: row.string("name") ?? "",
                  description: row.string("description"), createdAt: row.int("created_at") ?? 0)
    }

    public func all() throws -> [Component] {
        try db.query("SELECT * FROM components ORDER BY key").map(Self.component)
    }

    public func byKey(_ key: String) throws -> Component? {
        try db.queryRow("SELECT * FROM components WHERE key = ?", key).map(Self.component)
    }

    public func insert(key: String, name: String, description: String?, now: Int64) throws -> Component {
        try db.run("INSERT INTO components(key, name, description, created_at) VALUES (?, ?, ?, ?)",
                   key, name, description, now)
        return try byKey(key)!
    }

    /// The components named by `keys`, refusing (exit 1) the first unknown one.
    public func requireAll(_ keys: [String]) throws -> [Component] {
        try keys.map { key in
            guard let component = try byKey(key) else {
                throw OpsError.refused("no component '\(key)'; see 'opsctl component list' or add it with 'opsctl component add'")
            }
            return component
        }
    }
}

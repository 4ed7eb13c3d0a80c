import OpsProtocol
import SQLite

/// The `users` table: the only code that reads or writes it.
public struct UserStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 1, name: "access: users", sql: """
        CREATE TABLE users(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            uid INTEGER NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('viewer','operator','security','supervisor','admin')),
            full_name TEXT,
            email TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        """)

    /// Admits the `monitor` role (a monitoring system's account). Only the CHECK's list of
    /// values changes, not how rows are stored, so the table's recorded definition is edited
    /// in place (the way SQLite's ALTER TABLE documentation gives for CHECK changes): rebuilding
    /// it would trip the foreign keys of shifts and feedback that name users.
    static let monitorRoleMigration = Migration(version: 31, name: "access: monitor role", sql: """
        PRAGMA writable_schema=ON;
        UPDATE sqlite_master
            SET sql = replace(sql, '''supervisor'',''admin'')', '''supervisor'',''admin'',''monitor'')')
            WHERE type = 'table' AND name = 'users';
        PRAGMA writable_schema=RESET;
        """)

    private static let columns = "id, name, uid, role, full_name, email, disabled, created_at"

    private static func user(_ row: Row) -> User? {
        guard let id = row.int("id"), let name = row.string("name"), let uid = row.int("uid"),
              let role = row.string("role").flatMap(Role.init(rawValue:)) else { return nil }
        return User(id: id, name: name, uid: UInt32(truncatingIfNeeded: uid), role: role,
                    fullName: row.string("full_name"), email: row.string("email"),
                    disabled: row.bool("disabled") ?? false, createdAt: row.int("created_at") ?? 0)
    }

    public func byUID(_ uid: UInt32) throws -> User? {
        try db.queryRow("SELECT \(Self.columns) FROM users WHERE uid = ?", Int64(uid)).flatMap(Self.user)
    }

    public func byName(_ name: String) throws -> User? {
        try db.queryRow("SELECT \(Self.columns) FROM users WHERE name = ?", name).flatMap(Self.user)
    }

    public func all() throws -> [User] {
        try db.query("SELECT \(Self.columns) FROM users ORDER BY name").compactMap(Self.user)
    }

    public var isEmpty: Bool {
        get throws { try db.queryRow("SELECT 1 FROM users LIMIT 1") == nil }
    }

    public func activeAdminCount() throws -> Int {
        Int(try db.queryRow("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0")?.int("n") ?? 0)
    }

    @discardableResult
    public func insert(name: String, uid: UInt32, role: Role, fullName: String?, email: String?, now: Int64) throws -> User {
        try db.run("INSERT INTO users(name, uid, role, full_name, email, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   name, Int64(uid), role.rawValue, fullName, email, now)
        return try byName(name)!
    }

    public func setRole(_ name: String, _ role: Role) throws {
        try db.run("UPDATE users SET role = ? WHERE name = ?", role.rawValue, name)
    }

    public func setDisabled(_ name: String, _ disabled: Bool) throws {
        try db.run("UPDATE users SET disabled = ? WHERE name = ?", disabled, name)
    }
}

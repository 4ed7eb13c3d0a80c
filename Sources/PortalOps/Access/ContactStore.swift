import OpsProtocol
import SQLite

/// The `user_contacts` table: how each person is reached, besides the e-mail
/// on their account.
public struct ContactStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 35, name: "access: contact methods", sql: """
        CREATE TABLE user_contacts(
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL REFERENCES users(name),
            kind TEXT NOT NULL CHECK (kind IN ('email', 'sms-webhook')),
            address TEXT NOT NULL,
            template TEXT,
            created_at INTEGER NOT NULL,
            test_message INTEGER,
            tested_at INTEGER,
            UNIQUE (user, kind, address)
        );
        """)

    public func contacts(of user: String) throws -> [Contact] {
        try db.query("SELECT * FROM user_contacts WHERE user = ? ORDER BY id", user).map(Self.contact)
    }

    @discardableResult
    public func add(user: String, kind: Contact.Kind, address: String, template: String?,
                    now: Int64) throws -> Contact {
        if try db.queryRow("SELECT 1 FROM user_contacts WHERE user = ? AND kind = ? AND address = ?",
                           user, kind.rawValue, address) != nil {
            throw OpsError.refused("\(user) already has that \(kind.rawValue) contact; "
                                   + "see 'opsctl user contact list \(user)'")
        }
        try db.run("INSERT INTO user_contacts(user, kind, address, template, created_at) VALUES (?, ?, ?, ?, ?)",
                   user, kind.rawValue, address, template, now)
        return try contacts(of: user).first { $0.id == db.lastInsertRowID }!
    }

    public func remove(user: String, id: Int64) throws -> Bool {
        try db.run("DELETE FROM user_contacts WHERE user = ? AND id = ?", user, id) > 0
    }

    public func recordTest(user: String, message: Int64, now: Int64) throws {
        try db.run("UPDATE user_contacts SET test_message = ?, tested_at = ? WHERE user = ?", message, now, user)
    }

    static func contact(_ row: Row) -> Contact {
        Contact(id: row.int("id") ?? 0, user: row.string("user") ?? "",
                kind: Contact.Kind(rawValue: row.string("kind") ?? "") ?? .email, address: row.string("address") ?? "",
                template: row.string("template"), createdAt: row.int("created_at") ?? 0,
                testMessage: row.int("test_message"), testedAt: row.int("tested_at"))
    }
}

import OpsProtocol
import SQLite

/// The `recipients`, `recipient_emails` and `recipient_groups` tables.
public struct RecipientStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 5, name: "delivery: recipients and groups", sql: """
        CREATE TABLE recipients(
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            webhook TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            removed_at INTEGER
        );
        CREATE TABLE recipient_emails(
            recipient TEXT NOT NULL REFERENCES recipients(key),
            position INTEGER NOT NULL,
            email TEXT NOT NULL,
            PRIMARY KEY (recipient, position)
        );
        CREATE TABLE recipient_groups(
            recipient TEXT NOT NULL REFERENCES recipients(key),
            group_name TEXT NOT NULL,
            PRIMARY KEY (recipient, group_name)
        );
        CREATE INDEX recipient_groups_group ON recipient_groups(group_name);
        """)

    public func byKey(_ key: String) throws -> Recipient? {
        guard let row = try db.queryRow("SELECT * FROM recipients WHERE key = ?", key) else { return nil }
        return try recipient(row)
    }

    /// Recipients, optionally of one group; removed ones only when asked.
    public func all(group: String? = nil, includeRemoved: Bool = false) throws -> [Recipient] {
        let rows = try db.query("""
            SELECT * FROM recipients r
            WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM recipient_groups g WHERE g.recipient = r.key AND g.group_name = ?1))
              AND (?2 OR r.removed_at IS NULL)
            ORDER BY r.key
            """, group, includeRemoved)
        return try rows.map(recipient)
    }

    /// Active recipients of any of `groups`, each once.
    public func members(of groups: [String]) throws -> [Recipient] {
        var seen = Set<String>()
        var result: [Recipient] = []
        for group in groups {
            for recipient in try all(group: group) where seen.insert(recipient.key).inserted {
                result.append(recipient)
            }
        }
        return result.sorted { $0.key < $1.key }
    }

    /// Group names with their count of active members.
    public func groups() throws -> [(name: String, members: Int)] {
        try db.query("""
            SELECT g.group_name AS name, COUNT(r.key) AS members FROM recipient_groups g
            LEFT JOIN recipients r ON r.key = g.recipient AND r.removed_at IS NULL
            GROUP BY g.group_name ORDER BY g.group_name
            """).map { ($0.string("name") ?? "", Int($0.int("members") ?? 0)) }
    }

    private func recipient(_ row: Row) throws -> Recipient {
        let key = row.string("key") ?? ""
        let emails = try db.query("SELECT email FROM recipient_emails WHERE recipient = ? ORDER BY position", key).compactMap { $0.string(0) }
        let groups = try db.query("SELECT group_name FROM recipient_groups WHERE recipient = ? ORDER BY group_name", key).compactMap { $0.string(0) }
        return Recipient(key: key, name: row.string("name") ?? "", kind: Recipient.Kind(rawValue: row.string("kind") ?? "") ?? .agency,
                         emails: emails, webhook: row.string("webhook"), groups: groups, removedAt: row.int("removed_at"))
    }

    /// Inserts a new recipient or rewrites an existing one in full.
    public func save(_ recipient: Recipient, now: Int64) throws {
        if try byKey(recipient.key) == nil {
            try db.run("INSERT INTO recipients(key, name, kind, webhook, created_at, updated_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       recipient.key, recipient.name, recipient.kind.rawValue, recipient.webhook, now, now, recipient.removedAt)
        } else {
            try db.run("UPDATE recipients SET name = ?, kind = ?, webhook = ?, updated_at = ?, removed_at = ? WHERE key = ?",
                       recipient.name, recipient.kind.rawValue, recipient.webhook, now, recipient.removedAt, recipient.key)
        }
        try db.run("DELETE FROM recipient_emails WHERE recipient = ?", recipient.key)
        for (position, email) in recipient.emails.enumerated() {
            try db.run("INSERT INTO recipient_emails(recipient, position, email) VALUES (?, ?, ?)", recipient.key, position, email)
        }
        try db.run("DELETE FROM recipient_groups WHERE recipient = ?", recipient.key)
        for group in Set(recipient.groups) {
            try db.run("INSERT INTO recipient_groups(recipient, group_name) VALUES (?, ?)", recipient.key, group)
        }
    }
}

import OpsProtocol
import SQLite

/// The `incident_subscriptions` table: which recipients receive the public notices of incidents on
/// which components (issue 15 item 5). A row with component `*` stands for every component, so a
/// component added later is covered without a new subscription.
public struct IncidentSubscriptions {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    /// The component of a subscription to every component.
    public static let everyComponent = "*"

    static let migration = Migration(version: 49, name: "delivery: incident notice subscriptions", sql: """
        CREATE TABLE incident_subscriptions(
            recipient TEXT NOT NULL REFERENCES recipients(key),
            component TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (recipient, component)
        );
        CREATE INDEX incident_subscriptions_component ON incident_subscriptions(component);
        """)

    /// The components `recipient` is subscribed to, `*` first when it takes every component.
    public func components(of recipient: String) throws -> [String] {
        try db.query("SELECT component FROM incident_subscriptions WHERE recipient = ? ORDER BY component = '*' DESC, "
                     + "component", recipient).compactMap { $0.string(0) }
    }

    /// Adds the subscriptions not already there; returns those added.
    @discardableResult
    public func subscribe(_ recipient: String, to components: [String], now: Int64) throws -> [String] {
        var added: [String] = []
        for component in components where !added.contains(component) {
            try db.run("""
                INSERT OR IGNORE INTO incident_subscriptions(recipient, component, created_at) VALUES (?, ?, ?)
                """, recipient, component, now)
            if db.changes > 0 { added.append(component) }
        }
        return added
    }

    /// Removes the subscriptions named (every one when `components` is nil); returns those removed.
    @discardableResult
    public func unsubscribe(_ recipient: String, from components: [String]?) throws -> [String] {
        let current = try self.components(of: recipient)
        let removed = components.map { named in current.filter(named.contains) } ?? current
        for component in removed {
            try db.run("DELETE FROM incident_subscriptions WHERE recipient = ? AND component = ?", recipient, component)
        }
        return removed
    }

    /// Active recipients subscribed to any of `components` (or to every component), each once, by key.
    public func subscribers(of components: [String]) throws -> [Recipient] {
        var keys = Set<String>()
        for component in components + [Self.everyComponent] {
            let rows = try db.query("SELECT recipient FROM incident_subscriptions WHERE component = ?", component)
            keys.formUnion(rows.compactMap { $0.string(0) })
        }
        let store = RecipientStore(db)
        return try keys.sorted().compactMap { try store.byKey($0) }.filter(\.isActive)
    }
}

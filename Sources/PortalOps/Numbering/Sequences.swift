import OpsProtocol
import SQLite

/// Numbers that restart every year: `MW-2026-0007`, `INC-2026-0042`, and the
/// administrative numbers of notices (`07/TB-STTTT`), which Decree 30/2020
/// restarts at 01 on 1 January. One row per name and year, incremented in
/// the transaction that uses the number, so a number is never given twice
/// and a rolled-back command gives its number back.
public struct Sequences {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 7, name: "sequences: yearly numbers", sql: """
        CREATE TABLE sequences(
            name TEXT NOT NULL,
            year INTEGER NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (name, year)
        );
        """)

    /// The next number of `name` in `year`, starting at 1.
    public func next(_ name: String, year: Int) throws -> Int {
        try db.run("""
            INSERT INTO sequences(name, year, last) VALUES (?, ?, 1)
            ON CONFLICT(name, year) DO UPDATE SET last = last + 1
            """, name, year)
        return Int(try db.queryRow("SELECT last FROM sequences WHERE name = ? AND year = ?", name, year)?.int(0) ?? 1)
    }

    /// A record identifier such as `MW-2026-0007`.
    public func nextIdentifier(prefix: String, year: Int) throws -> String {
        let number = try next(prefix, year: year)
        return References.format(prefix, year: year, number: number)
    }
}

import OpsProtocol
import SQLite

/// The `holidays` table: public holidays and days off (Tết, 30/4, 2/9…),
/// one row per date. With weekends they decide what a working day is.
public struct HolidayStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 8, name: "working days: holidays", sql: """
        CREATE TABLE holidays(
            date TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        """)

    public func add(date: String, name: String, by actor: String, now: Int64) throws {
        try db.run("INSERT INTO holidays(date, name, created_at, created_by) VALUES (?, ?, ?, ?)", date, name, now, actor)
    }

    public func remove(date: String) throws -> Int {
        try db.run("DELETE FROM holidays WHERE date = ?", date)
    }

    public func all(year: Int? = nil) throws -> [(date: String, name: String)] {
        try db.query("SELECT date, name FROM holidays WHERE (?1 IS NULL OR substr(date, 1, 4) = printf('%04d', ?1)) ORDER BY date", year.map(Int64.init))
            .map { ($0.string("date") ?? "", $0.string("name") ?? "") }
    }

    /// The working-day calendar as it stands now.
    public func calendar(time: LocalTime) throws -> WorkingCalendar {
        WorkingCalendar(time: time, holidays: Set(try all().map(\.date)))
    }
}

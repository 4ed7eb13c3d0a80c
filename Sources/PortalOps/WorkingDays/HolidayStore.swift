import OpsProtocol
import SQLite

/// The `holidays` table: public holidays and days off (Tết, 30/4, 2/9…),
/// one row per date. With weekends they decide what a working day is.
/// `holiday_years` holds the years whose official schedule an operator
/// confirmed, `holiday_workdays` the make-up working days (ngày làm bù).
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

    /// Issue 14: the built-in calendar proposes the year's public holidays; an operator confirms them.
    static let calendarMigration = Migration(version: 43, name: "working days: confirmed years, make-up days", sql: """
        ALTER TABLE holidays ADD COLUMN origin TEXT NOT NULL DEFAULT 'entered'
            CHECK (origin IN ('entered', 'confirmed'));
        CREATE TABLE holiday_years(
            year INTEGER PRIMARY KEY,
            adopted_proposal INTEGER NOT NULL,
            confirmed_at INTEGER NOT NULL,
            confirmed_by TEXT NOT NULL
        );
        CREATE TABLE holiday_workdays(
            date TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        """)

    /// A day on record: entered by hand, or adopted from the proposal by `holiday confirm`.
    public struct Entry: Sendable {
        public let date: String
        public let name: String
        public let origin: String
    }

    public func add(date: String, name: String, origin: String = "entered", by actor: String, now: Int64) throws {
        try db.run("INSERT INTO holidays(date, name, origin, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                   date, name, origin, now, actor)
    }

    public func remove(date: String) throws -> Int {
        try db.run("DELETE FROM holidays WHERE date = ?", date)
    }

    public func all(year: Int? = nil) throws -> [(date: String, name: String)] {
        try entries(year: year).map { ($0.date, $0.name) }
    }

    public func entries(year: Int? = nil) throws -> [Entry] {
        try db.query("""
            SELECT date, name, origin FROM holidays
            WHERE (?1 IS NULL OR substr(date, 1, 4) = printf('%04d', ?1)) ORDER BY date
            """, year.map(Int64.init))
            .map {
                Entry(date: $0.string("date") ?? "", name: $0.string("name") ?? "", origin: $0.string("origin") ?? "")
            }
    }

    public func confirmedYears() throws -> Set<Int> {
        Set(try db.query("SELECT year FROM holiday_years").compactMap { $0.int("year").map(Int.init) })
    }

    public func confirmation(year: Int) throws -> (adoptedProposal: Bool, at: Int64, by: String)? {
        try db.query("SELECT * FROM holiday_years WHERE year = ?", Int64(year)).first.map {
            ($0.bool("adopted_proposal") ?? false, $0.int("confirmed_at") ?? 0, $0.string("confirmed_by") ?? "")
        }
    }

    public func confirm(year: Int, adoptedProposal: Bool, by actor: String, now: Int64) throws {
        try db.run("INSERT INTO holiday_years(year, adopted_proposal, confirmed_at, confirmed_by) VALUES (?, ?, ?, ?)",
                   Int64(year), adoptedProposal, now, actor)
    }

    public func addWorkday(date: String, name: String, by actor: String, now: Int64) throws {
        try db.run("INSERT INTO holiday_workdays(date, name, created_at, created_by) VALUES (?, ?, ?, ?)",
                   date, name, now, actor)
    }

    public func removeWorkday(date: String) throws -> Int {
        try db.run("DELETE FROM holiday_workdays WHERE date = ?", date)
    }

    public func workdays(year: Int? = nil) throws -> [(date: String, name: String)] {
        try db.query("""
            SELECT date, name FROM holiday_workdays
            WHERE (?1 IS NULL OR substr(date, 1, 4) = printf('%04d', ?1)) ORDER BY date
            """, year.map(Int64.init))
            .map { ($0.string("date") ?? "", $0.string("name") ?? "") }
    }

    /// The working-day calendar as it stands now: weekends, the days on record, the fixed public holidays,
    /// the proposed ones of years not yet confirmed, less the make-up working days.
    public func calendar(time: LocalTime) throws -> WorkingCalendar {
        WorkingCalendar(time: time, holidays: Set(try all().map(\.date)), workdays: Set(try workdays().map(\.date)),
                        confirmedYears: try confirmedYears())
    }
}

import OpsProtocol
import SQLite

/// The backup regime around the backups themselves: schedules, drills,
/// retention. Owns the columns and table migration 17 adds.
public struct BackupRegime {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 17, name: "backups: schedules, drills, retention", sql: """
        ALTER TABLE backups ADD COLUMN removed_at INTEGER;
        ALTER TABLE backup_targets ADD COLUMN schedule TEXT;
        ALTER TABLE backup_targets ADD COLUMN drill_schedule TEXT;
        ALTER TABLE backup_targets ADD COLUMN last_scheduled_backup INTEGER;
        ALTER TABLE backup_targets ADD COLUMN last_scheduled_drill INTEGER;
        CREATE TABLE backup_drills(
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL REFERENCES backup_targets(key),
            backup TEXT,
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL,
            detail TEXT NOT NULL,
            recorded_by TEXT NOT NULL
        );
        """)

    // MARK: Schedules

    public struct Schedules: Sendable {
        public var backup: BackupSchedule?
        public var drill: BackupSchedule?
        public var lastBackup: Int64?
        public var lastDrill: Int64?
    }

    public func schedules(_ target: String) throws -> Schedules {
        guard let row = try db.queryRow("SELECT schedule, drill_schedule, last_scheduled_backup, last_scheduled_drill FROM backup_targets WHERE key = ?", target) else {
            return Schedules()
        }
        return Schedules(backup: row.string("schedule").flatMap { try? BackupSchedule.parse($0) },
                         drill: row.string("drill_schedule").flatMap { try? BackupSchedule.parse($0) },
                         lastBackup: row.int("last_scheduled_backup"), lastDrill: row.int("last_scheduled_drill"))
    }

    public func setSchedule(_ target: String, backup: BackupSchedule??, drill: BackupSchedule??, now: Int64) throws {
        if let backup {
            try db.run("UPDATE backup_targets SET schedule = ?, last_scheduled_backup = ? WHERE key = ?", backup?.description, now, target)
        }
        if let drill {
            try db.run("UPDATE backup_targets SET drill_schedule = ?, last_scheduled_drill = ? WHERE key = ?", drill?.description, now, target)
        }
    }

    public func markScheduled(_ target: String, drill: Bool, now: Int64) throws {
        try db.run(drill ? "UPDATE backup_targets SET last_scheduled_drill = ? WHERE key = ?"
                         : "UPDATE backup_targets SET last_scheduled_backup = ? WHERE key = ?", now, target)
    }

    // MARK: Drills

    public func recordDrill(target: String, backup: String?, ok: Bool, detail: String, by: String, now: Int64) throws {
        try db.run("INSERT INTO backup_drills(target, backup, at, ok, detail, recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
                   target, backup, now, ok, detail, by)
    }

    public func lastDrill(_ target: String) throws -> (at: Int64, ok: Bool, detail: String, backup: String?)? {
        try db.queryRow("SELECT * FROM backup_drills WHERE target = ? ORDER BY id DESC LIMIT 1", target).map {
            ($0.int("at") ?? 0, $0.bool("ok") ?? false, $0.string("detail") ?? "", $0.string("backup"))
        }
    }

    /// Every drill recorded in [from, to), oldest first (for reports).
    public func drills(from: Int64, to: Int64) throws -> [(target: String, at: Int64, ok: Bool)] {
        try db.query("SELECT target, at, ok FROM backup_drills WHERE at >= ? AND at < ? ORDER BY id", from, to).map {
            ($0.string("target") ?? "", $0.int("at") ?? 0, $0.bool("ok") ?? false)
        }
    }

    // MARK: Retention

    public func markRemoved(_ ref: String, now: Int64) throws {
        try db.run("UPDATE backups SET removed_at = ? WHERE ref = ?", now, ref)
    }
}

/// When a scheduled backup or drill runs: `daily 01:30` or `weekly mon 01:30`,
/// in the configured zone.
public struct BackupSchedule: Sendable, Equatable, CustomStringConvertible {
    public let weekday: Int?   // 1 = Sunday … 7 = Saturday; nil: every day
    public let minute: Int     // minutes after midnight

    static let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public static func parse(_ text: String) throws -> BackupSchedule {
        let words = text.lowercased().split(separator: " ").map(String.init)
        func time(_ word: String) throws -> Int {
            let parts = word.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]), word.count == 5 else {
                throw OpsError.usage("'\(word)' is not a time of day; use HH:MM")
            }
            return parts[0] * 60 + parts[1]
        }
        switch words.count {
        case 2 where words[0] == "daily": return BackupSchedule(weekday: nil, minute: try time(words[1]))
        case 3 where words[0] == "weekly":
            guard let day = days.firstIndex(of: String(words[1].prefix(3))) else { throw OpsError.usage("'\(words[1])' is not a weekday (mon, tue, …)") }
            return BackupSchedule(weekday: day + 1, minute: try time(words[2]))
        default:
            throw OpsError.usage("'\(text)' is not a schedule; use 'daily 01:30' or 'weekly mon 01:30'")
        }
    }

    public var description: String {
        let clock = String(format: "%02d:%02d", minute / 60, minute % 60)
        return weekday.map { "weekly \(Self.days[$0 - 1]) \(clock)" } ?? "daily \(clock)"
    }

    /// The first run strictly after `after`: the latest run at or before it,
    /// plus one period. Computed, never stepped day by day, so any jump of
    /// the clock costs the same.
    public func next(after: Int64, time: LocalTime) -> Int64 {
        let latest = latest(atOrBefore: after, time: time)
        return time.addingDays(weekday == nil ? 1 : 7, to: time.startOfDay(latest)) + Int64(minute) * 60_000
    }

    /// The latest scheduled run at or before `now`: today's run if its time
    /// has come, else the one the period before, found by arithmetic on the
    /// weekday (never a loop over the days in between).
    public func latest(atOrBefore now: Int64, time: LocalTime) -> Int64 {
        let period = weekday == nil ? 1 : 7
        let back = weekday.map { (time.weekday(now) - $0 + 7) % 7 } ?? 0
        var day = time.addingDays(-back, to: time.startOfDay(now))
        if day + Int64(minute) * 60_000 > now { day = time.addingDays(-period, to: day) }
        let candidate = day + Int64(minute) * 60_000
        return candidate
    }
}

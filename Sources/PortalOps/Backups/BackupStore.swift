import OpsProtocol
import SQLite

/// The `backup_targets` and `backups` tables.
public struct BackupStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 14, name: "backups: targets and backups", sql: """
        CREATE TABLE backup_targets(
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('sqlite', 'command')),
            path TEXT,
            dump_command TEXT,
            restore_command TEXT,
            check_command TEXT,
            directory TEXT,
            copy_to TEXT,
            keep_last INTEGER NOT NULL DEFAULT 7,
            keep_daily INTEGER NOT NULL DEFAULT 7,
            keep_weekly INTEGER NOT NULL DEFAULT 4,
            keep_monthly INTEGER NOT NULL DEFAULT 12,
            max_age INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE backups(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            target TEXT NOT NULL REFERENCES backup_targets(key),
            label TEXT,
            window TEXT,
            state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'failed')),
            file TEXT,
            size INTEGER,
            sha256 TEXT,
            manifest TEXT,
            fingerprint TEXT,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            error TEXT,
            verified_at INTEGER,
            verify_ok INTEGER,
            verify_detail TEXT,
            copy_file TEXT,
            created_by TEXT NOT NULL
        );
        CREATE INDEX backups_target ON backups(target, id);
        """)

    public func save(_ t: BackupTarget, now: Int64) throws {
        try db.run("""
            INSERT INTO backup_targets(key, kind, path, dump_command, restore_command, check_command, directory, copy_to,
                keep_last, keep_daily, keep_weekly, keep_monthly, max_age, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, path = excluded.path, dump_command = excluded.dump_command,
                restore_command = excluded.restore_command, check_command = excluded.check_command, directory = excluded.directory,
                copy_to = excluded.copy_to, keep_last = excluded.keep_last, keep_daily = excluded.keep_daily,
                keep_weekly = excluded.keep_weekly, keep_monthly = excluded.keep_monthly, max_age = excluded.max_age,
                updated_at = excluded.updated_at
            """, t.key, t.kind.rawValue, t.path, t.dumpCommand, t.restoreCommand, t.checkCommand, t.directory, t.copyTo,
                   t.keepLast, t.keepDaily, t.keepWeekly, t.keepMonthly, t.maxAge, now, now)
    }

    /// The console's own database is the target `ops` from the start.
    public func ensureConsoleTarget(databasePath: String, now: Int64) throws {
        if try target("ops") == nil {
            var ops = BackupTarget(key: "ops", kind: .sqlite, path: databasePath)
            ops.maxAge = Self.consoleMaxAge
            try save(ops, now: now)
            try BackupRegime(db).setSchedule("ops", backup: try BackupSchedule.parse(Self.consoleSchedule), drill: nil,
                                             now: now)
        }
    }

    /// The console protects its own records by default: `ops` is backed up
    /// every night (kept by the default retention), and status warns when
    /// its newest verified backup is over a day and two hours old.
    static let consoleSchedule = "daily 01:30"
    static let consoleMaxAge: Int64 = 26 * 3_600_000

    /// The same defaults for a console whose `ops` target predates them
    /// (only where nothing was configured).
    static let consoleDefaults = Migration(version: 25, name: "backups: ops is backed up nightly by default", sql: """
        UPDATE backup_targets SET schedule = 'daily 01:30' WHERE key = 'ops' AND schedule IS NULL;
        UPDATE backup_targets SET max_age = 93600000 WHERE key = 'ops' AND max_age IS NULL;
        """)

    public func target(_ key: String) throws -> BackupTarget? {
        try db.queryRow("SELECT * FROM backup_targets WHERE key = ?", key).map(Self.target)
    }

    public func targets() throws -> [BackupTarget] {
        try db.query("SELECT * FROM backup_targets ORDER BY key").map(Self.target)
    }

    static func target(_ r: Row) -> BackupTarget {
        BackupTarget(key: r.string("key") ?? "", kind: BackupTarget.Kind(rawValue: r.string("kind") ?? "") ?? .sqlite,
                     path: r.string("path"), dumpCommand: r.string("dump_command"), restoreCommand: r.string("restore_command"),
                     checkCommand: r.string("check_command"), directory: r.string("directory"), copyTo: r.string("copy_to"),
                     keepLast: Int(r.int("keep_last") ?? 7), keepDaily: Int(r.int("keep_daily") ?? 7),
                     keepWeekly: Int(r.int("keep_weekly") ?? 4), keepMonthly: Int(r.int("keep_monthly") ?? 12), maxAge: r.int("max_age"))
    }

    public func start(ref: String, target: String, label: String?, window: String?, by actor: String, now: Int64) throws {
        try db.run("""
            INSERT INTO backups(ref, target, label, window, state, started_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, ref, target, label, window, BackupState.running.rawValue, now, actor)
    }

    public func complete(_ ref: String, artifact: BackupArtifact, now: Int64) throws {
        try db.run("""
            UPDATE backups SET state = ?, file = ?, size = ?, sha256 = ?, manifest = ?, fingerprint = ?,
                finished_at = ?, copy_file = ?, verified_at = ?, verify_ok = 1, verify_detail = 'checked when taken'
            WHERE ref = ?
            """, BackupState.complete.rawValue, artifact.file, artifact.size, artifact.sha256, artifact.manifest,
                   artifact.fingerprint?.json.serialized(), now, artifact.copyFile, now, ref)
    }

    public func fail(_ ref: String, error: String, now: Int64) throws {
        try db.run("UPDATE backups SET state = ?, error = ?, finished_at = ? WHERE ref = ?",
                   BackupState.failed.rawValue, error, now, ref)
    }

    public func recordVerification(_ ref: String, ok: Bool, detail: String, now: Int64) throws {
        try db.run("UPDATE backups SET verified_at = ?, verify_ok = ?, verify_detail = ? WHERE ref = ?", now, ok, detail, ref)
    }

    /// Backups left `running` by a crash are failed (their files were never
    /// all renamed into place) and returned, so their leftovers can be removed.
    @discardableResult
    public func failInterrupted(now: Int64) throws -> [Backup] {
        let running = BackupState.running.rawValue
        let interrupted = try db.query("SELECT * FROM backups WHERE state = ? ORDER BY id", running).map(Self.backup)
        try db.run("""
            UPDATE backups SET state = ?, error = 'opsd stopped during the backup', finished_at = ? WHERE state = ?
            """, BackupState.failed.rawValue, now, running)
        return interrupted
    }

    public func backup(_ ref: String) throws -> Backup? {
        try db.queryRow("SELECT * FROM backups WHERE ref = ?", ref.uppercased()).map(Self.backup)
    }

    /// Backups still on disk (pruned ones only with `includeRemoved`).
    public func backups(target: String? = nil, includeRemoved: Bool = false) throws -> [Backup] {
        try db.query("SELECT * FROM backups WHERE (?1 IS NULL OR target = ?1) AND (?2 OR removed_at IS NULL) ORDER BY id",
                     target, includeRemoved).map(Self.backup)
    }

    /// The newest complete, verified backup of `target` still on disk, for `status` and `metrics`, which run
    /// often: reading every backup to keep the last made them slower by the minute in issue 18's soak.
    public func newestVerified(target: String) throws -> Backup? {
        try db.queryRow(Self.newestVerified, target).map(Self.backup)
    }

    static let newestVerified = """
        SELECT * FROM backups WHERE target = ? AND removed_at IS NULL AND state = 'complete' AND verify_ok = 1
        ORDER BY id DESC LIMIT 1
        """

    static func backup(_ r: Row) -> Backup {
        Backup(id: r.int("id") ?? 0, ref: r.string("ref") ?? "", target: r.string("target") ?? "", label: r.string("label"),
               window: r.string("window"),
               // The column's CHECK allows only these states.
               state: r.string("state").flatMap(BackupState.init(rawValue:)) ?? .failed,
               file: r.string("file"), size: r.int("size"),
               sha256: r.string("sha256"), manifest: r.string("manifest"),
               fingerprint: r.string("fingerprint").flatMap { try? JSON.parse($0) }.flatMap(Fingerprint.init(json:)),
               startedAt: r.int("started_at") ?? 0, finishedAt: r.int("finished_at"), error: r.string("error"),
               verifiedAt: r.int("verified_at"), verifyOK: r.bool("verify_ok"), verifyDetail: r.string("verify_detail"),
               copyFile: r.string("copy_file"), removedAt: r.int("removed_at"))
    }
}

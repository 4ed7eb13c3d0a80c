import CSQLite

extension Connection {
    /// Progress of an online backup: pages copied out of the total.
    public struct BackupProgress: Sendable {
        public let remaining: Int
        public let total: Int
    }

    /// Copies this database into a new self-contained file at `path` (rollback
    /// journal, no `-wal` beside it) with SQLite's online
    /// backup API. The copy is a consistent snapshot even while other
    /// connections write (a write through another connection restarts the
    /// copy; in WAL mode a one-shot step keeps writers going).
    ///
    /// - Parameter pagesPerStep: -1 copies in one step; a positive number lets
    ///   `progress` report between steps.
    public func backup(to path: String, pagesPerStep: Int32 = -1,
                       progress: ((BackupProgress) -> Void)? = nil) throws {
        let destination = try Connection(path: path, mode: .readWrite, journalMode: "DELETE")
        try backup(into: destination, pagesPerStep: pagesPerStep, progress: progress)
        // The copy carries the source's journal mode in its header; a copy
        // stands alone, so it is switched back to a rollback journal.
        try destination.execute("PRAGMA journal_mode=DELETE")
    }

    /// Copies this database into an open connection's main database.
    public func backup(into destination: Connection, pagesPerStep: Int32 = -1,
                       progress: ((BackupProgress) -> Void)? = nil) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle))
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, pagesPerStep)
            progress?(BackupProgress(remaining: Int(sqlite3_backup_remaining(backup)),
                                     total: Int(sqlite3_backup_pagecount(backup))))
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(10) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw SQLiteError(code: rc == SQLITE_DONE ? finish : rc,
                              message: "online backup failed: \(destination.lastErrorMessage)")
        }
    }
}

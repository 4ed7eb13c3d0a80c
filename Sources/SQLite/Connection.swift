import CSQLite

/// One SQLite connection.
///
/// Not `Sendable`: a connection belongs to one executor at a time (the
/// daemon's writer queue, a test, a backup job). Whoever shares it across
/// threads must serialise every use and say so where it does.
public final class Connection {
    public enum Mode: Sendable {
        case readWrite      // create if missing
        case readOnly
    }

    /// The raw handle, for the extensions of this module.
    let handle: OpaquePointer
    public let path: String
    /// Prepared statements of `run`, `query` and `queryRow`, by SQL text.
    /// Preparing was a third of the daemon's time per request; SQLite
    /// re-prepares a cached statement by itself after a schema change.
    private var cache: [String: OpaquePointer] = [:]

    /// Opens `path` with WAL journaling, a busy timeout and foreign keys on.
    ///
    /// - Parameter synchronous: `FULL` (default) makes every commit durable
    ///   across power loss; `NORMAL` in WAL mode survives a process crash but
    ///   may lose the last commits on power loss, for roughly 10× the commit rate.
    /// - Parameter journalMode: `WAL` for live databases; `DELETE` for files
    ///   that must stand alone (backup copies), with no `-wal`/`-shm` beside them.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000,
                synchronous: String = "FULL", journalMode: String = "WAL") throws {
        var db: OpaquePointer?
        let flags: Int32 = switch mode {
        case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        case .readOnly: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: "\(message) (\(path))")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        do {
            if mode == .readWrite {
                guard ["WAL", "DELETE"].contains(journalMode) else {
                    throw SQLiteError(code: SQLITE_MISUSE, message: "journal mode must be WAL or DELETE")
                }
                try execute("PRAGMA journal_mode=\(journalMode)")
                guard ["FULL", "NORMAL"].contains(synchronous) else {
                    throw SQLiteError(code: SQLITE_MISUSE, message: "synchronous must be FULL or NORMAL")
                }
                try execute("PRAGMA synchronous=\(synchronous)")
            }
            try execute("PRAGMA foreign_keys=ON")
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    /// Pages kept when reading a whole file once (copying, checking, fingerprinting): the kernel's page cache
    /// holds the file anyway, and the 2 MiB default per connection only made each backup's peak memory grow
    /// with the database (in the soak, SQLite's high-water mark went from 5 to 15 MiB as ops.db grew, and
    /// malloc's arenas grew with it and kept the space).
    public static let scanningCacheKiB = 256

    /// A read-only connection with a small page cache, for reading a file through once.
    public static func scanning(_ path: String) throws -> Connection {
        try readOnly(path, cacheKiB: scanningCacheKiB)
    }

    /// A read-only connection that caches at most `cacheKiB` of pages (SQLite's default is 2 MiB).
    public static func readOnly(_ path: String, cacheKiB: Int) throws -> Connection {
        let db = try Connection(path: path, mode: .readOnly)
        try db.execute("PRAGMA cache_size=-\(max(1, cacheKiB))")
        return db
    }

    deinit {
        for statement in cache.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs `body` with the cached statement for `sql`, reset afterwards so
    /// it holds no lock and no read snapshot between uses.
    private func withCachedStatement<T>(_ sql: String, _ parameters: [SQLiteBindable],
                                        _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let handle = cache[sql] {
            statement = Statement(cached: handle, connection: self, sql: sql)
        } else {
            statement = try Statement(connection: self, sql: sql, owned: false)
            cache[sql] = statement.handle
        }
        defer { statement.reset() }
        try statement.bind(parameters)
        return try body(statement)
    }

    /// Runs one or more statements that take no parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Prepares one statement of the caller's own, for streaming many rows
    /// (`forEachRow`); parameters are bound, never spliced into `sql`.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs a statement that returns no rows, with bound parameters.
    @discardableResult
    public func run(_ sql: String, _ parameters: SQLiteBindable...) throws -> Int {
        try withCachedStatement(sql, parameters) { try $0.runToCompletion() }
        return changes
    }

    /// All rows of a query, with bound parameters.
    public func query(_ sql: String, _ parameters: SQLiteBindable...) throws -> [Row] {
        try withCachedStatement(sql, parameters) { try $0.allRows() }
    }

    /// The first row of a query, or nil.
    public func queryRow(_ sql: String, _ parameters: SQLiteBindable...) throws -> Row? {
        try withCachedStatement(sql, parameters) { try $0.nextRow() }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func error(_ rc: Int32, sql: String? = nil) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle) != 0 ? sqlite3_extended_errcode(handle) : rc,
                    message: lastErrorMessage, sql: sql)
    }

    /// The linked SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}

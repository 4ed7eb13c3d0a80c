import CSQLite

/// A failed SQLite call: the result code, SQLite's own message, and the SQL
/// that was being prepared or run when it failed, so a log line names the
/// statement and not only "error 19".
public struct SQLiteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …).
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …).
    public var primaryCode: Int32 { code & 0xFF }

    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        var text = "SQLite error \(code) (\(name)): \(message)"
        if let sql { text += " — in: \(sql)" }
        return text
    }
}

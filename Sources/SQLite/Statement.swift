import CSQLite

/// SQLite copies bound text and blobs at once with this destructor. Binding a
/// Swift string with a static (nil) destructor corrupts it: the bridged
/// pointer is temporary. `SQLITE_TRANSIENT` is a C macro Swift does not import.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Bound for empty strings, whose UTF-8 buffer may have no base address
/// (a NULL pointer would bind SQL NULL, not '').
private nonisolated(unsafe) let emptyText: UnsafePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
}()

/// A prepared statement with typed binding and typed column reads.
public final class Statement {
    let handle: OpaquePointer
    let connection: Connection
    public let sql: String
    /// False for the connection's cached statements, which it finalizes.
    private let owned: Bool

    init(connection: Connection, sql: String, owned: Bool = true) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw connection.error(rc, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
        self.owned = owned
    }

    /// Wraps a statement from the connection's cache for one use.
    init(cached handle: OpaquePointer, connection: Connection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
        self.owned = false
    }

    deinit {
        if owned { sqlite3_finalize(handle) }
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds positional parameters `?1…?n`; the count must match.
    public func bind(_ parameters: [SQLiteBindable]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard parameters.count == expected else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "statement takes \(expected) parameters, \(parameters.count) given", sql: sql)
        }
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch parameter.sqliteValue {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let value): rc = sqlite3_bind_int64(handle, index, value)
            case .real(let value): rc = sqlite3_bind_double(handle, index, value)
            case .text(var value):
                // An explicit byte count keeps text with an embedded NUL whole.
                rc = value.withUTF8 { buffer in
                    UnsafeRawBufferPointer(buffer).withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text(handle, index, $0.baseAddress ?? emptyText, Int32(buffer.count), transient)
                    }
                }
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(buffer.count), transient)
                }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
    }

    /// Steps once; returns the row if there is one.
    public func nextRow() throws -> Row? {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return Row(statement: self, columns: columnNames)
        case SQLITE_DONE: return nil
        default: throw connection.error(rc, sql: sql)
        }
    }

    public func allRows() throws -> [Row] {
        var rows: [Row] = []
        while let row = try nextRow() { rows.append(row) }
        return rows
    }

    /// Steps until done, discarding rows.
    public func runToCompletion() throws {
        while try nextRow() != nil {}
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The result's column names, read from SQLite once per statement object (one query).
    private lazy var columnNames: [String] = (0..<columnCount).map { String(cString: sqlite3_column_name(handle, $0)) }
}

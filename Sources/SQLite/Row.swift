import CSQLite

/// One result row, copied out of the statement so it outlives the next step.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [SQLiteValue]

    /// The current row of `statement`; `columns` are its column names, read once per query by the caller
    /// (every row of a result shares one array rather than copying each name again).
    init(statement: Statement, columns: [String]) {
        var values: [SQLiteValue] = []
        values.reserveCapacity(columns.count)
        for index in 0..<Int32(columns.count) {
            values.append(Row.read(statement.handle, index))
        }
        self.columns = columns
        self.values = values
    }

    public init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    private static func read(_ handle: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let pointer = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    public subscript(index: Int) -> SQLiteValue { values[index] }

    public subscript(name: String) -> SQLiteValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    // Typed reads. A NULL or a value of another class reads as nil rather
    // than being coerced, so a schema mistake shows up instead of a silent 0.

    public func int(_ name: String) -> Int64? {
        if case .integer(let value) = self[name] { return value }
        return nil
    }

    public func double(_ name: String) -> Double? {
        switch self[name] {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public func string(_ name: String) -> String? {
        if case .text(let value) = self[name] { return value }
        return nil
    }

    public func blob(_ name: String) -> [UInt8]? {
        if case .blob(let value) = self[name] { return value }
        return nil
    }

    public func bool(_ name: String) -> Bool? {
        int(name).map { $0 != 0 }
    }

    public func int(_ index: Int) -> Int64? {
        if case .integer(let value) = values[index] { return value }
        return nil
    }

    public func string(_ index: Int) -> String? {
        if case .text(let value) = values[index] { return value }
        return nil
    }
}

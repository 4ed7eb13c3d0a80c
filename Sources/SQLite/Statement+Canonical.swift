import CSQLite

extension Statement {
    /// Steps through every row and hands `body` the row in a canonical byte
    /// form, read straight from SQLite's buffers with no Swift value in
    /// between: per column a type byte (0 NULL, 1 integer, 2 real, 3 text,
    /// 4 blob), then for integers and reals their 8 bytes big-endian (reals
    /// as their IEEE bits), for text and blobs their length as an unsigned
    /// LEB128 varint followed by the bytes. Fingerprints hash this form; a scan
    /// of millions of rows costs what SQLite and the hash cost, not the
    /// allocation of strings.
    public func forEachRowCanonical(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let count = columnCount
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        func append(_ value: UInt64) {
            withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
        }
        func appendLength(_ length: Int) {
            var rest = UInt64(length)
            while rest >= 0x80 { buffer.append(UInt8(truncatingIfNeeded: rest) | 0x80); rest >>= 7 }
            buffer.append(UInt8(rest))
        }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw connection.error(rc, sql: sql) }
            buffer.removeAll(keepingCapacity: true)
            for index in 0..<count {
                switch sqlite3_column_type(handle, index) {
                case SQLITE_INTEGER:
                    buffer.append(1)
                    append(UInt64(bitPattern: sqlite3_column_int64(handle, index)))
                case SQLITE_FLOAT:
                    buffer.append(2)
                    append(sqlite3_column_double(handle, index).bitPattern)
                case SQLITE_TEXT:
                    let pointer = sqlite3_column_text(handle, index)
                    let length = Int(sqlite3_column_bytes(handle, index))
                    buffer.append(3)
                    appendLength(length)
                    if let pointer, length > 0 { buffer.append(contentsOf: UnsafeBufferPointer(start: pointer, count: length)) }
                case SQLITE_BLOB:
                    let pointer = sqlite3_column_blob(handle, index)
                    let length = Int(sqlite3_column_bytes(handle, index))
                    buffer.append(4)
                    appendLength(length)
                    if let pointer, length > 0 {
                        buffer.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
                    }
                default:
                    buffer.append(0)
                }
            }
            try buffer.withUnsafeBytes { try body($0) }
        }
    }
}

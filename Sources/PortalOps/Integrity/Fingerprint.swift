import OpsProtocol
import Foundation
import SQLite

/// What a SQLite database holds, reduced to hashes that can be compared:
/// the schema, and per table its row count and a SHA-256 over its rows in
/// primary-key (rowid) order, every value typed and length-prefixed and
/// floats hashed as their 8 bytes (the form is `Statement.forEachRowCanonical`'s). Two databases with the same fingerprint
/// hold the same data, whatever their page layout (a `.backup` copy differs
/// from its source in header bytes, so a file checksum cannot tell this).
/// `sqlite_stat*` and `sqlite_sequence` are left out: they are bookkeeping
/// that ANALYZE and VACUUM rewrite without changing the data.
public struct Fingerprint: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public let rows: Int64
        public let sha256: String
    }

    public let schemaSHA256: String
    public let tables: [String: Table]

    /// Every table is read from one snapshot: a fingerprint of a database
    /// that is being written describes one moment of it.
    public static func of(_ db: Connection) throws -> Fingerprint {
        try db.readTransaction { try read(db) }
    }

    private static func read(_ db: Connection) throws -> Fingerprint {
        let schema = try db.query("""
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_stat%' AND name <> 'sqlite_sequence' AND sql IS NOT NULL ORDER BY type, name
            """)
        var schemaHasher = SHA256()
        var buffer: [UInt8] = []
        for row in schema { for value in row.values { encode(value, into: &buffer) } }
        schemaHasher.update(buffer)
        var tables: [String: Table] = [:]
        let names = try db.query("""
            SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        for row in names {
            guard let name = row.string("name") else { continue }
            let withoutRowID = (row.string("sql") ?? "").uppercased().contains("WITHOUT ROWID")
            let quoted = "\"" + name.escapingScalars(["\"": "\"\""]) + "\""
            let order = withoutRowID ? try primaryKeyOrder(db, table: name) : "rowid"
            let statement = try db.prepare("SELECT * FROM \(quoted) ORDER BY \(order)")
            // Rows are gathered into 256 KiB chunks and hashed on a second
            // thread while SQLite reads the next ones.
            let hasher = BackgroundSHA256()
            var count: Int64 = 0
            var chunk: [UInt8] = []
            chunk.reserveCapacity(chunkSize + 4096)
            try statement.forEachRowCanonical { row in
                count += 1
                chunk.append(contentsOf: row)
                if chunk.count >= chunkSize {
                    hasher.update(chunk)
                    chunk = []
                    chunk.reserveCapacity(chunkSize + 4096)
                }
            }
            hasher.update(chunk)
            tables[name] = Table(rows: count, sha256: hasher.finalize().hexString)
        }
        return Fingerprint(schemaSHA256: schemaHasher.finalize().hexString, tables: tables)
    }

    private static let chunkSize = 1 << 18

    /// The primary-key columns of a WITHOUT ROWID table, quoted, in key
    /// order. The table's name is bound, not spliced into the SQL, so any
    /// name (one with a `'` or a `"`) reads its own columns.
    private static func primaryKeyOrder(_ db: Connection, table: String) throws -> String {
        let columns = try db.query("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table)
            .compactMap { $0.string("name") }.map { "\"" + $0.escapingScalars(["\"": "\"\""]) + "\"" }
        return columns.isEmpty ? "1" : columns.joined(separator: ", ")
    }

    /// A type byte, then the value: integers and reals as 8 bytes, text and
    /// blobs as a LEB128 length and their bytes:
    /// the same form as `Statement.forEachRowCanonical`, which the tables
    /// are hashed in (a test keeps the two equal).
    static func encode(_ value: SQLiteValue, into out: inout [UInt8]) {
        func append(_ integer: UInt64) { for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: integer >> UInt64(shift))) } }
        func appendLength(_ length: Int) {
            var rest = UInt64(length)
            while rest >= 0x80 { out.append(UInt8(truncatingIfNeeded: rest) | 0x80); rest >>= 7 }
            out.append(UInt8(rest))
        }
        switch value {
        case .null: out.append(0)
        case .integer(let v): out.append(1); append(UInt64(bitPattern: v))
        case .real(let v): out.append(2); append(v.bitPattern)
        case .text(let v): out.append(3); appendLength(v.utf8.count); out.append(contentsOf: v.utf8)
        case .blob(let v): out.append(4); appendLength(v.count); out.append(contentsOf: v)
        }
    }

    public var json: JSON {
        ["schema_sha256": .string(schemaSHA256),
         "tables": .object(tables.mapValues { ["rows": .int($0.rows), "sha256": .string($0.sha256)] })]
    }

    public init(schemaSHA256: String, tables: [String: Table]) {
        self.schemaSHA256 = schemaSHA256
        self.tables = tables
    }

    public init?(json: JSON) {
        guard let schema = json["schema_sha256"]?.stringValue, let tables = json["tables"]?.objectValue else { return nil }
        var parsed: [String: Table] = [:]
        for (name, table) in tables {
            guard let rows = table["rows"]?.intValue, let sha = table["sha256"]?.stringValue else { return nil }
            parsed[name] = Table(rows: rows, sha256: sha)
        }
        self.init(schemaSHA256: schema, tables: parsed)
    }
}

/// How one table differs between two fingerprints.
public struct TableDifference: Sendable, Equatable {
    public enum Change: String, Sendable {
        case unchanged, added = "table added", removed = "table removed", rowsAdded = "rows added",
             rowsRemoved = "rows removed", contentChanged = "content changed"
    }
    public let table: String
    public let change: Change
    public let before: Int64?
    public let after: Int64?
}

extension Fingerprint {
    /// Per table: unchanged, rows added/removed, content changed, table
    /// added or removed. The schema is compared as a whole.
    public func compare(to after: Fingerprint) -> (schemaChanged: Bool, tables: [TableDifference]) {
        let names = Set(tables.keys).union(after.tables.keys).sorted()
        let differences = names.map { name -> TableDifference in
            switch (tables[name], after.tables[name]) {
            case (nil, let b?): return TableDifference(table: name, change: .added, before: nil, after: b.rows)
            case (let a?, nil): return TableDifference(table: name, change: .removed, before: a.rows, after: nil)
            case (let a?, let b?):
                if a == b { return TableDifference(table: name, change: .unchanged, before: a.rows, after: b.rows) }
                let change: TableDifference.Change = b.rows > a.rows ? .rowsAdded : b.rows < a.rows ? .rowsRemoved : .contentChanged
                return TableDifference(table: name, change: change, before: a.rows, after: b.rows)
            default: return TableDifference(table: name, change: .unchanged, before: nil, after: nil)
            }
        }
        return (schemaSHA256 != after.schemaSHA256, differences)
    }
}

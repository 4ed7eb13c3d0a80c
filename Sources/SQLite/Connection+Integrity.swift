extension Connection {
    /// The outcome of `integrity_check` or `quick_check`: `ok` or the
    /// problems SQLite listed, one message each.
    public struct IntegrityReport: Equatable, Sendable {
        public let problems: [String]
        public var isOK: Bool { problems.isEmpty }
    }

    /// One row that violates a foreign key.
    public struct ForeignKeyViolation: Equatable, Sendable, CustomStringConvertible {
        public let table: String
        public let rowid: Int64?
        public let parent: String
        public let constraintIndex: Int64

        public var description: String {
            "foreign key: \(table) row \(rowid.map(String.init) ?? "?") has no parent in \(parent)"
        }
    }

    /// `PRAGMA integrity_check`: full check, including index-to-row matching.
    /// It does not check foreign keys; see `foreignKeyCheck()`.
    public func integrityCheck(maxErrors: Int = 100) throws -> IntegrityReport {
        try checkReport("PRAGMA integrity_check(\(max(1, maxErrors)))")
    }

    /// `PRAGMA quick_check`: skips index-to-row matching, about 10× faster.
    public func quickCheck(maxErrors: Int = 100) throws -> IntegrityReport {
        try checkReport("PRAGMA quick_check(\(max(1, maxErrors)))")
    }

    /// `PRAGMA foreign_key_check`: every row whose parent row is missing.
    public func foreignKeyCheck() throws -> [ForeignKeyViolation] {
        try query("PRAGMA foreign_key_check").map { row in
            ForeignKeyViolation(table: row.string(0) ?? "", rowid: row.int(1),
                                parent: row.string(2) ?? "", constraintIndex: row.int(3) ?? 0)
        }
    }

    private func checkReport(_ sql: String) throws -> IntegrityReport {
        let messages = try query(sql).compactMap { $0.string(0) }
        return IntegrityReport(problems: messages == ["ok"] ? [] : messages)
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`: folds the WAL back into the database
    /// file, done at shutdown so the file alone is complete.
    public func checkpoint() throws {
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}

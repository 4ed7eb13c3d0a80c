extension Connection {
    /// Runs `body` in one transaction: committed if it returns, rolled back if
    /// it throws (and the error rethrown). `BEGIN IMMEDIATE` takes the write
    /// lock up front, so a transaction never fails half-way on a lock upgrade.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }
}

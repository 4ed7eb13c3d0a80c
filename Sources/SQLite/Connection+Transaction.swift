extension Connection {
    /// Runs `body` in one transaction: committed if it returns, rolled back if
    /// it throws (and the error rethrown). `BEGIN IMMEDIATE` takes the write
    /// lock up front, so a transaction never fails half-way on a lock upgrade.
    ///
    /// Called inside another transaction it becomes a savepoint: its own
    /// changes are undone if `body` throws, the outer transaction goes on.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        return try begun("BEGIN IMMEDIATE", body)
    }

    /// Runs `body` in one read transaction, so every statement in it sees
    /// the same snapshot of the database while writers go on (in WAL mode;
    /// with a rollback journal, writers wait for it). Inside a transaction
    /// it just runs `body`.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        return try begun("BEGIN DEFERRED", body)
    }

    /// `begin`, then `body`: committed if it returns, rolled back if it throws.
    private func begun<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try run(begin)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            if isInTransaction { _ = try? run("ROLLBACK") }
            throw error
        }
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        try run("SAVEPOINT nested")
        do {
            let result = try body()
            try run("RELEASE nested")
            return result
        } catch {
            _ = try? run("ROLLBACK TO nested")
            _ = try? run("RELEASE nested")
            throw error
        }
    }
}

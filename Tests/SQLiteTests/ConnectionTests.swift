import XCTest
@testable import SQLite

final class ConnectionTests: XCTestCase {
    let directory = TemporaryDirectory()

    func testOpenSetsWALForeignKeysAndBusyTimeout() throws {
        let db = try Connection(path: directory.file("a.db"))
        XCTAssertEqual(try db.queryRow("PRAGMA journal_mode")?.string(0), "wal")
        XCTAssertEqual(try db.queryRow("PRAGMA foreign_keys")?.int(0), 1)
        XCTAssertEqual(try db.queryRow("PRAGMA busy_timeout")?.int(0), 5000)
        XCTAssertEqual(try db.queryRow("PRAGMA synchronous")?.int(0), 2, "FULL by default")
        let normal = try Connection(path: directory.file("b.db"), synchronous: "NORMAL")
        XCTAssertEqual(try normal.queryRow("PRAGMA synchronous")?.int(0), 1)
    }

    func testTypedBindingAndReadsRoundTrip() throws {
        let db = try Connection(path: directory.file("a.db"))
        try db.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let text = "Sở Tư pháp tỉnh Lào Cai — ‘quote’ \u{0}inside"
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", Int64.max, 0.1 + 0.2, text, [UInt8]([0, 1, 255]), Optional<String>.none)
        let row = try XCTUnwrap(db.queryRow("SELECT * FROM t"))
        XCTAssertEqual(row.int("i"), Int64.max)
        XCTAssertEqual(row.double("r"), 0.1 + 0.2)
        XCTAssertEqual(row.string("s"), text)
        XCTAssertEqual(row.blob("b"), [0, 1, 255])
        XCTAssertEqual(row["n"], .null)
        XCTAssertNil(row.int("s"), "a text column does not read as an integer")
        XCTAssertNil(row.string("missing"))
    }

    func testEmptyBlobAndBoolBind() throws {
        let db = try Connection(path: directory.file("a.db"))
        try db.execute("CREATE TABLE t(b BLOB, f INTEGER)")
        try db.run("INSERT INTO t VALUES (?, ?)", [UInt8](), true)
        let row = try XCTUnwrap(db.queryRow("SELECT * FROM t"))
        XCTAssertEqual(row.blob("b"), [])
        XCTAssertEqual(row.bool("f"), true)
    }

    func testParameterCountMismatchIsAnError() throws {
        let db = try Connection(path: directory.file("a.db"))
        try db.execute("CREATE TABLE t(a)")
        XCTAssertThrowsError(try db.run("INSERT INTO t VALUES (?)", 1, 2)) { error in
            let error = error as! SQLiteError
            XCTAssertTrue(error.message.contains("takes 1 parameters, 2 given"))
            XCTAssertEqual(error.sql, "INSERT INTO t VALUES (?)")
        }
    }

    func testErrorCarriesCodeMessageAndSQL() throws {
        let db = try Connection(path: directory.file("a.db"))
        XCTAssertThrowsError(try db.prepare("SELEC 1")) { error in
            let error = error as! SQLiteError
            XCTAssertEqual(error.primaryCode, 1)
            XCTAssertTrue(error.message.contains("syntax error"), error.message)
            XCTAssertEqual(error.sql, "SELEC 1")
            XCTAssertTrue(error.description.contains("SELEC 1"))
        }
        try db.execute("CREATE TABLE u(k TEXT UNIQUE)")
        try db.run("INSERT INTO u VALUES (?)", "x")
        XCTAssertThrowsError(try db.run("INSERT INTO u VALUES (?)", "x")) { error in
            let error = error as! SQLiteError
            XCTAssertTrue(error.isConstraintViolation)
            XCTAssertEqual(error.code, 2067, "SQLITE_CONSTRAINT_UNIQUE, the extended code")
            XCTAssertTrue(error.message.contains("UNIQUE"))
        }
    }

    func testForeignKeysAreEnforced() throws {
        let db = try Connection(path: directory.file("a.db"))
        try db.execute("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p INTEGER REFERENCES p(id))")
        XCTAssertThrowsError(try db.run("INSERT INTO c VALUES (?)", 42))
    }

    func testTransactionCommitsOnReturnAndRollsBackOnThrow() throws {
        let db = try Connection(path: directory.file("a.db"))
        try db.execute("CREATE TABLE t(a)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", 1)
            throw Boom()
        })
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.queryRow("SELECT COUNT(*) FROM t")?.int(0), 0)
        let value = try db.transaction { () -> Int in
            try db.run("INSERT INTO t VALUES (?)", 2)
            return 7
        }
        XCTAssertEqual(value, 7)
        let other = try Connection(path: directory.file("a.db"))
        XCTAssertEqual(try other.queryRow("SELECT COUNT(*) FROM t")?.int(0), 1, "committed and visible to another connection")
    }

    func testReadOnlyConnectionRefusesWrites() throws {
        let path = directory.file("a.db")
        try Connection(path: path).execute("CREATE TABLE t(a)")
        let reader = try Connection(path: path, mode: .readOnly)
        XCTAssertThrowsError(try reader.run("INSERT INTO t VALUES (?)", 1))
    }

    /// A connection that reads a file through once keeps a small cache (backups, checks, fingerprints) and
    /// cannot write; the default connection keeps SQLite's 2 MiB.
    func testAScanningConnectionHasASmallCacheAndReadsOnly() throws {
        let path = directory.file("a.db")
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(a)")
        let scanning = try Connection.scanning(path)
        XCTAssertEqual(try scanning.queryRow("PRAGMA cache_size")?.int(0), -Int64(Connection.scanningCacheKiB))
        XCTAssertEqual(try writer.queryRow("PRAGMA cache_size")?.int(0), -2000)
        XCTAssertThrowsError(try scanning.run("INSERT INTO t VALUES (?)", 1))
    }

    /// SQLite takes its page cache pool once, before any connection: later, reserving one is a clear error
    /// (opsd reserves it first thing; the soak measures what it saves).
    func testAPageCachePoolAfterTheFirstConnectionIsRefused() throws {
        _ = try Connection(path: directory.file("a.db"))
        XCTAssertThrowsError(try PageCachePool.reserve(slots: 16)) { error in
            XCTAssertEqual((error as? SQLiteError)?.code, 21, "SQLITE_MISUSE")
            XCTAssertTrue("\(error)".contains("before the first connection"), "\(error)")
        }
        XCTAssertThrowsError(try PageCachePool.reserve(slots: 0))
    }
}

final class NestedTransactionTests: XCTestCase {
    let directory = TemporaryDirectory()

    func testAnInnerFailureUndoesOnlyItsOwnChanges() throws {
        let db = try Connection(path: directory.file("n.db"))
        try db.execute("CREATE TABLE t(a)")
        struct Boom: Error {}
        try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", 1)
            XCTAssertThrowsError(try db.transaction {
                try db.run("INSERT INTO t VALUES (?)", 2)
                throw Boom()
            })
            try db.transaction { try db.run("INSERT INTO t VALUES (?)", 3) }
        }
        XCTAssertEqual(try db.query("SELECT a FROM t ORDER BY a").compactMap { $0.int(0) }, [1, 3])
        XCTAssertFalse(db.isInTransaction)
    }
}

import Foundation
import XCTest
import SQLite
import OpsProtocol
@testable import PortalOps

final class FingerprintTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "fp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func portal(_ name: String) throws -> Connection {
        let db = try Connection(path: "\(directory!)/\(name)")
        try db.execute("""
            CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT, fee REAL, scan BLOB);
            CREATE INDEX dossier_code ON dossier(code);
            CREATE TABLE payment(dossier INTEGER, ref TEXT, PRIMARY KEY (dossier, ref)) WITHOUT ROWID;
            """)
        try db.transaction {
            for i in 0..<500 {
                try db.run("INSERT INTO dossier(code, fee, scan) VALUES (?, ?, ?)", "HS-\(i)", Double(i) * 0.1, [UInt8](repeating: UInt8(i % 256), count: 10))
                try db.run("INSERT INTO payment VALUES (?, ?)", i, "TT-\(i)")
            }
        }
        return db
    }

    func testTheSameDataHasTheSameFingerprintWhateverThePageLayout() throws {
        let db = try portal("a.db")
        let before = try Fingerprint.of(db)
        try db.run("DELETE FROM dossier WHERE id > ?", 10_000)   // nothing
        try db.execute("VACUUM")
        XCTAssertEqual(try Fingerprint.of(db), before)
        try db.backup(to: "\(directory!)/copy.db")
        XCTAssertEqual(try Fingerprint.of(try Connection(path: "\(directory!)/copy.db", mode: .readOnly)), before)
        XCTAssertEqual(before.tables["dossier"]?.rows, 500)
        XCTAssertEqual(before.tables["payment"]?.rows, 500)
    }

    /// The primary key of a WITHOUT ROWID table is read with the table's name
    /// bound: a name with a `'` (or a `"`) orders by its own key columns.
    func testATableNamedWithAQuoteIsFingerprintedInKeyOrder() throws {
        func database(_ name: String, keys: [Int]) throws -> Connection {
            let db = try Connection(path: "\(directory!)/\(name)")
            try db.execute(#"CREATE TABLE "l'hôpital ""x"""(code TEXT, n INTEGER, PRIMARY KEY (n, code))"#
                           + " WITHOUT ROWID")
            for key in keys { try db.run(#"INSERT INTO "l'hôpital ""x""" VALUES (?, ?)"#, "HS-\(key)", key) }
            return db
        }
        let forwards = try Fingerprint.of(try database("a.db", keys: Array(0..<50)))
        let backwards = try Fingerprint.of(try database("b.db", keys: Array((0..<50).reversed())))
        XCTAssertEqual(forwards.tables[#"l'hôpital "x""#]?.rows, 50)
        XCTAssertEqual(forwards, backwards, "rows are hashed in primary-key order, whatever the insertion order")
    }

    func testChangesAreClassifiedPerTable() throws {
        let db = try portal("a.db")
        let before = try Fingerprint.of(db)
        try db.run("UPDATE dossier SET fee = ? WHERE id = ?", (0.4).nextUp, 5)   // only a float's last bit changes
        try db.run("DELETE FROM payment WHERE dossier < ?", 3)
        try db.execute("CREATE TABLE audit(x)")
        let after = try Fingerprint.of(db)
        let (schemaChanged, tables) = before.compare(to: after)
        XCTAssertTrue(schemaChanged)
        let changes = Dictionary(uniqueKeysWithValues: tables.map { ($0.table, $0.change) })
        XCTAssertEqual(changes, ["dossier": .contentChanged, "payment": .rowsRemoved, "audit": .added])
        XCTAssertEqual(Fingerprint(json: after.json), after, "round-trips through the manifest's JSON")
    }

    /// A writer moves dossiers from `inbox` to `done` in one transaction at
    /// a time while fingerprints are taken: each fingerprint sees one moment,
    /// so the two tables' rows always add up.
    func testAFingerprintOfADatabaseBeingWrittenDescribesOneMoment() throws {
        let path = "\(directory!)/live.db"
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE inbox(id INTEGER PRIMARY KEY, note TEXT); CREATE TABLE done(id INTEGER PRIMARY KEY, note TEXT)")
        try db.transaction {
            for i in 0..<3_000 { try db.run("INSERT INTO inbox VALUES (?, ?)", Int64(i), String(repeating: "hồ sơ ", count: 20)) }
        }
        final class Stop: @unchecked Sendable { let lock = NSLock(); var stop = false
            var value: Bool { lock.lock(); defer { lock.unlock() }; return stop } }
        let stop = Stop()
        let writerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { writerDone.signal() }
            do {
                let writer = try Connection(path: path, synchronous: "NORMAL")
                var next: Int64 = 0
                while !stop.value && next < 3_000 {
                    try writer.transaction {
                        try writer.run("INSERT INTO done SELECT * FROM inbox WHERE id = ?", next)
                        try writer.run("DELETE FROM inbox WHERE id = ?", next)
                    }
                    next += 1
                }
            } catch { XCTFail("writer: \(error)") }
        }
        let reader = try Connection(path: path, mode: .readOnly)
        var moments = 0
        for _ in 0..<30 {
            let fingerprint = try Fingerprint.of(reader)
            XCTAssertEqual((fingerprint.tables["inbox"]?.rows ?? 0) + (fingerprint.tables["done"]?.rows ?? 0), 3_000,
                           "inbox and done read at different moments")
            if fingerprint.tables["done"]?.rows ?? 0 > 0 { moments += 1 }
        }
        stop.lock.lock(); stop.stop = true; stop.lock.unlock()
        writerDone.wait()
        XCTAssertGreaterThan(moments, 0, "the writer was moving rows while the fingerprints were taken")
    }

    /// A table larger than several hashing chunks: its hash is the SHA-256 of
    /// its rows' encodings in rowid order, however they were cut into chunks.
    func testATableSpanningManyChunksHashesItsRowsInOrder() throws {
        let db = try Connection(path: "\(directory!)/big.db")
        try db.execute("CREATE TABLE scan(id INTEGER PRIMARY KEY, page BLOB, note TEXT)")
        try db.transaction {
            for i in (0..<600).reversed() {   // inserted out of order: the hash follows rowid order
                try db.run("INSERT INTO scan VALUES (?, ?, ?)", Int64(i), (0..<(1_000 + i * 3)).map { UInt8(truncatingIfNeeded: $0 ^ i) }, "trang \(i)")
            }
        }
        var expected: [UInt8] = []
        for row in try db.query("SELECT * FROM scan ORDER BY id") { for value in row.values { Fingerprint.encode(value, into: &expected) } }
        XCTAssertGreaterThan(expected.count, 4 << 18, "spans more than four chunks")
        let table = try XCTUnwrap(Fingerprint.of(db).tables["scan"])
        XCTAssertEqual(table.rows, 600)
        XCTAssertEqual(table.sha256, SHA256.hex(expected))
    }
}

final class CanonicalRowTests: XCTestCase {
    func testTheStatementsCanonicalFormIsTheFingerprintsEncoding() throws {
        let path = NSTemporaryDirectory() + "canon-" + UUID().uuidString + ".db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE t(a, b, c, d, e)")
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", Int64(-5), 0.1, "Sở Tư pháp", [UInt8]([0, 255]), Optional<String>.none)
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", "", [UInt8](), Int64.max, -0.0, 7)
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", String(repeating: "ờ", count: 200), [UInt8](repeating: 9, count: 20_000), 1, 2, 3)
        var fromSwift: [[UInt8]] = []
        for row in try db.query("SELECT * FROM t ORDER BY rowid") {
            var buffer: [UInt8] = []
            for value in row.values { Fingerprint.encode(value, into: &buffer) }
            fromSwift.append(buffer)
        }
        var fromSQLite: [[UInt8]] = []
        try db.prepare("SELECT * FROM t ORDER BY rowid").forEachRowCanonical { fromSQLite.append(Array($0)) }
        XCTAssertEqual(fromSQLite, fromSwift)
        XCTAssertEqual(fromSQLite.count, 3)
        XCTAssertEqual(Array(fromSQLite[2][0...2]), [3, 0xD8, 0x04], "600 bytes of text: type 3, then 600 as LEB128")
    }
}

import Foundation
import XCTest
@testable import SQLite

final class BackupAndIntegrityTests: XCTestCase {
    let directory = TemporaryDirectory()

    private func populated(_ name: String, rows: Int = 2_000) throws -> Connection {
        let db = try Connection(path: directory.file(name))
        try db.execute("CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT, owner TEXT); CREATE INDEX dossier_code ON dossier(code)")
        try db.transaction {
            for i in 0..<rows { try db.run("INSERT INTO dossier(code, owner) VALUES (?, ?)", "HS-\(i)", "Công dân \(i)") }
        }
        return db
    }

    func testOnlineBackupCopiesEverythingAndReportsProgress() throws {
        let source = try populated("src.db")
        var reports: [Connection.BackupProgress] = []
        try source.backup(to: directory.file("copy.db"), pagesPerStep: 5) { reports.append($0) }
        XCTAssertGreaterThan(reports.count, 1, "several steps were reported")
        XCTAssertEqual(reports.last?.remaining, 0)
        let copy = try Connection(path: directory.file("copy.db"), mode: .readOnly)
        XCTAssertEqual(try copy.queryRow("SELECT COUNT(*), MAX(owner) FROM dossier")?.int(0), 2_000)
        XCTAssertTrue(try copy.integrityCheck().isOK)
    }

    func testBackupIsConsistentWhileAnotherConnectionWrites() throws {
        _ = try populated("src.db")
        let path = directory.file("src.db")
        let stop = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        let thread = Thread {
            let writer = try! Connection(path: path)
            var i = 0
            while stop.wait(timeout: .now()) == .timedOut {
                _ = try? writer.run("INSERT INTO dossier(code, owner) VALUES (?, ?)", "W-\(i)", "writer")
                i += 1
            }
            writerDone.signal()
        }
        thread.start()
        let reader = try Connection(path: path)
        for n in 0..<5 {
            try reader.backup(to: directory.file("copy\(n).db"))
            let copy = try Connection(path: directory.file("copy\(n).db"), mode: .readOnly)
            XCTAssertTrue(try copy.integrityCheck().isOK)
            let counts = try copy.queryRow("SELECT COUNT(*) AS rows, (SELECT COUNT(*) FROM dossier INDEXED BY dossier_code WHERE code > '') AS indexed FROM dossier")
            XCTAssertEqual(counts?.int("rows"), counts?.int("indexed"), "table and index agree in the snapshot")
        }
        stop.signal()
        writerDone.wait()
    }

    func testQuickAndIntegrityCheckFindCorruption() throws {
        let db = try populated("bad.db", rows: 5_000)
        let root = try XCTUnwrap(db.queryRow("SELECT rootpage FROM sqlite_master WHERE name = 'dossier_code'")?.int(0))
        let pageSize = try XCTUnwrap(db.queryRow("PRAGMA page_size")?.int(0))
        try db.checkpoint()
        XCTAssertTrue(try db.integrityCheck().isOK)
        XCTAssertTrue(try db.quickCheck().isOK)
        // Overwrite the index's root page with garbage behind SQLite's back.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: directory.file("bad.db")))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize + 8))
        handle.write(Data(repeating: 0x5A, count: Int(pageSize) - 16))
        try handle.close()
        let reopened = try Connection(path: directory.file("bad.db"))
        do {
            let report = try reopened.integrityCheck()
            XCTAssertFalse(report.isOK)
            XCTAssertFalse(report.problems.isEmpty)
        } catch let error as SQLiteError {
            XCTAssertEqual(error.primaryCode, 11, "SQLITE_CORRUPT is the other acceptable answer")
        }
    }

    func testForeignKeyCheckListsOrphans() throws {
        let db = try Connection(path: directory.file("fk.db"))
        try db.execute("""
            CREATE TABLE agency(id INTEGER PRIMARY KEY);
            CREATE TABLE dossier(id INTEGER PRIMARY KEY, agency INTEGER REFERENCES agency(id));
            PRAGMA foreign_keys=OFF;
            INSERT INTO agency VALUES (1);
            INSERT INTO dossier VALUES (10, 1), (11, 99);
            """)
        let violations = try db.foreignKeyCheck()
        XCTAssertEqual(violations, [.init(table: "dossier", rowid: 11, parent: "agency", constraintIndex: 0)])
    }
}

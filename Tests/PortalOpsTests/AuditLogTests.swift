import Foundation
import XCTest
import SQLite
import OpsProtocol
@testable import PortalOps

final class AuditLogTests: XCTestCase {
    var directory: String!
    var db: Connection!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "audit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        db = try Connection(path: directory + "/ops.db")
        try db.migrate(Capabilities.schema, now: 0)
        for i in 1...10 {
            try db.transaction {
                try AuditLog(db).append(at: Int64(i) * 1000, actor: "lan", uid: 1001, pid: 42, command: "component.add",
                                        arguments: ["key": .string("c\(i)"), "name": "Cổng"], outcome: "ok", detail: "Added c\(i)")
            }
        }
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What someone with write access to ops.db (and the sqlite3 shell)
    /// could do: drop the guards, then change rows.
    private func tamper(_ sql: String) throws {
        try db.execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        try db.execute(sql)
    }

    func testIntactChainVerifies() throws {
        let result = try AuditLog(db).verify()
        XCTAssertTrue(result.isIntact, result.failure ?? "")
        XCTAssertEqual(result.entries, 10)
    }

    func testEntriesChainToTheirPredecessor() throws {
        let entries = try AuditLog(db).entries(.init())
        XCTAssertEqual(entries.first?.previousHash, AuditEntry.genesisHash)
        for (previous, entry) in zip(entries, entries.dropFirst()) {
            XCTAssertEqual(entry.previousHash, previous.hash)
        }
        XCTAssertEqual(try AuditLog(db).entries(.init(limit: 3)).map(\.seq), [8, 9, 10], "the newest, oldest first")
        XCTAssertEqual(try AuditLog(db).entries(.init(since: 9_000)).map(\.seq), [9, 10])
        XCTAssertEqual(try AuditLog(db).entries(.init(until: 3_000)).map(\.seq), [1, 2])
    }

    func testTheDatabaseRefusesUpdatesAndDeletes() {
        XCTAssertThrowsError(try db.execute("UPDATE audit_log SET detail = 'x' WHERE seq = 3")) { error in
            XCTAssertTrue("\(error)".contains("append-only"))
        }
        XCTAssertThrowsError(try db.execute("DELETE FROM audit_log WHERE seq = 3"))
    }

    func testAnEditedEntryIsNamed() throws {
        try tamper("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 4")
        let result = try AuditLog(db).verify()
        XCTAssertEqual(result.failedSeq, 4)
        XCTAssertTrue(result.failure!.contains("edited"), result.failure!)
    }

    func testAnEditedEntryWithARecomputedHashBreaksTheNext() throws {
        let entries = try AuditLog(db).entries(.init())
        let e = entries[4]
        let canonical = AuditEntry.canonicalForm(seq: e.seq, at: e.at, actor: "someone-else", uid: e.uid, pid: e.pid,
                                                 command: e.command, arguments: e.arguments, outcome: e.outcome, detail: e.detail)
        let forged = AuditEntry.chainHash(previous: e.previousHash, canonical: canonical)
        try tamper("UPDATE audit_log SET actor = 'someone-else', hash = '\(forged)' WHERE seq = 5")
        let result = try AuditLog(db).verify()
        XCTAssertEqual(result.failedSeq, 6)
        XCTAssertTrue(result.failure!.contains("previous hash differs"), result.failure!)
    }

    func testADeletedEntryIsNamed() throws {
        try tamper("DELETE FROM audit_log WHERE seq = 7")
        let result = try AuditLog(db).verify()
        XCTAssertEqual(result.failedSeq, 7)
        XCTAssertTrue(result.failure!.contains("missing"), result.failure!)
    }

    func testEntriesDeletedFromTheEndAreCaught() throws {
        try tamper("DELETE FROM audit_log WHERE seq >= 9")
        let result = try AuditLog(db).verify()
        XCTAssertFalse(result.isIntact)
        XCTAssertEqual(result.failedSeq, 9)
        XCTAssertTrue(result.failure!.contains("deleted from the end"), result.failure!)
    }

    func testReorderedEntriesAreCaught() throws {
        // Swap the contents of entries 2 and 3, keeping each seq in place.
        try tamper("""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE seq IN (2, 3);
            UPDATE audit_log SET at = (SELECT at FROM swap WHERE seq = 5 - audit_log.seq),
                detail = (SELECT detail FROM swap WHERE seq = 5 - audit_log.seq),
                args = (SELECT args FROM swap WHERE seq = 5 - audit_log.seq),
                prev_hash = (SELECT prev_hash FROM swap WHERE seq = 5 - audit_log.seq),
                hash = (SELECT hash FROM swap WHERE seq = 5 - audit_log.seq)
            WHERE seq IN (2, 3);
            """)
        let result = try AuditLog(db).verify()
        XCTAssertEqual(result.failedSeq, 2)
    }

    func testAnInsertedEntryIsCaught() throws {
        try tamper("""
            INSERT INTO audit_log(seq, at, actor, uid, pid, command, args, outcome, detail, prev_hash, hash)
            SELECT 11, 11000, 'ghost', 0, 1, 'user.add', '{}', 'ok', 'added a ghost', hash, 'abc' FROM audit_log WHERE seq = 10;
            """)
        let result = try AuditLog(db).verify()
        XCTAssertEqual(result.failedSeq, 11)
    }

    func testCanonicalFormIsStable() {
        // If this changes, every existing trail stops verifying: never change it.
        let canonical = AuditEntry.canonicalForm(seq: 1, at: 2, actor: "lan", uid: 3, pid: nil, command: "user.add",
                                                 arguments: #"{"name":"x"}"#, outcome: "ok", detail: "Đã thêm")
        XCTAssertEqual(canonical, #"{"actor":"lan","args":"{\"name\":\"x\"}","at":2,"command":"user.add","detail":"Đã thêm","outcome":"ok","pid":null,"seq":1,"uid":3}"#)
        XCTAssertEqual(AuditEntry.chainHash(previous: AuditEntry.genesisHash, canonical: canonical),
                       SHA256.hex(AuditEntry.genesisHash + canonical))
    }
}

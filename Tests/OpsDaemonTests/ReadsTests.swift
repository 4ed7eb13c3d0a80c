import Foundation
import OpsProtocol
@testable import OpsDaemon
@testable import PortalOps
import SQLite
import XCTest

/// Plain reads run on the reader pool, beside the writer: they do not wait
/// for it, they see what it acknowledged, they cannot write, and what they
/// refuse is still recorded in the audit trail.
final class ReadsTests: XCTestCase {
    /// A read the catalog calls plain whose handler tries to write anyway.
    static let sneaky = Capability(
        "sneak",
        migrations: [Migration(version: 901, name: "sneak rows",
                               sql: "CREATE TABLE sneak_rows(id INTEGER PRIMARY KEY);")],
        commands: [Command("sneak.look", "Claims to read, writes", roles: .staff, audit: .none) { context in
            try context.db.run("INSERT INTO sneak_rows(id) VALUES (1)")
            return Response(message: "wrote")
        }],
        nouns: ["sneak": "a capability that exists only in this test"])

    func testAReadIsAnsweredWhileTheWriterIsBusy() throws {
        let engine = try EngineFixture()
        XCTAssertNil(engine.send("component.add", ["key": "web", "name": "Cổng"]).error)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? engine.writer.write { _, _ in
                holding.signal()
                release.wait()   // the writer is held until the read has been answered
            }
            writerDone.signal()
        }
        holding.wait()
        let answered = DispatchSemaphore(value: 0)
        let list = Locked<Response?>(nil)
        DispatchQueue.global().async {
            list.withLock { $0 = engine.send("component.list") }
            answered.signal()
        }
        // A generous bound, only so that a read stuck behind the writer fails rather than hangs.
        let result = answered.wait(timeout: .now() + 30)
        release.signal()
        writerDone.wait()
        XCTAssertEqual(result, .success, "component list waited for the writer")
        let keys = list.withLock { $0 }?.data["components"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
        XCTAssertEqual(keys, ["web"], "the read sees what the writer acknowledged")
    }

    func testARefusedReadIsRecordedInTheAuditTrail() throws {
        let engine = try EngineFixture()
        let shown = engine.send("incident.show", ["incident": "SC-2026-999"])
        XCTAssertEqual(shown.error?.exitCode, 1, "\(shown)")
        let recorded = try engine.writer.read { db, _ in
            try db.queryRow("SELECT outcome, detail FROM audit_log WHERE command = 'incident.show'")
        }
        XCTAssertEqual(recorded?.string("outcome"), "refused")
        XCTAssertEqual(recorded?.string("detail"), shown.error?.message)
        XCTAssertNil(engine.send("audit.verify").error)
    }

    func testAPlainReadThatWritesIsRefusedAndWritesNothing() throws {
        let engine = try EngineFixture(extra: [Self.sneaky])
        let answer = engine.send("sneak.look")
        XCTAssertEqual(answer.error?.exitCode, 5, "\(answer)")
        XCTAssertTrue(answer.error?.message.contains("readonly") == true, "\(answer)")
        let rows = try engine.writer.read { db, _ in try db.queryRow("SELECT count(*) AS n FROM sneak_rows")?.int("n") }
        XCTAssertEqual(rows, 0)
        let refusals = try engine.writer.read { db, _ in
            try db.queryRow("SELECT count(*) AS n FROM audit_log WHERE command = 'sneak.look'")?.int("n")
        }
        XCTAssertEqual(refusals, 1)
    }

    func testABatchWithAWriteRunsWholeOnTheWriterInOrder() throws {
        let engine = try EngineFixture()
        let answers = engine.send([
            Request(command: "component.list", arguments: [:]),
            Request(command: "component.add", arguments: ["key": "db", "name": "CSDL"]),
            Request(command: "component.list", arguments: [:]),
        ])
        XCTAssertEqual(answers[0].data["components"]?.arrayValue?.count, 0)
        XCTAssertNil(answers[1].error)
        XCTAssertEqual(answers[2].data["components"]?.arrayValue?.count, 1, "the read after the write sees it")
    }

    func testThePoolNeverHoldsMoreReadersThanItsLimit() throws {
        let engine = try EngineFixture()
        let pool = ReaderPool(path: engine.directory + "/ops.db", limit: 3)
        let inside = Locked(0), most = Locked(0), counts = Locked<[Int64?]>([])
        // Threads of their own, not concurrentPerform: that runs one iteration per core, so on 2 cores it could
        // never ask for more than 2 readers at once and the bound would go untested.
        let done = DispatchGroup()
        for _ in 0..<12 {
            done.enter()
            Thread {
                let count = try? pool.with { db -> Int64? in
                    let now = inside.withLock { $0 += 1; return $0 }
                    most.withLock { $0 = max($0, now) }
                    defer { inside.withLock { $0 -= 1 } }
                    usleep(20_000)
                    return try db.queryRow("SELECT count(*) AS n FROM users")?.int("n")
                }
                counts.withLock { $0.append(count) }
                done.leave()
            }.start()
        }
        done.wait()
        XCTAssertEqual(counts.withLock { $0 }, Array(repeating: 1, count: 12))
        XCTAssertLessThanOrEqual(most.withLock { $0 }, 3)
    }
}

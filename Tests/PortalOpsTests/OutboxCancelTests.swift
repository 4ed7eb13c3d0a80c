import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest
import Foundation

/// Issue 19 item 3: a removed recipient gets nothing more, a supervisor can cancel one
/// delivery with a reason, and cancelled deliveries leave the failure counts.
final class OutboxCancelTests: XCTestCase {
    private func failedDelivery(_ h: CommandHarness, to key: String) throws -> Int64 {
        let outbox = Outbox(h.db)
        let recipient = try XCTUnwrap(RecipientStore(h.db).byKey(key))
        let id = try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"), to: [recipient],
                                    by: "admin", now: h.clock.now()).deliveryIDs[0]
        let jobs = try outbox.claimDue(now: h.clock.now(), limit: 10)
        try outbox.finish(jobs[0], outcome: .failed(error: "timeout"), now: h.clock.now(), giveUpAfter: 3_600_000)
        XCTAssertEqual(try outbox.delivery(id)?.state, .failed)
        return id
    }

    private func count(_ h: CommandHarness, _ state: String) throws -> Int {
        try Outbox(h.db).counts().first { $0.key.rawValue == state }?.value ?? 0
    }

    func testRecipientRemoveCancelsPendingDeliveriesAndLeavesTheFailureCounts() throws {
        let h = try CommandHarness()
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        let id = try failedDelivery(h, to: "stp")
        let response = try h.run("recipient.remove", ["key": "stp"])
        XCTAssertTrue(response.message?.contains("cancelled 1 pending delivery") ?? false, "\(response.message ?? "")")
        let delivery = try XCTUnwrap(Outbox(h.db).delivery(id))
        XCTAssertEqual(delivery.state.rawValue, "cancelled")
        XCTAssertNil(delivery.nextAttemptAt)
        XCTAssertTrue(delivery.lastError?.contains("recipient stp was removed") ?? false, "\(delivery.lastError ?? "")")
        XCTAssertEqual(try count(h, "failed"), 0)
        XCTAssertEqual(try count(h, "cancelled"), 1)
        try h.advance("2h")
        XCTAssertEqual(try Outbox(h.db).claimDue(now: h.clock.now(), limit: 10).count, 0, "never retried")
    }

    /// A delivery being sent while its recipient is removed is left to finish; if that attempt
    /// fails, it is cancelled rather than retried.
    func testADeliveryInFlightWhenTheRecipientIsRemovedIsNotRetried() throws {
        let h = try CommandHarness()
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        let outbox = Outbox(h.db)
        let recipient = try XCTUnwrap(RecipientStore(h.db).byKey("stp"))
        let id = try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"), to: [recipient],
                                    by: "admin", now: h.clock.now()).deliveryIDs[0]
        let second = try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s2", text: "t"), to: [recipient],
                                        by: "admin", now: h.clock.now()).deliveryIDs[0]
        let jobs = try outbox.claimDue(now: h.clock.now(), limit: 10)
        XCTAssertEqual(jobs.count, 2)
        try h.run("recipient.remove", ["key": "stp"])
        XCTAssertEqual(try outbox.delivery(id)?.state, .sending, "an attempt under way is left to finish")
        let state = try outbox.finish(jobs[0], outcome: .failed(error: "timeout"), now: h.clock.now(),
                                      giveUpAfter: 3_600_000)
        XCTAssertEqual(state.rawValue, "cancelled")
        XCTAssertEqual(try count(h, "failed"), 0)
        // opsd stopped during the second attempt: at start-up it is not queued for that recipient again.
        XCTAssertEqual(try outbox.recoverInterrupted(now: h.clock.now()), 0, "none is queued again")
        XCTAssertEqual(try outbox.delivery(second)?.state.rawValue, "cancelled")
        XCTAssertEqual(try outbox.claimDue(now: h.clock.now(), limit: 10).count, 0)
    }

    func testOutboxCancelNeedsASupervisorAndAReason() throws {
        let h = try CommandHarness()
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        let id = try failedDelivery(h, to: "stp")
        try h.become("lan", role: .operator)
        h.assertRefused("outbox.cancel", ["id": .string(String(id)), "reason": "wrong address"], code: 3,
                        saying: "outbox.cancel")
        try h.become("hoa", role: .supervisor)
        XCTAssertThrowsError(try h.run("outbox.cancel", ["id": .string(String(id))]))
        try h.run("outbox.cancel", ["id": .string(String(id)), "reason": "wrong address"])
        let delivery = try XCTUnwrap(Outbox(h.db).delivery(id))
        XCTAssertEqual(delivery.state.rawValue, "cancelled")
        XCTAssertTrue(delivery.lastError?.contains("wrong address") ?? false)
        XCTAssertTrue(delivery.lastError?.contains("hoa") ?? false)
        h.assertRefused("outbox.cancel", ["id": .string(String(id)), "reason": "again"], saying: "already cancelled")
        h.assertRefused("outbox.retry", ["id": .string(String(id))], saying: "cancelled")
        XCTAssertEqual(try count(h, "failed"), 0)
    }

    /// Migration 27 rebuilds `deliveries`: rows, ids and attempts survive, and foreign keys still hold.
    func testMigrationKeepsDeliveriesAndAttempts() throws {
        let directory = NSTemporaryDirectory() + "portalops-m27-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = try Connection(path: directory + "/ops.db")
        let migrations = try Registry(Capabilities.all).migrations
        try db.migrate(migrations.filter { $0.version < 27 }, now: 0)
        try db.run("""
            INSERT INTO recipients(key, name, kind, created_at, updated_at) VALUES ('stp', 'STP', 'agency', 0, 0)
            """)
        let outbox = Outbox(db)
        let recipient = try XCTUnwrap(RecipientStore(db).byKey("stp"))
        // No channels, so no delivery: the message row is what delivery 7 below needs.
        _ = try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"), to: [recipient], by: "a", now: 0)
        try db.run("""
            INSERT INTO deliveries(id, message, recipient, channel, address, token, state, window_start, created_at)
            VALUES (7, 1, 'stp', 'email', 'a@stp.vn', 'tok', 'failed', 0, 0)
            """)
        try db.run("INSERT INTO delivery_attempts(delivery, started_at, outcome) VALUES (7, 0, 'failed')")
        try db.migrate(migrations, now: 1)
        XCTAssertEqual(try outbox.delivery(7)?.state, .failed)
        XCTAssertEqual(try outbox.attempts(7).count, 1)
        XCTAssertEqual(try outbox.cancel(7, reason: "test", by: "a").state, .cancelled)
        XCTAssertTrue(try db.query("PRAGMA foreign_key_check").isEmpty)
        XCTAssertThrowsError(try db.run("INSERT INTO delivery_attempts(delivery, started_at) VALUES (999, 0)"),
                             "the attempts still reference deliveries")
    }
}

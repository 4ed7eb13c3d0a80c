import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 19, item 1: a replacement notice is a notice of its own; it starts
/// unacknowledged, and `show` says who acknowledged the one it replaced.
final class MaintenanceReplacementTests: XCTestCase {
    /// Tuesday 2026-12-01 09:00; the window is Thursday 22:00 – Friday 02:00.
    static func announcedWindow(_ h: CommandHarness, advice: String? = nil, impact: String? = nil) throws -> String {
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": "stp@example.vn",
                                    "group": "agencies"])
        try h.run("recipient.add", ["key": "sxd", "name": "Sở Xây dựng", "email": "sxd@example.vn",
                                    "group": "agencies"])
        var plan: [String: JSON] = ["title": "Bảo trì", "kind": "maintenance", "start": "2026-12-03 22:00",
                                    "end": "2026-12-04 02:00", "component": ["portal"], "group": "agencies"]
        if let advice { plan["advice"] = .string(advice) }
        if let impact { plan["impact"] = .string(impact) }
        let ref = try XCTUnwrap(try h.run("maintenance.plan", plan).data["ref"]?.stringValue)
        try h.run("maintenance.announce", ["window": .string(ref)])
        // Issue 14: start needs proof of arrival; these windows have agencies only, no public channel.
        try h.run("policy.set", ["key": "maintenance.start_requires", "value": "agencies"])
        try h.deliverAll()
        return ref
    }

    private func rows(_ show: Response, notice: String) -> [String: JSON] {
        var result: [String: JSON] = [:]
        for row in show.data["recipients"]?.arrayValue ?? [] where row["notice"]?.stringValue == notice {
            result[row["recipient"]?.stringValue ?? ""] = row
        }
        return result
    }

    /// The extension notice 02 must not show stp's acknowledgement of 01 as its
    /// own (at a time before 02 was issued); 01 keeps it, and stp may
    /// acknowledge 02 anew.
    func testReplacementStartsUnacknowledgedAndShowsWhoAcknowledgedTheOld() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try Self.announcedWindow(h)
        try h.advance("1h")
        try h.run("maintenance.ack", ["window": .string(ref), "recipient": "stp", "by": "Văn thư, điện thoại"])
        try h.advance("2d")
        try h.advance("12h")
        try h.run("maintenance.start", ["window": .string(ref)])
        try h.advance("3h")
        let extended = try h.run("maintenance.extend", ["window": .string(ref), "end": "2026-12-04 04:00",
                                                        "reason": "cần thêm thời gian chuyển dữ liệu"])
        let first = try XCTUnwrap(try h.run("maintenance.show", ["window": .string(ref)])
            .data["notices"]?.arrayValue?.first?["number"]?.stringValue)
        let second = try XCTUnwrap(extended.data["notice"]?["number"]?.stringValue)

        let show = try h.run("maintenance.show", ["window": .string(ref)])
        XCTAssertNotEqual(rows(show, notice: first)["stp"]?["acknowledged_at"], .null, "01 keeps stp's acknowledgement")
        XCTAssertEqual(rows(show, notice: second)["stp"]?["acknowledged_at"], .null,
                       "the replacement starts unacknowledged")
        XCTAssertEqual(show.data["not_acknowledged"]?.arrayValue?.compactMap(\.stringValue).sorted(), ["stp", "sxd"])
        let replacedAcks = show.fields.first { $0.first == "acknowledged \(first)" }
        XCTAssertEqual(replacedAcks?.last?.hasPrefix("stp"), true,
                       "show names who acknowledged the replaced notice: \(show.fields)")

        try h.advance("10m")
        let ack = try h.run("maintenance.ack", ["window": .string(ref), "recipient": "stp"])
        XCTAssertEqual(ack.data["notice"]?.stringValue, second)
        let after = try h.run("maintenance.show", ["window": .string(ref)])
        let at = try XCTUnwrap(rows(after, notice: second)["stp"]?["acknowledged_at"]?.stringValue)
        let issued = try XCTUnwrap(extended.data["notice"]?["issued_at"]?.stringValue)
        XCTAssertGreaterThan(at, issued, "an acknowledgement never predates its notice")
        h.assertRefused("maintenance.ack", ["window": .string(ref), "recipient": "stp"], saying: "already acknowledged")
    }

    /// Migration 26 gives each acknowledgement recorded before it to the
    /// notice in force at the time: one made before the extension stays with
    /// the announcement, one made after goes to the extension.
    func testMigrationGivesOldAcknowledgementsToTheNoticeInForceThen() throws {
        let directory = NSTemporaryDirectory() + "portalops-ack-migration-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let db = try Connection(path: directory + "/ops.db")
        let migrations = try Registry(Capabilities.all).migrations
        try db.migrate(migrations.filter { $0.version < 26 }, now: 0)
        for key in ["stp", "sxd"] {
            try db.run("INSERT INTO recipients(key, name, kind, created_at, updated_at) VALUES (?, ?, 'agency', 0, 0)",
                       key, key.uppercased())
        }
        try db.run("""
            INSERT INTO maintenance_windows(id, ref, title, kind, state, start_at, end_at, created_at, created_by,
                updated_at)
            VALUES (1, 'MW-2026-0001', 'Bảo trì', 'maintenance', 'in_progress', 100, 200, 0, 'admin', 0)
            """)
        for (id, issuedAt) in [(Int64(1), Int64(10)), (2, 150)] {
            try db.run("""
                INSERT INTO notices(id, issuer_code, year, number, number_text, purpose, subject, reference, urgent,
                    issued_at, issued_by, body_text, body_html, sha256_text, sha256_html)
                VALUES (?, 'STTTT', 2026, ?, ?, 'announcement', 's', 'MW-2026-0001', 0, ?, 'admin', 't', 'h', 'x', 'y')
                """, id, id, "0\(id)/TB-STTTT", issuedAt)
        }
        // stp confirmed 01 (at 20); sxd confirmed after 02 was issued (at 160).
        for (key, at) in [("stp", Int64(20)), ("sxd", 160)] {
            try db.run("""
                INSERT INTO maintenance_acks(window, recipient, acknowledged_at, recorded_by) VALUES (1, ?, ?, 'a')
                """, key, at)
        }
        try db.migrate(migrations, now: 0)
        let acks = try MaintenanceStore(db).acknowledgements(1)
        XCTAssertEqual(acks[1]?.keys.sorted(), ["stp"])
        XCTAssertEqual(acks[2]?.keys.sorted(), ["sxd"])
    }
}

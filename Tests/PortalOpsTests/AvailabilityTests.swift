import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 12, item 5: availability of a scripted sequence of up, down,
/// maintenance, opsd-stopped and paused time comes out exactly.
final class AvailabilityTests: XCTestCase {
    private func result(_ h: CommandHarness, _ status: ProbeStatus) throws {
        let now = h.clock.now()
        _ = try h.db.transaction {
            try CheckRules.record([ProbeResult(check: "web", dueAt: now, at: now, status: status, latency: 5,
                                               detail: status.rawValue)], db: h.db, now: now, time: h.time)
        }
    }

    private func tick(_ h: CommandHarness) throws {
        _ = try h.db.transaction { try CheckSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
    }

    private func startRun(_ h: CommandHarness) throws {
        try h.db.transaction { try CheckStore(h.db).startRun(now: h.clock.now()) }
    }

    func testAScriptedSequenceAddsUpExactly() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let window = try MaintenanceReplacementTests.announcedWindow(h)   // Thu 22:00 – Fri 02:00, on portal
        try startRun(h)
        try h.run("check.add", ["check": "web", "component": "portal", "http": "http://portal.example.vn/",
                                "fail-after": "1", "recover-after": "1"])
        try result(h, .ok)                                  // 09:00 up
        try h.advance("1h"); try result(h, .critical)       // 10:00 down, unplanned
        try h.advance("30m"); try result(h, .ok)            // 10:30 up
        try h.advance("30m"); try tick(h)                   // 11:00 opsd's last sign of life…
        try h.advance("1h"); try startRun(h)                // 12:00 …until it starts again: 1h unknown
        try h.clock.set(try h.time.parseTime("2026-12-03 22:00"))
        try tick(h)
        try h.run("maintenance.start", ["window": .string(window)])
        try result(h, .critical)                            // 22:00 down inside the window
        try h.advance("1h"); try result(h, .ok)             // 23:00 up again
        try h.advance("30m")
        try h.run("check.pause", ["check": "web"])          // 23:30 paused: unknown
        try h.advance("15m")
        try h.run("check.resume", ["check": "web"])         // 23:45 no result yet: still unknown
        try h.advance("5m"); try result(h, .ok)             // 23:50 up
        try h.advance("10m"); try tick(h)                   // 2026-12-04 00:00

        let report = try h.run("availability", ["component": "portal", "from": "2026-12-01 09:00",
                                                "to": "2026-12-04 00:00"])
        let portal = try XCTUnwrap(report.data["components"]?.arrayValue?.first)
        let minutes = { (key: String) in (portal[key]?.intValue ?? -1) / 60 }
        XCTAssertEqual(minutes("unplanned_seconds"), 30)
        XCTAssertEqual(minutes("maintenance_seconds"), 60)
        XCTAssertEqual(minutes("unknown_seconds"), 60 + 20)
        XCTAssertEqual(minutes("up_seconds"), 63 * 60 - 30 - 60 - 80)
        guard case .double(let share)? = portal["share_up"] else { return XCTFail("no share_up") }
        XCTAssertEqual(share, Double(63 * 60 - 170) / Double(63 * 60), accuracy: 1e-12)
        XCTAssertEqual(portal["longest_outage"]?["seconds"]?.intValue, 30 * 60)
        XCTAssertEqual(portal["longest_outage"]?["start"]?.stringValue, "2026-12-01T10:00:00+07:00")
        let days = try XCTUnwrap(portal["days"]?.arrayValue)
        XCTAssertEqual(days.map { $0["date"]?.stringValue ?? "" }, ["2026-12-01", "2026-12-02", "2026-12-03"])
        XCTAssertEqual(days[0]["unplanned_seconds"]?.intValue, 30 * 60)
        XCTAssertEqual(days[0]["unknown_seconds"]?.intValue, 60 * 60)
        XCTAssertEqual(days[1]["up_seconds"]?.intValue, 86_400)
        XCTAssertEqual(days[2]["maintenance_seconds"]?.intValue, 60 * 60)
        XCTAssertEqual(days[2]["unknown_seconds"]?.intValue, 20 * 60)
    }

    func testAComponentWithoutChecksIsUnknownNotUp() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try startRun(h)
        try h.advance("2h")
        try tick(h)
        let portal = try XCTUnwrap(try h.run("availability", ["from": "2026-12-01 09:00"])
            .data["components"]?.arrayValue?.first)
        XCTAssertEqual(portal["up_seconds"]?.intValue, 0)
        XCTAssertEqual(portal["unknown_seconds"]?.intValue, 2 * 3_600)
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 15 item 4, reviewed: a window still in progress after its planned end stays on the public site
/// (the work is still going on), and the component says so.
final class StatusSiteTests: XCTestCase {
    func testAWindowOverrunningItsPlannedEndStaysPublished() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try MaintenanceReplacementTests.announcedWindow(h)   // Thursday 22:00 – Friday 02:00
        try h.advance("2d")
        try h.advance("13h")                                             // Thursday 22:00
        try h.run("maintenance.start", ["window": .string(ref)])
        try h.advance("5h")                                              // Friday 03:00, one hour over
        let files = try StatusSite.files(h.db, time: h.time, now: h.clock.now())
        let status = try XCTUnwrap(files["status.json"].map { String(decoding: $0, as: UTF8.self) })
        let parsed = try JSON.parse(status)
        XCTAssertEqual(parsed["maintenance"]?.arrayValue?.first?["ref"]?.stringValue, ref)
        XCTAssertEqual(parsed["components"]?.arrayValue?.first?["state"]?.stringValue, "maintenance")
        let calendar = String(decoding: try XCTUnwrap(files["maintenance.ics"]), as: UTF8.self)
        XCTAssertTrue(calendar.contains("BEGIN:VEVENT"), "calendar clients keep the event while it runs")
    }
}

import OpsProtocol
@testable import PortalOps
import XCTest

/// Lead times and deadlines counted in working days, through the command harness.
final class WorkingDayRulesTests: XCTestCase {
    /// Friday 2026-12-04 09:00: maintenance needs 1 whole working day between
    /// the day of issue and the day of the start, so Saturday–Monday are too
    /// soon and Tuesday is the first allowed day.
    func testMaintenanceLeadTimeSkipsTheWeekend() throws {
        let h = try CommandHarness(start: "2026-12-04 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": "stp@example.vn", "group": "agencies"])
        let plan: (String, String) throws -> Response = { start, end in
            try h.run("maintenance.plan", ["title": "Bảo trì", "kind": "maintenance", "start": .string(start),
                                           "end": .string(end), "component": ["portal"], "group": "agencies"])
        }
        let monday = try plan("2026-12-07 22:00", "2026-12-08 02:00")
        let mondayRef = try XCTUnwrap(monday.data["ref"]?.stringValue)
        h.assertRefused("maintenance.announce", ["window": .string(mondayRef)], saying: "too soon")
        let tuesday = try plan("2026-12-08 22:00", "2026-12-09 02:00")
        try h.run("maintenance.announce", ["window": .string(try XCTUnwrap(tuesday.data["ref"]?.stringValue))])
    }

    /// Feedback received on Thursday 2026-12-24 is due 5 working days later;
    /// a holiday on Monday 28th pushes the deadline one more day.
    func testFeedbackDeadlineCountsHolidaysOut() throws {
        let h = try CommandHarness(start: "2026-12-24 10:00")
        let add: () throws -> String = {
            let response = try h.run("feedback.add", ["from": "Sở Tư pháp", "channel": "email", "category": "usability",
                                                      "summary": "Hỏi về thủ tục"])
            return try XCTUnwrap(response.data["due_at"]?.stringValue)
        }
        let before = try add()
        try h.run("holiday.add", ["date": "2026-12-28", "name": "Nghỉ bù"])
        let after = try add()
        XCTAssertNotEqual(before, after)
        XCTAssertTrue(after > before, "\(after) should be later than \(before)")
    }
}

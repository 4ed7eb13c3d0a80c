import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 15 item 1: one period grammar, resolved to Decree 09/2019 Art. 12 windows (the 15th of the
/// month before to the 14th), around the 14th/15th and across the year boundary.
final class ReportPeriodTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    private func days(_ period: ReportPeriod, of: String?, now: String = "2026-11-29 10:00") throws -> String {
        let window = try period.window(of: of, now: try time.parseTime(now), time: time)
        return "\(time.dateText(window.from))..\(time.dateText(window.to - 1))"
    }

    func testEachPeriodResolvesToItsDecree09Window() throws {
        XCTAssertEqual(try days(.month, of: "2026-11"), "2026-10-15..2026-11-14")
        XCTAssertEqual(try days(.month, of: "2027-01"), "2026-12-15..2027-01-14")
        XCTAssertEqual(try days(.quarter, of: "2026-11"), "2026-09-15..2026-12-14")
        XCTAssertEqual(try days(.quarter, of: "2026-Q1"), "2025-12-15..2026-03-14")
        XCTAssertEqual(try days(.half, of: "2026-03"), "2025-12-15..2026-06-14")
        XCTAssertEqual(try days(.half, of: "2026-H2"), "2026-06-15..2026-12-14")
        XCTAssertEqual(try days(.nineMonths, of: "2026"), "2025-12-15..2026-09-14")
        XCTAssertEqual(try days(.year, of: "2026"), "2025-12-15..2026-12-14")
        XCTAssertEqual(try days(.year, of: "2026-11"), "2025-12-15..2026-12-14")
    }

    /// Without --of, the period under way: from the 15th on, a day belongs to next month's report.
    func testTheFifteenthBelongsToTheNextMonthsReport() throws {
        XCTAssertEqual(try days(.month, of: nil, now: "2026-11-14 23:59"), "2026-10-15..2026-11-14")
        XCTAssertEqual(try days(.month, of: nil, now: "2026-11-15 00:00"), "2026-11-15..2026-12-14")
        XCTAssertEqual(try days(.month, of: nil, now: "2026-12-20 08:00"), "2026-12-15..2027-01-14")
        XCTAssertEqual(try days(.year, of: nil, now: "2026-12-15 00:00"), "2026-12-15..2027-12-14")
        XCTAssertEqual(try days(.quarter, of: nil, now: "2026-12-14 12:00"), "2026-09-15..2026-12-14")
        XCTAssertEqual(try days(.nineMonths, of: nil, now: "2026-11-29 10:00"), "2025-12-15..2026-09-14")
    }

    func testTheWindowIsLocalMidnightsAndSaysWhatItIs() throws {
        let window = try ReportPeriod.month.window(of: "2026-11", now: try time.parseTime("2026-11-29 10:00"),
                                                   time: time)
        XCTAssertEqual(time.iso8601(window.from), "2026-10-15T00:00:00+07:00")
        XCTAssertEqual(time.iso8601(window.to), "2026-11-15T00:00:00+07:00")
        XCTAssertTrue(window.contains(try time.parseTime("2026-11-14 23:59")))
        XCTAssertFalse(window.contains(try time.parseTime("2026-11-15 00:00")))
        XCTAssertEqual(window.text(time), "2026-10-15 to 2026-11-14 (Decree 09 month 2026-11)")
        XCTAssertFalse(window.underWay)
    }

    func testBadPeriodsAreRefusedWithTheFormsThatWork() throws {
        for (period, of, saying) in [(ReportPeriod.month, "2026", "needs a month"), (.month, "2026-13", "2026-Q4"),
                                     (.quarter, "2026-Q5", "is not"), (.month, "26-11", "is not"),
                                     (.nineMonths, "2026-11", "14 September"), (.half, "2026-Q2", "is not")] {
            XCTAssertThrowsError(try days(period, of: of)) { error in
                XCTAssertEqual((error as? OpsError)?.exitCode, 2)
                XCTAssertTrue("\(error)".contains(saying), "\(period) \(of): \(error)")
            }
        }
    }

    /// Every list takes the same grammar, filters by it and states the window it used.
    func testListsFilterByThePeriodAndStateIt() throws {
        let h = try CommandHarness(start: "2026-11-14 23:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("incident.open", ["title": "Trước kỳ cắt", "severity": "sev3", "component": ["portal"]])
        try h.advance("2h")       // 15 November 01:00: December's report
        try h.run("incident.open", ["title": "Sau kỳ cắt", "severity": "sev3", "component": ["portal"]])
        let november = try h.run("incident.list", ["period": "month", "of": "2026-11"])
        XCTAssertEqual(november.data["incidents"]?.arrayValue?.map { $0["title"]?.stringValue },
                       ["Trước kỳ cắt"])
        XCTAssertEqual(november.message, "Window: 2026-10-15 to 2026-11-14 (Decree 09 month 2026-11)")
        XCTAssertEqual(november.data["window"]?["last_day"]?.stringValue, "2026-11-14")
        let current = try h.run("incident.stats", ["period": "month"])
        XCTAssertEqual(current.data["total"]?.intValue, 1)
        XCTAssertEqual(current.data["window"]?["under_way"]?.boolValue, true)
        let ranged = try h.run("incident.list", ["from": "2026-11-15 00:00"])
        XCTAssertEqual(ranged.data["incidents"]?.arrayValue?.count, 1)
        h.assertRefused("incident.list", ["period": "month", "from": "2026-11-01 00:00"], code: 2, saying: "not both")
        h.assertRefused("feedback.list", ["of": "2026-11"], code: 2, saying: "--of needs --period")
        h.assertRefused("audit.list", ["from": "2026-11-15 00:00", "to": "2026-11-01 00:00"], code: 2,
                        saying: "--from must be before --to")
        for name in ["maintenance.list", "feedback.list", "feedback.stats", "recommendation.list", "request.list",
                     "outbox.list", "shift.log", "audit.list", "backup.list", "integrity.list", "notice.list"] {
            let response = try h.run(name, ["period": "quarter", "of": "2026-Q4"])
            XCTAssertEqual(response.data["window"]?["first_day"]?.stringValue, "2026-09-15", name)
        }
    }

    /// `notice list` is the register of issued notices, by number, with what each replaced.
    func testNoticeListShowsIssuedNoticesByNumber() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try MaintenanceReplacementTests.announcedWindow(h)
        try h.run("maintenance.correct", ["window": .string(ref), "title": "Bảo trì hệ thống",
                                          "reason": "sửa tên"])
        let listed = try h.run("notice.list")
        let rows = try XCTUnwrap(listed.table?.rows)
        XCTAssertEqual(rows.count, 2, "\(rows)")
        XCTAssertEqual(rows[0][3], ref)
        XCTAssertEqual(rows[1][4], rows[0][0], "the replacement names the notice it replaced")
        let earlier = try h.run("notice.list", ["period": "month", "of": "2026-11"])
        XCTAssertEqual(earlier.data["notices"]?.arrayValue?.count, 0)
        XCTAssertEqual(try h.run("notice.list", ["period": "month", "of": "2026-12"]).table?.rows.count, 2)
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 15 items 2 and 3: the periodic report's figures against a scripted fortnight, security
/// incidents as a count only for those who do not see them, and the report issued once per period.
final class ReportTests: XCTestCase {
    /// 1–14 December 2026, inside the Decree 09 month of 2026-12 (15 November – 14 December).
    private func fortnight() throws -> CommandHarness {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("component.add", ["key": "payment", "name": "Thanh toán trực tuyến"])
        let sev1 = try h.run("incident.open", ["title": "Cổng không truy cập được", "severity": "sev1",
                                               "component": ["portal"]]).data["ref"]?.stringValue ?? ""
        try h.advance("10m")
        try h.run("incident.ack", ["incident": .string(sev1)])
        try h.advance("50m")
        try h.run("incident.resolve", ["incident": .string(sev1), "cause": "Hết dung lượng đĩa",
                                       "resolution": "Dọn nhật ký"])
        try h.run("recommendation.add", ["title": "Cảnh báo dung lượng đĩa", "source": .string("incident:\(sev1)"),
                                         "owner": "admin", "due": "2026-12-31"])
        try h.advance("1d")
        try h.run("incident.open", ["title": "Thanh toán chậm", "severity": "sev3", "component": ["payment"]])
        try h.become("an", role: .security)
        try h.run("incident.open", ["title": "Dò quét mật khẩu", "severity": "sev2", "component": ["portal"],
                                    "security": true])
        try h.become("admin", role: .admin)
        try h.run("feedback.add", ["from": "Sở Tư pháp", "channel": "letter", "category": "error",
                                   "summary": "Lỗi tải tệp"])
        try h.run("request.add", ["from": "office", "ref": "3456/VP-KSTT", "received": "2026-12-02 08:00",
                                  "title": "Sửa lỗi hiển thị phí", "due": "2026-12-05"])
        try h.advance("12d")     // 14 December 10:00
        return h
    }

    private func section(_ response: Response, _ key: String) throws -> JSON {
        try XCTUnwrap(response.data["sections"]?.arrayValue?.first { $0["key"]?.stringValue == key })
    }

    func testTheFiguresOfAScriptedFortnight() throws {
        let h = try fortnight()
        try h.become("xem", role: .viewer)
        let report = try h.run("report.periodic", ["period": "month", "of": "2026-12", "format": "json"])
        XCTAssertEqual(report.data["window"]?["first_day"]?.stringValue, "2026-11-15")
        XCTAssertEqual(report.data["window"]?["last_day"]?.stringValue, "2026-12-14")
        let incidents = try section(report, "incidents")["figures"]
        XCTAssertEqual(incidents?["total"]?.intValue, 3)
        XCTAssertEqual(incidents?["security"]?.intValue, 1)
        XCTAssertEqual(incidents?["by_severity"]?["sev1"]?["count"]?.intValue, 1)
        XCTAssertEqual(incidents?["by_severity"]?["sev1"]?["mean_minutes_to_ack"], .double(10))
        XCTAssertEqual(incidents?["by_severity"]?["sev1"]?["mean_minutes_to_resolve"], .double(60))
        XCTAssertEqual(incidents?["by_severity"]?["sev2"]?["count"]?.intValue, 0,
                       "a viewer's report counts the security incident only in the security line")
        XCTAssertEqual(incidents?["by_component"]?["Cổng dịch vụ công"]?.intValue, 1)
        let availability = try section(report, "availability")["figures"]?["portal"]
        XCTAssertEqual(availability?["share_up"], .double(0), "no check watched it: unknown, never up")
        XCTAssertEqual(availability?["unknown_seconds"]?.intValue, (29 * 24 + 10) * 3600,
                       "15 November 00:00 to now, 14 December 10:00")
        let feedback = try section(report, "feedback")["figures"]
        XCTAssertEqual(feedback?["feedback"]?.intValue, 1)
        XCTAssertEqual(feedback?["feedback_overdue"]?.intValue, 1, "unanswered for 13 days: past 5 working days")
        XCTAssertEqual(feedback?["requests_overdue"]?.intValue, 1)
        let difficulties = try section(report, "difficulties")
        XCTAssertEqual(difficulties["figures"]?["overdue_requests"]?.arrayValue?.count, 1)
        XCTAssertEqual(difficulties["figures"]?["open_recommendations"]?.arrayValue?.count, 1)
        let markdown = try XCTUnwrap(try h.run("report.periodic", ["period": "month", "of": "2026-12"]).output)
        XCTAssertTrue(markdown.contains("từ ngày 15/11/2026 đến ngày 14/12/2026"), markdown)
        XCTAssertTrue(markdown.contains("Hết dung lượng đĩa") && markdown.contains("Cảnh báo dung lượng đĩa"))
        XCTAssertFalse(markdown.contains("Dò quét mật khẩu"), "no security details for a viewer")
        let html = try XCTUnwrap(try h.run("report.periodic", ["period": "month", "of": "2026-12",
                                                               "format": "html"]).output)
        XCTAssertTrue(html.contains("<svg") && html.contains("size: A4") && !html.contains("<script"))
        XCTAssertFalse(html.contains("Dò quét mật khẩu"))
        try h.become("an", role: .security)
        let secure = try h.run("report.periodic", ["period": "month", "of": "2026-12"]).output ?? ""
        XCTAssertTrue(secure.contains("Dò quét mật khẩu"), "security staff see the details")
    }

    /// The CSV opens in a spreadsheet: RFC 4180 rows that Python's csv module reads back whole.
    func testTheCSVIsReadBackByARealParser() throws {
        let h = try fortnight()
        let csv = try XCTUnwrap(try h.run("report.periodic", ["period": "month", "of": "2026-12",
                                                              "format": "csv"]).output)
        let file = h.directory + "/report.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
            heads = [r for r in rows if r[:1] == ['Mức độ']]
            assert len(heads) == 1, heads
            i = rows.index(heads[0])
            assert rows[i + 1][:2] == ['Cấp 1', '1'], rows[i + 1]
            print(len(rows))
            """, file]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testAnIssuedReportIsFrozenMailedAndListed() throws {
        let h = try fortnight()
        try h.run("recipient.add", ["key": "vp-ubnd", "name": "Văn phòng UBND tỉnh", "email": "vp@laocai.gov.vn",
                                    "group": "report"])
        try h.advance("1d")      // 15 December: the month of 2026-12 is closed
        try h.become("hung", role: .supervisor)
        let issued = try h.run("report.issue", ["period": "month", "of": "2026-12"])
        let ref = try XCTUnwrap(issued.data["ref"]?.stringValue)
        XCTAssertEqual(issued.data["deliveries"]?.intValue, 1)
        let delivery = try XCTUnwrap(Outbox(h.db).deliveries(limit: 1000).first { $0.recipient == "vp-ubnd" })
        let mail = try Outbox(h.db).message(delivery.messageID)
        XCTAssertEqual(mail.attachments.first?.filename, "\(ref).html")
        let frozen = try XCTUnwrap(try h.run("report.show", ["ref": .string(ref)]).output)
        XCTAssertEqual(SHA256.hex(frozen), issued.data["sha256"]?.stringValue)
        XCTAssertEqual(mail.attachments.first?.content, Array(frozen.utf8))
        XCTAssertFalse(frozen.contains("Dò quét mật khẩu"), "issued for the Office: security as a count only")
        XCTAssertEqual(try h.run("report.list").table?.rows.first?.first, ref)
        try h.become("lan", role: .operator)
        h.assertRefused("report.issue", ["period": "month"], code: 3, saying: "needs role")
    }

    /// The day after the cut-off opsd issues the month's report once, whatever the ticks; a month closed
    /// long before the console ran is not issued late.
    func testTheSchedulerIssuesEachPeriodOnce() throws {
        let h = try fortnight()
        try h.run("policy.set", ["key": "report.schedule", "value": "month"])
        func tick() throws -> [String] {
            try h.db.transaction {
                try ReportSchedule.tick(TickContext(db: h.db, now: h.clock.now(), time: h.time,
                                                    registry: h.registry)).log
            }
        }
        XCTAssertEqual(try tick().count, 0, "14 December: the month is not over")
        try h.advance("14h")     // 15 December 00:00
        XCTAssertEqual(try tick().count, 1)
        XCTAssertEqual(try tick().count, 0)
        try h.advance("1h")
        XCTAssertEqual(try tick().count, 0)
        XCTAssertEqual(try ReportStore(h.db).all().map(\.name), ["month 2026-12"])
        XCTAssertTrue(try AuditLog(h.db).entries(.init(command: "report.issue")).count == 1)
        h.assertRefused("policy.set", ["key": "report.schedule", "value": "monthly"], code: 2, saying: "month")
    }

    /// Review findings: a period not begun is not issued; a range longer than two years is refused;
    /// availability with only --to starts at the month's first day instead of the dawn of time.
    func testBoundsAreCheckedBeforeAnythingIsComputed() throws {
        let h = try fortnight()
        try h.become("hung", role: .supervisor)
        h.assertRefused("report.issue", ["period": "month", "of": "2027-06"], saying: "has not begun")
        XCTAssertTrue(try ReportStore(h.db).all().isEmpty)
        h.assertRefused("report.range", ["from": "1970-01-01 00:00", "to": "2026-12-01 00:00"], code: 2,
                        saying: "longer than two years")
        h.assertRefused("availability", ["from": "1970-01-01 00:00"], code: 2, saying: "longer than two years")
        let only = try h.run("availability", ["to": "2026-12-14 00:00"])
        XCTAssertEqual(only.data["from"]?.stringValue, "2026-12-01T00:00:00+07:00")
    }

    /// A report that cannot be issued is logged once and tried again an hour later, not every second;
    /// nothing of the failed attempt stays.
    func testAFailingScheduledReportIsRetriedHourlyNotEverySecond() throws {
        let h = try fortnight()
        try h.run("policy.set", ["key": "report.schedule", "value": "month"])
        try h.db.run("CREATE TRIGGER full_disk BEFORE INSERT ON reports BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        func tick() throws -> [String] {
            try h.db.transaction {
                try ReportSchedule.tick(TickContext(db: h.db, now: h.clock.now(), time: h.time,
                                                    registry: h.registry)).log
            }
        }
        try h.advance("14h")     // 15 December 00:00
        let first = try tick()
        XCTAssertEqual(first.count, 1)
        XCTAssertTrue(first[0].contains("disk full") && first[0].contains("tried again in an hour"), "\(first)")
        try h.advance("1s")
        XCTAssertEqual(try tick(), [], "not again within the hour")
        try h.db.run("DROP TRIGGER full_disk")
        try h.advance("1h")
        XCTAssertEqual(try tick().count, 1)
        XCTAssertEqual(try ReportStore(h.db).all().map(\.ref), ["BC-2026-0001"], "the failed try took no number")
    }
}

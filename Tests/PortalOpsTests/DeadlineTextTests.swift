import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 19 item 4: a deadline that is the midnight after its last day is shown as that day,
/// in messages, tables, fields and JSON; a due date already past is refused unless `--allow-past`.
final class DeadlineTextTests: XCTestCase {
    /// Tuesday 2026-12-01 09:00, 5 working days: due at 2026-12-09 00:00, i.e. by end of the 8th.
    func testFeedbackDeadlineIsShownAsItsLastDay() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let added = try h.run("feedback.add", ["from": "Sở Tư pháp", "channel": "email", "category": "usability",
                                               "summary": "Hỏi về thủ tục"])
        XCTAssertEqual(added.data["due_at"]?.stringValue, "2026-12-09T00:00:00+07:00", "the existing field stays")
        XCTAssertEqual(added.data["due_date"]?.stringValue, "2026-12-08")
        let dueAt = try h.time.parseTime("2026-12-09 00:00")
        XCTAssertEqual(Deadline(dueAt, h.time).vietnamese, "hạn: 08/12/2026")
        let message = added.message ?? ""
        XCTAssertTrue(message.contains("respond by end of 2026-12-08"), message)
        XCTAssertFalse(message.contains("2026-12-09"), message)
        let ref = try XCTUnwrap(added.data["ref"]?.stringValue)
        let shown = try h.run("feedback.show", ["id": .string(ref)])
        XCTAssertEqual(shown.fields.first { $0.first == "respond by" }?.last, "end of 2026-12-08")
        let listed = try h.run("feedback.list")
        XCTAssertEqual(listed.table?.rows.first?[5], "2026-12-08")
        try h.advance("8d")
        let late = try h.run("feedback.respond", ["id": .string(ref), "response": "Đã trả lời"])
        XCTAssertTrue(late.message?.contains("after its deadline, end of 2026-12-08") ?? false, late.message ?? "")
    }

    func testRecommendationAndRequestDueDates() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let rec = try h.run("recommendation.add", ["title": "Tăng bộ nhớ", "source": "review", "owner": "admin",
                                                   "due": "2026-12-16"])
        XCTAssertTrue(rec.message?.contains("due by end of 2026-12-16") ?? false, rec.message ?? "")
        XCTAssertEqual(rec.data["due_date"]?.stringValue, "2026-12-16")
        XCTAssertEqual(rec.data["due"]?.stringValue, "2026-12-16", "the existing field stays")
        let request = try h.run("request.add", ["from": "office", "ref": "123/VP", "received": "2026-12-01 08:00",
                                                "title": "Sửa lỗi", "due": "2026-12-16"])
        XCTAssertTrue(request.message?.contains("due by end of 2026-12-16") ?? false, request.message ?? "")
        XCTAssertEqual(request.data["due_date"]?.stringValue, "2026-12-16")
    }

    func testPastDueDatesAreRefusedUnlessAllowed() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        h.assertRefused("recommendation.add", ["title": "T", "source": "review", "owner": "admin", "due": "2026-11-30"],
                        saying: "2026-11-30 is already past")
        h.assertRefused("request.add", ["from": "office", "ref": "1/VP", "received": "2026-11-20 08:00",
                                        "title": "T", "due": "2026-11-30"], saying: "2026-11-30 is already past")
        try h.run("recommendation.add", ["title": "T", "source": "review", "owner": "admin", "due": "2026-12-01"])
        let allowed = try h.run("request.add", ["from": "office", "ref": "1/VP", "received": "2026-11-20 08:00",
                                                "title": "T", "due": "2026-11-30", "allow-past": true])
        XCTAssertTrue(allowed.warnings.contains { $0.contains("2026-11-30") && $0.contains("past") },
                      "\(allowed.warnings)")
        XCTAssertEqual(allowed.data["state"]?.stringValue, "open")
    }
}

import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 18's soak: `status` decoded every unanswered feedback, and the security compartment every feedback
/// ever recorded, on each call, so both grew with history. They now read only overdue feedback and only
/// feedback citing a security incident, each through an index.
final class FeedbackQueryTests: XCTestCase {
    func testStatusCountsOnlyUnansweredFeedbackPastItsDeadline() throws {
        let h = try CommandHarness()
        func add(_ summary: String) throws -> String {
            try XCTUnwrap(try h.run("feedback.add", ["from": "Sở Tư pháp", "channel": "email", "category": "error",
                                                     "summary": .string(summary)]).data["ref"]?.stringValue)
        }
        let answered = try add("Đã trả lời")
        let closed = try add("Đã đóng")
        _ = try add("Chưa trả lời")
        try h.run("feedback.respond", ["id": .string(answered), "response": "Đã khắc phục"])
        try h.run("feedback.close", ["id": .string(closed)])
        // What `status` shows, from the feedback capability's section.
        func overdue() throws -> String? {
            try FeedbackStats.section(h.context()).fields.first { $0.first == "overdue" }?.last
        }
        XCTAssertEqual(try overdue(), "0 feedback, 0 recommendations, 0 requests", "nothing is past its deadline yet")
        try h.advance("30d")
        XCTAssertEqual(try overdue(), "1 feedback, 0 recommendations, 0 requests", "only the unanswered one")
        _ = try add("Mới")
        XCTAssertEqual(try overdue(), "1 feedback, 0 recommendations, 0 requests", "new feedback is not yet due")
    }

    func testTheOverdueAndCitingQueriesUseTheirIndexes() throws {
        let h = try CommandHarness()
        let overdue = try h.db.query("EXPLAIN QUERY PLAN " + FeedbackStore.overdue, Int64(0))
            .compactMap { $0.string("detail") }
        XCTAssertTrue(overdue.contains { $0.contains("USING INDEX feedback_unanswered") }, "\(overdue)")
        let citing = try h.db.query("EXPLAIN QUERY PLAN " + FeedbackStore.citing, #"["SEC-2026-0001"]"#)
            .compactMap { $0.string("detail") }
        XCTAssertTrue(citing.contains { $0.contains("USING INDEX feedback_incident") }, "\(citing)")
        XCTAssertFalse(citing.contains { $0.hasPrefix("SCAN feedback") }, "\(citing)")
    }
}

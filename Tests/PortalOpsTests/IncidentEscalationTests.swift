import OpsProtocol
@testable import PortalOps
import XCTest

/// One page per event (issue 19, item 6): an escalation step fires once,
/// however the scheduler's ticks fall and however the clock jumps.
final class IncidentEscalationTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.become("sup", role: .supervisor)
        try h.become("op", role: .operator)
        return h
    }

    private func tick(_ h: CommandHarness) throws -> [String] {
        try h.db.transaction { try IncidentSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
    }

    private func pages(_ h: CommandHarness, _ ref: String) throws -> (first: Int, escalations: Int) {
        let store = IncidentStore(h.db)
        let incident = try XCTUnwrap(try store.byRef(ref))
        let timeline = try store.timeline(incident.id)
        return (timeline.filter { $0.kind == .paged }.count, timeline.filter { $0.kind == .escalated }.count)
    }

    func testAnEscalationStepFiresOnceWhateverTheClockDoes() throws {
        let h = try harness()
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Sập cổng", "severity": "sev1",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        XCTAssertTrue(try tick(h).isEmpty)
        // The clock jumps an hour ahead: one page, not one per missed step, and none a second later.
        try h.advance("1h")
        XCTAssertEqual(try tick(h).count, 1)
        try h.advance("1s")
        XCTAssertTrue(try tick(h).isEmpty)
        // The time source corrects it back by 50 minutes, then time runs on: nothing until
        // a whole delay after the page that was sent.
        h.clock.advance(by: -50 * 60_000)
        XCTAssertTrue(try tick(h).isEmpty)
        try h.advance("50m")
        XCTAssertTrue(try tick(h).isEmpty)
        try h.advance("4m")
        XCTAssertTrue(try tick(h).isEmpty)
        try h.advance("1m")
        XCTAssertEqual(try tick(h).count, 1)
        XCTAssertTrue(try tick(h).isEmpty)
        XCTAssertEqual(try pages(h, ref).escalations, 2)
    }

    func testAReopenedIncidentDoesNotEscalateTheSecondAfterItsPage() throws {
        let h = try harness()
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Sập cổng", "severity": "sev1",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        try h.run("incident.ack", ["incident": .string(ref)])
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "đĩa đầy", "resolution": "dọn log"])
        try h.advance("2h")
        try h.run("incident.reopen", ["incident": .string(ref), "reason": "lỗi lặp lại"])
        try h.advance("1s")
        XCTAssertTrue(try tick(h).isEmpty, "the reopen paged a second ago")
        try h.advance("5m")
        XCTAssertEqual(try tick(h).count, 1)
        XCTAssertEqual(try pages(h, ref).escalations, 1)
    }

    func testRaisingTheSeverityPagesOnceNotTwice() throws {
        let h = try harness()
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Chậm", "severity": "sev3",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        try h.advance("40m")
        XCTAssertTrue(try tick(h).isEmpty)
        try h.run("incident.severity", ["incident": .string(ref), "severity": "sev1", "reason": "sập hẳn"])
        try h.advance("1s")
        XCTAssertTrue(try tick(h).isEmpty, "raising the severity paged a second ago")
        XCTAssertEqual(try pages(h, ref).escalations, 0)
    }
}

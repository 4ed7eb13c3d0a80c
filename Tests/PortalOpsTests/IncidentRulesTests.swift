import OpsProtocol
@testable import PortalOps
import XCTest

/// Incident transitions, through the command harness.
final class IncidentRulesTests: XCTestCase {
    func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        return h
    }

    func testAnIncidentMovesOpenAcknowledgedResolvedClosedAndNotBack() throws {
        let h = try harness()
        let opened = try h.run("incident.open", ["title": "Cổng không truy cập được", "severity": "sev3",
                                                  "component": ["portal"]])
        let ref = try XCTUnwrap(opened.data["ref"]?.stringValue)
        XCTAssertTrue(ref.hasPrefix("INC-2026-"), ref)
        try h.run("incident.ack", ["incident": .string(ref)])
        h.assertRefused("incident.ack", ["incident": .string(ref)], saying: "only a open incident can be")
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "đĩa đầy", "resolution": "dọn log"])
        h.assertRefused("incident.ack", ["incident": .string(ref)], saying: "is resolved")
        try h.run("incident.close", ["incident": .string(ref)])
        h.assertRefused("incident.resolve", ["incident": .string(ref), "cause": "x", "resolution": "y"],
                        saying: "is closed")
    }

    func testASev1ClosesOnlyWithAReviewAndARecommendation() throws {
        let h = try harness()
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Sập", "severity": "sev1",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "c", "resolution": "r"])
        h.assertRefused("incident.close", ["incident": .string(ref)], saying: "closing needs --review")
        h.assertRefused("incident.close", ["incident": .string(ref), "review": "thêm giám sát"],
                        saying: "closing needs a recommendation")
        try h.run("incident.close", ["incident": .string(ref), "review": "thêm giám sát", "no-recommendation": true,
                                     "reason": "đã có khuyến nghị chung"])
    }

    func testAViewerCannotOpenAnIncident() throws {
        let h = try harness()
        try h.become("xem", role: .viewer)
        h.assertRefused("incident.open", ["title": "x", "severity": "sev4", "component": ["portal"]], code: 3,
                        saying: "needs role")
    }
}

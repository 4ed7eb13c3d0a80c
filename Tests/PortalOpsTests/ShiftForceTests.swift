import OpsProtocol
@testable import PortalOps
import XCTest

/// Runbooks say what the code does (issue 19, item 9): the shift-handover
/// runbook says a forced end needs a supervisor, and so does the code. An
/// operator asks a supervisor to acknowledge the incident (the agreement,
/// recorded) and then ends normally; a supervisor may force with a reason.
final class ShiftForceTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        return h
    }

    func testOnlyASupervisorEndsAShiftPastAnUnacknowledgedSev1() throws {
        let h = try harness()
        try h.become("lan", role: .operator)
        try h.run("shift.start")
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Mất kết nối CSDL", "severity": "sev1",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        h.assertRefused("shift.end", ["handover": "bàn giao", "force": true, "reason": "ốm"], code: 3,
                        saying: "supervisor")
        try h.become("hung", role: .supervisor)
        try h.run("shift.start")
        let forced = try h.run("shift.end", ["handover": "bàn giao", "force": true, "reason": "đã báo lãnh đạo"])
        XCTAssertEqual(forced.data["forced"]?.boolValue, true)
        try h.run("incident.ack", ["incident": .string(ref)])
        try h.become("lan", role: .operator)
        try h.run("shift.end", ["handover": .string("anh Hùng đã tiếp nhận \(ref)")])
    }
}

import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 13 item 5: `incident ack 7` is this year's INC-…-0007 when that is the only record it can
/// be; otherwise the candidates are named. The shift-end refusal names the commands that end it.
final class ShortReferenceTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()   // 2026
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        return h
    }

    func testABareNumberIsThisYearsRecordWhenUnambiguous() throws {
        let h = try harness()
        try h.become("an", role: .operator)
        try h.run("incident.open", ["title": "Chậm", "severity": "sev3", "component": ["portal"]])
        try h.become("sec", role: .security)
        try h.run("incident.open", ["title": "Dò quét", "severity": "sev2", "component": ["portal"], "security": true])
        // The operator cannot see SEC-2026-0001: "1" can only be INC-2026-0001.
        try h.become("an", role: .operator)
        XCTAssertEqual(try h.run("incident.ack", ["incident": "1"]).message,
                       "Acknowledged INC-2026-0001; escalation stopped")
        // Security staff see both: "1" is refused with both named; "sec-1" is the one.
        try h.become("sec", role: .security)
        h.assertRefused("incident.show", ["incident": "1"], code: 2,
                        saying: "'1' could be INC-2026-0001 or SEC-2026-0001; give the whole reference")
        XCTAssertEqual(try h.run("incident.show", ["incident": "sec-1"]).data["ref"], "SEC-2026-0001")
        h.assertRefused("incident.show", ["incident": "9"], saying: "no incident INC-2026-0009")
        XCTAssertEqual(try References(db: h.db, year: 2026).resolve("fb-12", prefixes: ["FB"]), "FB-2026-0012")
        XCTAssertEqual(try References(db: h.db, year: 2026).resolve("MW-2025-0003", prefixes: ["MW"]), "MW-2025-0003")
    }

    func testTheShiftEndRefusalNamesTheCommandsThatLetItEnd() throws {
        let h = try harness()
        try h.become("an", role: .operator)
        try h.run("shift.start", [:])
        try h.run("incident.open", ["title": "Sập cổng", "severity": "sev1", "component": ["portal"]])
        h.assertRefused("shift.end", ["handover": "hết ca"],
                        saying: "INC-2026-0001 (sev1) unacknowledged: run 'opsctl incident ack INC-2026-0001' (or "
                            + "'opsctl incident assign INC-2026-0001 USER' to someone on shift, who acknowledges it), "
                            + "then 'opsctl shift end --handover …' again; a supervisor may instead run "
                            + "'opsctl shift end --handover … --force --reason …'")
        try h.run("incident.ack", ["incident": "1"])
        XCTAssertNoThrow(try h.run("shift.end", ["handover": "hết ca"]))
    }
}

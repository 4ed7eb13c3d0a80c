import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 13 item 4: an incident counts under the highest severity it ever had.
final class PeakSeverityTests: XCTestCase {
    func testASev1LoweredToSev2StillCountsAsSev1() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.become("an", role: .operator)
        try h.run("incident.open", ["title": "Sập cổng", "severity": "sev1", "component": ["portal"]])
        try h.run("incident.severity", ["incident": "INC-2026-0001", "severity": "sev2", "reason": "đã có đường vòng"])
        try h.run("incident.severity", ["incident": "INC-2026-0001", "severity": "sev3", "reason": "chỉ còn chậm"])
        let stats = try h.run("incident.stats", [:]).data["by_severity"]
        XCTAssertEqual(stats?["sev1"]?["count"], 1)
        XCTAssertEqual(stats?["sev1"]?["now"], 0)
        XCTAssertEqual(stats?["sev3"]?["count"], 0)
        XCTAssertEqual(stats?["sev3"]?["now"], 1)
        let shown = try h.run("incident.show", ["incident": "INC-2026-0001"])
        XCTAssertEqual(shown.data["severity"], "sev3")
        XCTAssertEqual(shown.data["peak_severity"], "sev1")
        XCTAssertEqual(shown.table?.rows.filter { $0[2] == "severity" }.map { $0[3] }.first?.hasPrefix("sev1 → sev2"),
                       true, "the timeline keeps every change")
    }
}

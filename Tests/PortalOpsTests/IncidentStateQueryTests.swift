import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 18's soak: escalation (every scheduler tick, on the writer) and `incident list --state` read every
/// incident ever recorded to keep the few active ones, so their cost grew with history. They now ask for
/// the states they want, through the state index.
final class IncidentStateQueryTests: XCTestCase {
    func testListByStateReturnsExactlyThatStateAndHidesSecurityIncidentsFromOperators() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.become("an", role: .operator)
        for title in ["Một", "Hai", "Ba", "Bốn"] {
            try h.run("incident.open", ["title": .string(title), "severity": "sev4", "component": ["portal"]])
        }
        try h.run("incident.ack", ["incident": "INC-2026-0002"])
        try h.run("incident.resolve", ["incident": "INC-2026-0003", "cause": "c", "resolution": "r"])
        try h.run("incident.ack", ["incident": "INC-2026-0004"])
        try h.run("incident.resolve", ["incident": "INC-2026-0004", "cause": "c", "resolution": "r"])
        try h.become("mai", role: .security)
        try h.run("incident.open", ["title": "Dò quét", "severity": "sev4", "component": ["portal"],
                                    "security": true])

        func refs(_ state: String) throws -> [String] {
            try h.run("incident.list", ["state": .string(state)]).data["incidents"]?.arrayValue?
                .compactMap { $0["ref"]?.stringValue } ?? []
        }
        XCTAssertEqual(try refs("active"), ["INC-2026-0001", "INC-2026-0002", "SEC-2026-0001"])
        XCTAssertEqual(try refs("open"), ["INC-2026-0001", "SEC-2026-0001"])
        XCTAssertEqual(try refs("acknowledged"), ["INC-2026-0002"])
        XCTAssertEqual(try refs("resolved"), ["INC-2026-0003", "INC-2026-0004"])
        XCTAssertEqual(try refs("closed"), [])
        try h.become("an", role: .operator)
        XCTAssertEqual(try refs("active"), ["INC-2026-0001", "INC-2026-0002"])
        XCTAssertEqual(try h.run("incident.list").data["incidents"]?.arrayValue?.count, 4)
    }

    func testSecurityRefsAreExactlyTheSecurityIncidents() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("incident.open", ["title": "Chậm", "severity": "sev4", "component": ["portal"]])
        try h.run("incident.open", ["title": "Dò quét", "severity": "sev4", "component": ["portal"],
                                    "security": true])
        try h.run("incident.open", ["title": "Mã độc", "severity": "sev3", "component": ["portal"],
                                    "security": true])
        XCTAssertEqual(try IncidentStore(h.db).securityRefs(), ["SEC-2026-0001", "SEC-2026-0002"])
    }

    func testTheStateQuerySearchesTheStateIndexInsteadOfScanningEveryIncident() throws {
        let h = try CommandHarness()
        let plan = try h.db.query("EXPLAIN QUERY PLAN " + IncidentStore.inStates, #"["open"]"#, true, nil as Int64?)
            .compactMap { $0.string("detail") }
        XCTAssertTrue(plan.contains { $0.contains("incidents USING INDEX incidents_state") }, "\(plan)")
        XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN incidents") }, "\(plan)")
    }

    func testSecurityIncidentsAreReadThroughTheirIndexes() throws {
        let h = try CommandHarness()
        let refs = try h.db.query("EXPLAIN QUERY PLAN " + IncidentStore.securityRefsOnly)
            .compactMap { $0.string("detail") }
        XCTAssertTrue(refs.contains { $0.contains("USING INDEX incidents_security") }, "\(refs)")
        let due = try h.db.query("EXPLAIN QUERY PLAN " + IncidentStore.reportsDue, Int64(0))
            .compactMap { $0.string("detail") }
        XCTAssertTrue(due.contains { $0.contains("USING INDEX incidents_security") }, "\(due)")
        XCTAssertTrue(due.contains { $0.contains("USING COVERING INDEX incident_notifications_incident") }, "\(due)")
    }

    /// `status` warns of exactly the security reports past due and not recorded, without reading the others.
    func testReportsDueAreTheSecurityReportsPastDueAndNotRecorded() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.become("mai", role: .security)
        func open(_ title: String, security: Bool = true) throws -> String {
            try XCTUnwrap(try h.run("incident.open", ["title": .string(title), "severity": "sev3",
                                                      "component": ["portal"], "security": .bool(security)])
                .data["ref"]?.stringValue)
        }
        let silent = try open("Chưa báo cáo")
        let notified = try open("Đã báo cáo ban đầu")
        let resolved = try open("Đã xử lý, chưa báo cáo kết thúc")
        let closed = try open("Đã báo cáo kết thúc")
        _ = try open("Không phải sự cố an toàn", security: false)
        for ref in [notified, resolved, closed] {
            try h.run("incident.notified", ["incident": .string(ref), "to": "VNCERT/CC", "ref": "1/BC"])
        }
        for ref in [resolved, closed] {
            try h.run("incident.resolve", ["incident": .string(ref), "cause": "c", "resolution": "r"])
        }
        try h.run("incident.notified", ["incident": .string(closed), "to": "VNCERT/CC", "ref": "2/BC",
                                        "form": "closing"])
        let store = IncidentStore(h.db)
        XCTAssertEqual(try store.securityReportsDue(now: h.clock.now()).map(\.ref), [], "nothing due for 5 days")
        try h.advance("6d")
        XCTAssertEqual(try store.securityReportsDue(now: h.clock.now()).map(\.ref), [silent, resolved])
        let late = try open("Mới phát hiện")
        try h.advance("6d")
        XCTAssertEqual(try store.securityReportsDue(now: h.clock.now()).map(\.ref), [silent, resolved, late])
    }
}

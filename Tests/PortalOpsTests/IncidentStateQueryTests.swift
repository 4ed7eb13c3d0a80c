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

    func testSecurityIncidentsAreReadThroughTheirPartialIndex() throws {
        let h = try CommandHarness()
        for query in [IncidentStore.securityOnly, IncidentStore.securityRefsOnly] {
            let plan = try h.db.query("EXPLAIN QUERY PLAN " + query).compactMap { $0.string("detail") }
            XCTAssertTrue(plan.contains { $0.contains("USING INDEX incidents_security") }, "\(query): \(plan)")
        }
    }
}

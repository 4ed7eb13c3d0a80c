import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 12: what results do to a check — fail-after/recover-after, one
/// incident per outage, maintenance, heartbeats, the monitor role — in the
/// command harness, with results fed as the prober would feed them.
final class CheckRulesTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("component.add", ["key": "national-link", "name": "Kết nối Cổng DVC quốc gia"])
        return h
    }

    /// Feeds one result at the harness's now, as a batch of one, and moves the clock by `step`.
    private func feed(_ h: CommandHarness, _ key: String, _ status: ProbeStatus, _ detail: String = "probe",
                      step: String = "30s") throws {
        let now = h.clock.now()
        _ = try h.db.transaction {
            try CheckRules.record([ProbeResult(check: key, dueAt: now, at: now, status: status, latency: 3,
                                               detail: detail)], db: h.db, now: now, time: h.time)
        }
        try h.advance(step)
    }

    private func check(_ h: CommandHarness, _ key: String) throws -> Check {
        try XCTUnwrap(try CheckStore(h.db).byKey(key))
    }

    private func incidents(_ h: CommandHarness) throws -> [Incident] {
        try IncidentStore(h.db).all(includeSecurity: true)
    }

    func testIncidentOpensAfterFailAfterOnlyOnceAndResolvesAfterRecoverAfter() throws {
        let h = try harness()
        try h.run("check.add", ["check": "web", "component": "portal", "http": "https://dichvucong.example.vn/",
                                "fail-after": "3", "recover-after": "2"])
        try feed(h, "web", .ok)
        try feed(h, "web", .critical, "HTTP 502")
        try feed(h, "web", .critical, "HTTP 502")
        XCTAssertEqual(try incidents(h).count, 0, "two failures of three open nothing")
        XCTAssertEqual(try check(h, "web").state, .up)
        try feed(h, "web", .critical, "HTTP 502")
        XCTAssertEqual(try check(h, "web").state, .down)
        let opened = try incidents(h)
        XCTAssertEqual(opened.count, 1)
        XCTAssertEqual(opened.first?.source, .monitor)
        XCTAssertEqual(opened.first?.severity, .sev2)
        XCTAssertEqual(opened.first?.components, ["portal"])
        try feed(h, "web", .critical, "HTTP 502")
        try feed(h, "web", .critical, "connection refused")
        try feed(h, "web", .ok)
        try feed(h, "web", .critical, "connection refused")
        XCTAssertEqual(try incidents(h).count, 1, "never a second incident while it is still failing")
        let timeline = try IncidentStore(h.db).timeline(try XCTUnwrap(opened.first).id).map(\.text)
        XCTAssertEqual(timeline.filter { $0.contains("still failing: connection refused") }.count, 1,
                       "a change of detail goes on the timeline once: \(timeline)")
        XCTAssertFalse(timeline.contains { $0.contains("still failing: HTTP 502") },
                       "an unchanged detail is not repeated")
        try feed(h, "web", .ok)
        XCTAssertEqual(try check(h, "web").state, .down, "one success of two recovers nothing")
        try feed(h, "web", .ok)
        let recovered = try check(h, "web")
        XCTAssertEqual(recovered.state, .up)
        XCTAssertNil(recovered.incident)
        let resolved = try XCTUnwrap(try incidents(h).first)
        XCTAssertEqual(resolved.state, .resolved)
        let notes = try IncidentStore(h.db).timeline(resolved.id).map(\.text)
        // Down from the first of the three failures (09:00:30) to the second success (09:04:30).
        XCTAssertTrue(notes.contains { $0.contains("down for 4m") }, "\(notes)")
    }

    func testRecoveryOnlyNotesWhenThePolicySaysSo() throws {
        let h = try harness()
        try h.run("policy.set", ["key": "checks.resolve_on_recovery", "value": "false"])
        try h.run("check.add", ["check": "db", "component": "portal", "tcp": "10.0.0.5:5432", "fail-after": "1",
                                "recover-after": "1"])
        try feed(h, "db", .critical, "refused")
        try feed(h, "db", .ok)
        let incident = try XCTUnwrap(try incidents(h).first)
        XCTAssertEqual(incident.state, .open)
        XCTAssertTrue(try IncidentStore(h.db).timeline(incident.id).contains { $0.text.contains("recovered") })
    }

    func testFailuresDuringMaintenanceOpenNothing() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let window = try MaintenanceReplacementTests.announcedWindow(h)
        try h.run("check.add", ["check": "web", "component": "portal", "http": "http://portal.example.vn/",
                                "fail-after": "2"])
        try h.advance("2d")
        try h.advance("13h")
        try h.run("maintenance.start", ["window": .string(window)])
        for _ in 0..<5 { try feed(h, "web", .critical, "HTTP 503") }
        XCTAssertEqual(try incidents(h).count, 0)
        XCTAssertEqual(try check(h, "web").state, .maintenance)
        let shown = try h.run("check.show", ["check": "web"])
        XCTAssertEqual(shown.data["results"]?.arrayValue?.first?["maintenance"], .bool(true))
    }

    func testTheNationalLinkIsNamedInItsIncident() throws {
        let h = try harness()
        try h.run("check.add", ["check": "sync", "component": "national-link", "heartbeat": true, "every": "1h",
                                "grace": "15m"])
        try h.advance("1h")
        try h.advance("14m")
        try tick(h)
        XCTAssertEqual(try incidents(h).count, 0, "not late yet")
        try h.advance("1m")
        try tick(h)
        let incident = try XCTUnwrap(try incidents(h).first, "a missed heartbeat opens an incident")
        XCTAssertTrue(incident.title.contains("National Public Service Portal"), incident.title)
        XCTAssertTrue(incident.detail?.contains("no ping ever") ?? false, incident.detail ?? "")
        try h.advance("10m")
        try tick(h)
        XCTAssertEqual(try incidents(h).count, 1)
        try h.run("check.ping", ["check": "sync", "detail": "1520 hồ sơ đồng bộ"])
        XCTAssertEqual(try check(h, "sync").state, .up)
        XCTAssertEqual(try XCTUnwrap(try incidents(h).first).state, .resolved)
    }

    func testTheMonitorRoleMayPingSubmitAndReadOnly() throws {
        let h = try harness()
        try h.run("check.add", ["check": "sync", "component": "national-link", "heartbeat": true, "every": "1h"])
        try h.run("check.add", ["check": "web", "component": "portal", "http": "http://portal.example.vn/"])
        try h.become("zabbix", role: .monitor)
        try h.run("check.ping", ["check": "sync"])
        try h.run("check.ping", ["check": "sync", "fail": true, "detail": "sync failed: timeout"])
        try h.run("check.submit", ["check": "web", "status": "warning", "detail": "slow"])
        XCTAssertEqual(try h.run("check.list").data["checks"]?.arrayValue?.count, 2)
        try h.run("check.show", ["check": "sync"])
        try h.run("whoami")
        h.assertRefused("incident.open", ["title": "x", "severity": "sev1", "component": ["portal"]], code: 3,
                        saying: "needs role")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "tcp": "a:1"], code: 3, saying: "needs role")
        h.assertRefused("check.pause", ["check": "web"], code: 3, saying: "needs role")
        h.assertRefused("availability", [:], code: 3, saying: "needs role")
        let allowed = h.registry.commands.filter { $0.spec.roles.contains(.monitor) }.map(\.name).sorted()
        XCTAssertEqual(allowed, ["check.list", "check.ping", "check.show", "check.submit", "whoami"])
    }

    func testAddTakesExactlyOneKindAndBadInputChangesNothing() throws {
        let h = try harness()
        h.assertRefused("check.add", ["check": "x", "component": "portal", "tcp": "a:1", "dns": "a"], code: 2,
                        saying: "exactly one of")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "tcp": "nohost"], code: 2,
                        saying: "HOST:PORT")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "http": "ftp://x"], code: 2,
                        saying: "http:// or https://")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "http": "http://x/",
                                      "expect-status": "200-abc"], code: 2, saying: "--expect-status")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "disk": "/var"], code: 2,
                        saying: "--min-free")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "heartbeat": true], code: 2,
                        saying: "--every")
        h.assertRefused("check.add", ["check": "x", "component": "portal", "sqlite": "nothing"], code: 1,
                        saying: "no backup target")
        h.assertRefused("check.add", ["check": "x", "component": "nowhere", "tcp": "a:1"], code: 1,
                        saying: "nowhere")
        try h.become("lan", role: .operator)
        h.assertRefused("check.add", ["check": "x", "component": "portal",
                                      "command": "/usr/lib/nagios/plugins/check_dummy 0"], code: 3, saying: "admin")
        XCTAssertEqual(try CheckStore(h.db).all().count, 0)
    }

    func testStatusCodesAndHostPort() {
        XCTAssertEqual(StatusCodes("200-399")?.accepts(302), true)
        XCTAssertEqual(StatusCodes("200-399")?.accepts(404), false)
        XCTAssertEqual(StatusCodes("200,301")?.accepts(301), true)
        XCTAssertNil(StatusCodes("99-100"))
        XCTAssertEqual(HostPort("[::1]:443")?.host, "::1")
        XCTAssertNil(HostPort("host:0"))
    }

    private func tick(_ h: CommandHarness) throws {
        _ = try h.db.transaction { try CheckSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
    }
}

extension CheckRulesTests {
    /// Item 3: complete hours roll up (count, failures, latency percentiles); raw results past
    /// `checks.keep_results` go once rolled up, the rollups stay.
    func testHourlyRollupsStayAndRawResultsGoAfterTheRetention() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("check.add", ["check": "web", "component": "portal", "http": "http://portal.example.vn/"])
        try h.run("policy.set", ["key": "checks.keep_results", "value": "1d"])
        let start = h.clock.now()
        var results: [ProbeResult] = []
        for i in Int64(0)..<10 {
            let at: Int64 = start + i * 60_000
            let status: ProbeStatus = i == 9 ? .critical : .ok
            results.append(ProbeResult(check: "web", dueAt: at, at: at, status: status, latency: 10 * (i + 1),
                                       detail: "r\(i)"))
        }
        _ = try h.db.transaction { try CheckRules.record(results, db: h.db, now: start, time: h.time) }
        let id = try XCTUnwrap(try CheckStore(h.db).byKey("web")).id
        try h.advance("1h")
        _ = try h.db.transaction { try CheckSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
        let hour = try XCTUnwrap(try CheckStore(h.db).rollups(id, limit: 10).first)
        XCTAssertEqual(hour.count, 10)
        XCTAssertEqual(hour.failures, 1)
        XCTAssertEqual(hour.p50, 60)
        XCTAssertEqual(hour.p95, 100)
        XCTAssertEqual(hour.max, 100)
        XCTAssertEqual(try CheckStore(h.db).results(id, limit: 100).count, 10, "kept within the retention")
        try h.advance("1d")
        _ = try h.db.transaction { try CheckSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
        XCTAssertEqual(try CheckStore(h.db).results(id, limit: 100).count, 0, "gone after the retention")
        XCTAssertEqual(try CheckStore(h.db).rollups(id, limit: 10).count, 1, "rollups stay")
    }
}

import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 13 item 3: pages follow the severity's policy step by step, reach people on every
/// contact, skip machines and contactless accounts by name, stop on acknowledgement, and never
/// go to no one silently.
final class EscalationPolicyTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()   // 2026-12-01 09:00
        // The harness's notice signer is a supervisor too; these tests count exactly who is paged.
        try h.db.run("UPDATE users SET role = 'viewer' WHERE name = 'giamdoc'")
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        for name in ["an", "binh"] { try h.become(name, role: .operator) }
        try h.become("sup", role: .supervisor)
        try UserStore(h.db).insert(name: "root", uid: 0, role: .operator, fullName: nil, email: nil, now: h.clock.now())
        try h.become("admin", role: .admin)
        try h.run("rota.add", ["name": "ops", "users": "an,binh,root", "handoff": "07:00", "length": "12h"])
        try h.run("escalation.set", ["severity": "sev1", "step": ["oncall", "oncall-secondary", "supervisors"],
                                     "after": ["5m", "10m"]])
        return h
    }

    private func tick(_ h: CommandHarness) throws -> [String] {
        try h.db.transaction { try IncidentSchedule.tick(db: h.db, now: h.clock.now(), time: h.time) }
    }

    private func open(_ h: CommandHarness, _ severity: String = "sev1", security: Bool = false) throws -> String {
        var raw: [String: JSON] = ["title": "Sập cổng \"chính\"", "severity": .string(severity),
                                   "component": ["portal"]]
        if security { raw["security"] = true }
        return try XCTUnwrap(try h.run("incident.open", raw).data["ref"]?.stringValue)
    }

    private func pages(_ h: CommandHarness, _ ref: String) throws -> [String] {
        let store = IncidentStore(h.db)
        let incident = try XCTUnwrap(try store.byRef(ref))
        return try store.timeline(incident.id).filter { $0.kind == .paged || $0.kind == .escalated }.map(\.text)
    }

    private func pagedRecipients(_ h: CommandHarness) throws -> [String] {
        try Outbox(h.db).deliveries(limit: 1000).map(\.recipient)
    }

    func testASev1PagesStepByStepAndStopsThere() throws {
        let h = try harness()
        let ref = try open(h)
        XCTAssertEqual(try pages(h, ref),
                       ["paged an (e-mail) (1 deliveries); step 1 of the sev1 policy: oncall"])
        try h.advance("299s")
        XCTAssertTrue(try tick(h).isEmpty)
        try h.advance("1s")
        XCTAssertEqual(try tick(h).count, 1)
        try h.advance("599s")
        XCTAssertTrue(try tick(h).isEmpty)
        try h.advance("1s")
        XCTAssertEqual(try tick(h).count, 1)
        try h.advance("3h")
        XCTAssertTrue(try tick(h).isEmpty, "no --repeat: the supervisors were the last step")
        XCTAssertEqual(try pages(h, ref), [
            "paged an (e-mail) (1 deliveries); step 1 of the sev1 policy: oncall",
            "paged binh (e-mail) (1 deliveries); step 2 of the sev1 policy: oncall-secondary",
            "paged sup (e-mail) (1 deliveries); step 3 of the sev1 policy: supervisors"])
        XCTAssertEqual(try pagedRecipients(h), ["user-an", "user-binh", "user-sup"])
    }

    func testAcknowledgingStopsTheEscalationAndAClockJumpPagesOnce() throws {
        let h = try harness()
        let acked = try open(h)
        try h.advance("1m")
        try h.become("an", role: .operator)
        try h.run("incident.ack", ["incident": .string(acked)])
        try h.advance("1h")
        XCTAssertTrue(try tick(h).isEmpty)
        XCTAssertEqual(try pages(h, acked).count, 1)

        let jumped = try open(h)
        try h.advance("2h")
        XCTAssertEqual(try tick(h).count, 1, "one page for the last step due, not one per step missed")
        XCTAssertTrue(try tick(h).isEmpty)
        XCTAssertEqual(try pages(h, jumped).last,
                       "paged sup (e-mail) (1 deliveries); step 3 of the sev1 policy: supervisors")
    }

    func testMachinesAndContactlessAccountsAreNeverPagedAndANoOneStepFallsToSupervisors() throws {
        let h = try harness()
        try h.run("rota.override", ["name": "ops", "user": "root", "from": "2026-12-01 09:00",
                                    "to": "2026-12-01 12:00"])
        let ref = try open(h)
        XCTAssertEqual(try pages(h, ref), [
            "paged sup (e-mail) (1 deliveries); not paged: root (no contact); step 1 of the sev1 policy: oncall — "
                + "no one of oncall is reachable; paged the supervisors instead"])
        XCTAssertFalse(try pagedRecipients(h).contains("user-root"))
        // A monitor account is never paged, even with an address (the users table of this branch
        // cannot hold one yet, so the account is checked as paging sees it).
        let zabbix = User(id: 99, name: "zabbix", uid: 999, role: .monitor, fullName: nil, email: "z@example.vn",
                          disabled: false, createdAt: 0)
        XCTAssertEqual(try Reach(h.db).refusal(zabbix), "a monitor account")

        // No security user at all: a security incident pages the supervisors and says so.
        let secure = try open(h, security: true)
        XCTAssertEqual(try pages(h, secure), [
            "paged sup (e-mail) (1 deliveries); step 1 of the sev1 policy: oncall — no one is oncall; "
                + "paged the supervisors instead"])
        XCTAssertTrue(try h.statusWarnings().contains { $0.hasPrefix("ERROR: no security user can be paged") })
    }

    func testADisabledNextInLineIsNamedAndTheSupervisorsArePagedInstead() throws {
        let h = try harness()
        try h.run("user.disable", ["name": "binh"])
        let ref = try open(h)
        try h.advance("5m")
        XCTAssertEqual(try tick(h).count, 1)
        XCTAssertEqual(try pages(h, ref).last,
                       "paged sup (e-mail) (1 deliveries); not paged: binh (disabled); step 2 of "
                           + "the sev1 policy: oncall-secondary — no one of oncall-secondary is reachable; "
                           + "paged the supervisors instead")
    }

    func testPoliciesAreCheckedAndShown() throws {
        let h = try harness()
        h.assertRefused("escalation.set", ["severity": "sev2", "step": ["oncall", "boss"], "after": ["5m"]], code: 2,
                        saying: "'boss' is not a step")
        h.assertRefused("escalation.set", ["severity": "sev2", "step": ["oncall", "supervisors"], "after": []],
                        code: 2, saying: "give one --after between each two --step")
        h.assertRefused("escalation.set", ["severity": "sev2", "step": ["user:nobody"]],
                        saying: "names no enabled person")
        let shown = try h.run("escalation.show", [:]).table?.rows ?? []
        XCTAssertTrue(shown.contains(["sev1", "operator", "oncall → 5m → oncall-secondary → 10m → supervisors", "set"]),
                      "\(shown)")
        XCTAssertTrue(shown.contains(["sev2", "operator",
                                      "oncall → 15m → oncall-secondary → 15m → supervisors (repeat until acknowledged)",
                                      "standard"]), "\(shown)")
    }
}

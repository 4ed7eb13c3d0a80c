import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 16, item 2: the commands opsd runs are an admin's decision, and
/// what they and webhook URLs carry (passwords, tokens) is shown in full
/// only to admins, in views and in the audit trail.
final class CommandSecretsTests: XCTestCase {
    static let dump = "PGPASSWORD=s3cret pg_dump -Fc 'postgresql://app:pw1@db.internal/portal?sslkey=k2'"
    static let restore = "createdb {path} && pg_restore -d {path}"
    static let hook = "https://relay:hookpw@relay.laocai.gov.vn/portalops?token=t0ken"

    func testASupervisorMayNotSetACommandTargetButMayAddASQLiteOne() throws {
        let h = try CommandHarness()
        try h.become("giam-sat", role: .supervisor)
        h.assertRefused("target.add", ["target": "portal-pg", "dump-command": .string(Self.dump),
                                       "restore-command": .string(Self.restore)], code: 3, saying: "admin")
        try h.run("target.add", ["target": "portal-db", "sqlite": "/srv/portal/portal.db"])
    }

    func testAnAdminMaySetACommandTarget() throws {
        let h = try CommandHarness()
        try h.run("target.add", ["target": "portal-pg", "dump-command": .string(Self.dump),
                                 "restore-command": .string(Self.restore), "check-command": "pg_restore -l"])
        let shown = try h.run("target.show", ["target": "portal-pg"])
        XCTAssertEqual(shown.data["dump_command"]?.stringValue, Self.dump, "admins see the command in full")
    }

    func testOthersSeeTargetCommandsRedactedInEveryView() throws {
        let h = try CommandHarness()
        try h.run("target.add", ["target": "portal-pg", "dump-command": .string(Self.dump),
                                 "restore-command": .string(Self.restore),
                                 "check-command": "PGPASSWORD=x pg_restore -l"])
        for role in [Role.viewer, .operator, .supervisor] {
            try h.become("u-\(role.rawValue)", role: role)
            let show = try h.run("target.show", ["target": "portal-pg"])
            let list = try h.run("target.list")
            let everything = show.data.serialized() + "\(show.fields)" + list.data.serialized()
                + "\(list.table?.rows ?? [])"
            for secret in ["s3cret", "pw1", "k2", "=x "] {
                XCTAssertFalse(everything.contains(secret), "\(role) sees '\(secret)': \(everything)")
            }
            XCTAssertEqual(show.data["dump_command"]?.stringValue,
                           "PGPASSWORD=REDACTED pg_dump -Fc 'postgresql://REDACTED@db.internal/portal?REDACTED'")
            XCTAssertTrue(everything.contains("PGPASSWORD=REDACTED pg_dump"), everything)
        }
    }

    func testOthersSeeWebhookURLsRedacted() throws {
        let h = try CommandHarness()
        try h.run("policy.set", ["key": "delivery.webhook_allow", "value": "203.0.113.0/24"])
        try h.run("recipient.add", ["key": "zalo", "name": "Kênh Zalo OA", "webhook": .string(Self.hook)])
        XCTAssertEqual(try h.run("recipient.show", ["key": "zalo"]).data["webhook"]?.stringValue, Self.hook)
        try h.become("op", role: .operator)
        let show = try h.run("recipient.show", ["key": "zalo"])
        let list = try h.run("recipient.list")
        let renamed = try h.run("recipient.update", ["key": "zalo", "name": "Zalo OA"])
        let everything = show.data.serialized() + "\(show.fields)" + list.data.serialized()
            + "\(list.table?.rows ?? [])" + renamed.data.serialized()
        XCTAssertFalse(everything.contains("hookpw") || everything.contains("t0ken"), everything)
        XCTAssertEqual(show.data["webhook"]?.stringValue,
                       "https://REDACTED@relay.laocai.gov.vn/portalops?REDACTED")
    }

    func testTheAuditTrailKeepsSecretsRedactedWithTheirHash() throws {
        let h = try CommandHarness()
        try AuditRecorder().record(h.db, at: h.clock.now(), caller: h.caller, command: "target.add",
                                   arguments: ["target": "portal-pg", "dump-command": .string(Self.dump),
                                               "restore-command": .string(Self.restore)],
                                   outcome: "ok", detail: "Added")
        let entry = try XCTUnwrap(try AuditLog(h.db).entries(.init()).last)
        XCTAssertFalse(entry.arguments.contains("s3cret") || entry.arguments.contains("pw1"), entry.arguments)
        let arguments = try JSON.parse(entry.arguments)
        XCTAssertEqual(arguments["target"]?.stringValue, "portal-pg", "ordinary arguments stay as typed")
        XCTAssertEqual(arguments["dump-command"]?["redacted"]?.stringValue,
                       "PGPASSWORD=REDACTED pg_dump -Fc 'postgresql://REDACTED@db.internal/portal?REDACTED'")
        XCTAssertEqual(arguments["dump-command"]?["sha256"]?.stringValue, SHA256.hex(Self.dump),
                       "an auditor can prove what was set without reading it")
    }

    func testPolicySetIsCheckedPerPolicy() throws {
        let h = try CommandHarness()
        try h.become("giam-sat", role: .supervisor)
        try h.run("policy.set", ["key": "incident.escalate.sev1", "value": "10m"])
        h.assertRefused("policy.set", ["key": "mail.from", "value": "x@laocai.gov.vn"], code: 3, saying: "admin")
        h.assertRefused("policy.set", ["key": "delivery.webhook_allow", "value": "10.0.0.0/8"], code: 3,
                        saying: "admin")
        let list = try h.run("policy.list")
        let rows = list.data["policies"]?.arrayValue ?? []
        let escalate = rows.first { $0["key"]?.stringValue == "incident.escalate.sev1" }
        XCTAssertEqual(escalate?["roles"]?.arrayValue?.compactMap(\.stringValue), ["supervisor", "admin"])
        let from = rows.first { $0["key"]?.stringValue == "mail.from" }
        XCTAssertEqual(from?["roles"]?.arrayValue?.compactMap(\.stringValue), ["admin"])
        XCTAssertTrue(list.table?.columns.contains("CHANGED BY") == true, "\(list.table?.columns ?? [])")
        try h.become("op", role: .operator)
        h.assertRefused("policy.set", ["key": "incident.escalate.sev1", "value": "10m"], code: 3, saying: "role")
    }
}

import Foundation
import XCTest

final class AccessTests: XCTestCase {
    func testUserLifecycleAndTheLastAdminRule() throws {
        let daemon = try Daemon().start()
        let added = daemon.opsctl("user", "add", "lan.nguyen", "--uid", "1001", "--role", "operator",
                                  "--full-name", "Nguyễn Thị Lan", "--email", "lan@laocai.gov.vn").ok()
        XCTAssertEqual(added.stdout, "Added user lan.nguyen (uid 1001, operator)\n")
        let list = daemon.opsctl("user", "list", "--json").ok().object["users"] as? [[String: Any]] ?? []
        let lan = list.first { $0["name"] as? String == "lan.nguyen" }
        XCTAssertEqual(lan?["full_name"] as? String, "Nguyễn Thị Lan")
        XCTAssertEqual(lan?["role"] as? String, "operator")

        XCTAssertEqual(daemon.opsctl("user", "add", "lan.nguyen", "--uid", "1002", "--role", "viewer").status, 1, "duplicate name")
        XCTAssertEqual(daemon.opsctl("user", "add", "other", "--uid", "1001", "--role", "viewer").status, 1, "duplicate uid")
        XCTAssertEqual(daemon.opsctl("user", "add", "bad", "--uid", "1003", "--role", "king").status, 2)
        XCTAssertEqual(daemon.opsctl("user", "add", "bad", "--uid", "1003", "--role", "viewer", "--email", "x").status, 2)

        let me = daemon.opsctl("whoami", "--json").ok().object["name"] as! String
        let demote = daemon.opsctl("user", "set-role", me, "operator")
        XCTAssertEqual(demote.status, 1, "the only other admin is root when running as root; \(demote.stderr)")
        daemon.opsctl("user", "set-role", "lan.nguyen", "supervisor").ok()
        daemon.opsctl("user", "disable", "lan.nguyen").ok()
        XCTAssertEqual(daemon.opsctl("user", "disable", "lan.nguyen").status, 1, "already disabled")
        daemon.opsctl("user", "enable", "lan.nguyen").ok()
        XCTAssertEqual(daemon.opsctl("user", "disable", "nobody-here").status, 1)
    }

    func testTheLastAdminCannotBeDisabledOrDemoted() throws {
        let daemon = try Daemon().start()
        let admins = (daemon.opsctl("user", "list", "--json").ok().object["users"] as? [[String: Any]] ?? [])
            .filter { $0["role"] as? String == "admin" }.compactMap { $0["name"] as? String }
        // Leave exactly one enabled admin: the caller.
        let me = daemon.opsctl("whoami", "--json").ok().object["name"] as! String
        for name in admins where name != me { daemon.opsctl("user", "set-role", name, "viewer").ok() }
        let disable = daemon.opsctl("user", "disable", me)
        XCTAssertEqual(disable.status, 1)
        XCTAssertTrue(disable.stderr.contains("last enabled admin"), disable.stderr)
        XCTAssertEqual(daemon.opsctl("user", "set-role", me, "viewer").status, 1)
        daemon.opsctl("whoami").ok()
    }

    func testAnotherUIDIsRefusedAndTheRefusalIsAudited() throws {
        let daemon = try Daemon().start()
        let refused = try daemon.opsctl(asUID: 65534, "status")
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("uid 65534 has no enabled account"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("opsctl user add NAME --uid 65534"), refused.stderr)

        let entries = daemon.opsctl("audit", "list", "--actor", "uid:65534", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["outcome"] as? String, "denied")
        XCTAssertEqual(entries.first?["command"] as? String, "status")
        XCTAssertEqual(entries.first?["uid"] as? Int, 65534)
        XCTAssertNotNil(entries.first?["pid"] as? Int)

        // As a viewer: reads work, changes are refused by role.
        daemon.opsctl("user", "add", "guest", "--uid", "65534", "--role", "viewer").ok()
        try daemon.opsctl(asUID: 65534, "status").ok()
        XCTAssertTrue(try daemon.opsctl(asUID: 65534, "whoami").ok().stdout.contains("viewer"))
        let denied = try daemon.opsctl(asUID: 65534, "component", "add", "x", "--name", "X")
        XCTAssertEqual(denied.status, 3)
        XCTAssertTrue(denied.stderr.contains("needs role"), denied.stderr)
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "audit", "list").status, 3, "viewers do not read the audit trail")

        // Disabled: refused again.
        daemon.opsctl("user", "disable", "guest").ok()
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "whoami").status, 3)
        daemon.opsctl("audit", "verify").ok()
    }

    /// Issue 16 item 2, through the whole process: a command opsd runs is an
    /// admin's decision, and only admins read it whole.
    func testOnlyAnAdminSetsACommandTargetAndOthersSeeItRedacted() throws {
        let daemon = try Daemon().start()
        let dump = "PGPASSWORD=s3cret pg_dump -Fc portal"
        daemon.opsctl("user", "add", "giam-sat", "--uid", "65534", "--role", "supervisor").ok()
        let refused = try daemon.opsctl(asUID: 65534, "target", "add", "portal-pg", "--dump-command", dump,
                                        "--restore-command", "pg_restore -d portal")
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("only an admin may set --dump-command"), refused.stderr)
        let entries = daemon.opsctl("audit", "list", "--actor", "giam-sat", "--json").ok().object["entries"]
            as? [[String: Any]] ?? []
        XCTAssertEqual(entries.last?["outcome"] as? String, "denied")
        XCTAssertEqual(entries.last?["command"] as? String, "target.add")
        let audited = ((entries.last?["args"] as? [String: Any])?["dump-command"] as? [String: Any]) ?? [:]
        XCTAssertEqual(audited["redacted"] as? String, "PGPASSWORD=REDACTED pg_dump -Fc portal")
        XCTAssertEqual((audited["sha256"] as? String)?.count, 64)
        try daemon.opsctl(asUID: 65534, "target", "add", "portal-db", "--sqlite", "/srv/portal/portal.db").ok()

        daemon.opsctl("target", "add", "portal-pg", "--dump-command", dump,
                      "--restore-command", "pg_restore -d portal").ok()
        XCTAssertTrue(daemon.opsctl("target", "show", "portal-pg").ok().stdout.contains(dump), "admins see it whole")
        daemon.opsctl("user", "set-role", "giam-sat", "viewer").ok()
        let shown = try daemon.opsctl(asUID: 65534, "target", "show", "portal-pg").ok().stdout
            + (try daemon.opsctl(asUID: 65534, "target", "list", "--json").ok().stdout)
        XCTAssertFalse(shown.contains("s3cret"), shown)
        XCTAssertTrue(shown.contains("PGPASSWORD=REDACTED pg_dump -Fc portal"), shown)
        XCTAssertFalse(daemon.opsctl("audit", "list").ok().stdout.contains("s3cret"))

        daemon.opsctl("user", "set-role", "giam-sat", "operator").ok()
        let policy = try daemon.opsctl(asUID: 65534, "policy", "set", "incident.escalate.sev1", "10m")
        XCTAssertEqual(policy.status, 3, policy.stderr)
        daemon.opsctl("audit", "verify").ok()
    }
}

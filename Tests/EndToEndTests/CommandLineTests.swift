import Foundation
import XCTest

final class CommandLineTests: XCTestCase {
    /// opsctl links neither SQLite nor FoundationNetworking: its catalog is
    /// compiled in, the domain stays in opsd (DESIGN.md, Modules).
    func testOpsctlLinksNoSQLiteAndNoNetworking() {
        let linked = Run.process("/usr/bin/ldd", [Binaries.opsctl]).ok().stdout
        XCTAssertFalse(linked.contains("libsqlite3"), linked)
        XCTAssertFalse(linked.contains("FoundationNetworking"), linked)
        XCTAssertFalse(linked.contains("libcurl"), linked)
        let daemon = Run.process("/usr/bin/ldd", [Binaries.opsd]).ok().stdout
        XCTAssertTrue(daemon.contains("libsqlite3"), "the check above can fail: opsd does link SQLite")
    }

    func testHelpAtEveryLevelWithoutADaemon() {
        let overview = Run.process(Binaries.opsctl, ["--help"]).ok()
        XCTAssertTrue(overview.stdout.contains("Usage: opsctl NOUN VERB"))
        XCTAssertTrue(overview.stdout.contains("Exit codes: 0 done, 1 refused by a rule"))
        let noun = Run.process(Binaries.opsctl, ["audit", "--help"]).ok()
        XCTAssertTrue(noun.stdout.contains("audit verify"), noun.stdout)
        let verb = Run.process(Binaries.opsctl, ["policy", "set", "--help"]).ok()
        XCTAssertTrue(verb.stdout.contains("Usage: opsctl policy set KEY VALUE"), verb.stdout)
    }

    func testMisspeltCommandsExit2WithASuggestion() {
        let result = Run.process(Binaries.opsctl, ["componnet", "list"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "opsctl: unknown command 'componnet'; did you mean 'component'?\n")
        let verb = Run.process(Binaries.opsctl, ["audit", "verfy"])
        XCTAssertEqual(verb.status, 2)
        XCTAssertTrue(verb.stderr.contains("did you mean 'audit verify'?"), verb.stderr)
        XCTAssertEqual(Run.process(Binaries.opsctl, []).status, 2)
    }

    func testEveryReadCommandPrintsOneJSONDocument() throws {
        let daemon = try Daemon().start()
        for command in [["status"], ["whoami"], ["user", "list"], ["audit", "list"], ["audit", "verify"],
                        ["audit", "export"], ["component", "list"], ["policy", "list"]] {
            let result = daemon.opsctl(command + ["--json"]).ok()
            XCTAssertNotNil(result.json as? [String: Any], "\(command): \(result.stdout)")
        }
        let error = daemon.opsctl("user", "disable", "ghost", "--json")
        XCTAssertEqual(error.status, 1)
        XCTAssertEqual(((error.object["error"] as? [String: Any])?["kind"]) as? String, "refused")
    }

    func testPoliciesAreTypedAndValidated() throws {
        let daemon = try Daemon().start()
        let unknown = daemon.opsctl("policy", "set", "server.idle", "5s")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("did you mean 'server.idle_timeout'?"), unknown.stderr)
        XCTAssertEqual(daemon.opsctl("policy", "set", "server.idle_timeout", "forever").status, 2)
        XCTAssertEqual(daemon.opsctl("policy", "set", "server.idle_timeout", "0s").status, 2)
        let set = daemon.opsctl("policy", "set", "server.idle_timeout", "120s").ok()
        XCTAssertEqual(set.stdout, "Set server.idle_timeout = 2m (was 5m)\n")
        let policies = daemon.opsctl("policy", "list", "--json").ok().object["policies"] as? [[String: Any]] ?? []
        XCTAssertEqual(policies.first { $0["key"] as? String == "server.idle_timeout" }?["value"] as? String, "2m")
        daemon.opsctl("policy", "set", "server.idle_timeout", "default").ok()
    }

    func testTheClockMovesOnlyOnATestDaemon() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("clock", "set", "2026-12-31 23:59").ok()
        XCTAssertTrue(daemon.opsctl("status").ok().stdout.contains("2026-12-31 23:59"))
        let advanced = daemon.opsctl("clock", "advance", "2h").ok()
        XCTAssertTrue(advanced.stdout.contains("2027-01-01 01:59"), advanced.stdout)
        XCTAssertEqual(daemon.opsctl("clock", "advance", "5wd").status, 2)
        XCTAssertEqual(daemon.opsctl("clock", "advance", "soon").status, 2)

        let real = try Daemon(arguments: []).start()
        let refused = real.opsctl("clock", "advance", "1h")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("--test-clock"), refused.stderr)
    }

    func testComponentsKeepVietnameseText() throws {
        let daemon = try Daemon().start()
        // Typed with combining marks: stored and shown precomposed (NFC).
        daemon.opsctl("component", "add", "stp", "--name", "So\u{031B}\u{0309} Tu\u{031B} pha\u{0301}p").ok()
        let list = daemon.opsctl("component", "list", "--json").ok().object["components"] as? [[String: Any]]
        XCTAssertEqual((list?.first?["name"] as? String).map { Array($0.utf8) }, Array("Sở Tư pháp".utf8))
    }
}

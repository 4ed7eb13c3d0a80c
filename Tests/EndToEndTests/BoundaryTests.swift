import Foundation
@preconcurrency import Glibc
import XCTest

/// Issue 16 items 3, 4 and 7 through the built opsd and opsctl, as another
/// local user would meet them (their rules are tested in the harness layer).
final class BoundaryTests: XCTestCase {
    /// An operator sees neither a security incident nor its pages.
    func testAnOperatorSeesNothingOfASecurityIncident() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.opsctl("user", "add", "an", "--uid", "65533", "--role", "security", "--email", "an@example.vn").ok()
        daemon.opsctl("user", "add", "lan", "--uid", "65534", "--role", "operator", "--email", "lan@example.vn").ok()
        let opened = daemon.opsctl("incident", "open", "--title", "Dò mật khẩu quản trị", "--severity", "sev2",
                                   "--component", "portal", "--security", "--json").ok().object
        let ref = try XCTUnwrap(opened["ref"] as? String)
        XCTAssertTrue(ref.hasPrefix("SEC-2026-"), ref)
        XCTAssertFalse(daemon.deliveries().isEmpty, "the security staff were paged")
        for command in [["incident", "list"], ["outbox", "list"], ["status"], ["incident", "stats"]] {
            let seen = try daemon.opsctl(asUID: 65534, command + ["--json"])
            XCTAssertEqual(seen.status, 0, seen.stderr)
            XCTAssertFalse(seen.stdout.contains(ref) || seen.stdout.contains("Dò mật khẩu"),
                           "\(command) shows the security incident to an operator: \(seen.stdout)")
        }
        let outbox = try daemon.opsctl(asUID: 65534, ["outbox", "list", "--json"]).object["deliveries"] as? [Any]
        XCTAssertEqual(outbox?.count, 0, "its pages are not in an operator's outbox")
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, ["incident", "show", ref]).status, 1, "no incident \(ref)")
    }

    /// Control characters are refused on input and shown escaped when
    /// already stored.
    func testControlCharactersNeverReachTheTerminalRaw() throws {
        let daemon = try Daemon().start()
        let refused = daemon.opsctl("component", "add", "evil", "--name", "Cổng\u{1B}[2J")
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("U+001B"), refused.stderr)
        // Stored behind the console's back (an old version, a direct edit):
        daemon.opsctl("component", "add", "web", "--name", "Web").ok()
        let edit = Run.process("/usr/bin/env", ["sqlite3", daemon.dataDirectory + "/ops.db",
                                               "UPDATE components SET name = 'Web' || char(27) || '[31m' || char(8238)"])
        XCTAssertEqual(edit.status, 0, edit.stderr)
        let shown = daemon.opsctl("component", "list").ok().stdout
        XCTAssertFalse(shown.contains("\u{1B}") || shown.contains("\u{202E}"), shown.debugDescription)
        XCTAssertTrue(shown.contains("\\x1b[31m"), shown)
    }

    /// A backup directory others can write is refused before anything is written.
    func testAWorldWritableBackupDirectoryIsRefused() throws {
        let daemon = try Daemon().start()
        let directory = daemon.scratch.file("shared-backups")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o777)
        daemon.opsctl("target", "add", "portal", "--sqlite", daemon.dataDirectory + "/ops.db",
                      "--directory", directory).ok()
        let refused = daemon.opsctl("backup", "run", "portal")
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("chmod go-w"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [], "nothing was written")
    }
}

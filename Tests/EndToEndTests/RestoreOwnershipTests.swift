import Foundation
@preconcurrency import Glibc
import XCTest

/// Issue 13 item 6: a `backup restore --to` copy belongs to the person who asked for it (0600, their
/// uid), not to opsd's user, so they can open it.
final class RestoreOwnershipTests: XCTestCase {
    func testARestoredCopyIsOwnedByTheRequestingUser() throws {
        let daemon = try Daemon().start()
        let source = daemon.scratch.file("portal.db")
        Run.process("/usr/bin/env", ["sqlite3", source, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"]).ok()
        daemon.opsctl("target", "add", "portal", "--sqlite", source).ok()
        daemon.opsctl("backup", "run", "portal").ok()
        daemon.opsctl("user", "add", "hung", "--uid", "60001", "--role", "supervisor").ok()
        let restored = daemon.scratch.file("restored.db")
        try daemon.opsctl(asUID: 60001, "backup", "restore", "1", "--to", restored).ok()
        var info = stat()
        XCTAssertEqual(stat(restored, &info), 0)
        XCTAssertEqual(info.st_uid, 60001, "owned by the supervisor who asked")
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }
}

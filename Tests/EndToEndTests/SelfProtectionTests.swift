import Foundation
@preconcurrency import Glibc
import XCTest

/// The console protects its own records (issue 16, item 9).
final class SelfProtectionTests: XCTestCase {
    func testOpsIsBackedUpNightlyByDefault() throws {
        let daemon = try Daemon().start()
        let ops = daemon.opsctl("target", "show", "ops", "--json").ok().object
        XCTAssertEqual(ops["schedule"] as? String, "daily 01:30", "\(ops)")
        XCTAssertEqual(ops["max_age"] as? String, "26h", "\(ops)")
    }

    /// A damaged ops.db is refused at start, with the commands that restore
    /// the newest backup; the daemon serves nothing.
    func testADamagedOpsDbIsNotServedAndTheRestoreIsPrinted() throws {
        let daemon = try Daemon().start()
        for n in 0..<300 {
            daemon.opsctl("component", "add", "c\(n)", "--name", String(repeating: "x", count: 200)).ok()
        }
        daemon.opsctl("backup", "run", "ops").ok()
        XCTAssertEqual(daemon.stop(), 0)
        // Scribble over a page in the middle of the file, as a failing disk would.
        let database = daemon.dataDirectory + "/ops.db"
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: database))
        let size = handle.seekToEndOfFile()
        handle.seek(toFileOffset: size / 2 / 4096 * 4096)
        handle.write(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }))
        try handle.close()

        let start = Run.process(Binaries.opsd, ["--data", daemon.dataDirectory, "--socket",
                                                daemon.scratch.file("x.sock")])
        XCTAssertEqual(start.status, 1, start.stderr)
        XCTAssertTrue(start.stderr.contains("fails quick_check"), start.stderr)
        XCTAssertTrue(start.stderr.contains("BK-2026-0001"), "names the newest backup: \(start.stderr)")
        XCTAssertTrue(start.stderr.contains("sha256sum"), start.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.scratch.file("x.sock")), "nothing was served")
    }

    /// The hourly self-check: an audit entry edited behind opsd's back is
    /// found within the hour, shown as an error in status, and opens a
    /// security incident.
    func testAnEditedAuditTrailIsFoundWithinTheHour() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.waitForTicks()
        XCTAssertEqual(daemon.opsctl("status", "--json").ok().object["self_check_ok"] as? Bool, true)
        let edit = Run.process("/usr/bin/env", ["sqlite3", daemon.dataDirectory + "/ops.db",
                                               "DROP TRIGGER IF EXISTS audit_log_no_update; "
                                               + "UPDATE audit_log SET detail = 'sửa' WHERE command = 'component.add';"])
        XCTAssertEqual(edit.status, 0, edit.stderr)
        daemon.opsctl("clock", "advance", "61m").ok()
        Wait.until("the self-check to fail") {
            daemon.opsctl("status", "--json").object["self_check_ok"] as? Bool == false
        }
        let status = daemon.opsctl("status")
        XCTAssertTrue(status.stderr.contains("ERROR: the hourly self-check of ops.db failed")
                      || status.stdout.contains("ERROR: the hourly self-check"), status.stdout + status.stderr)
        let incidents = daemon.opsctl("incident", "list", "--json").ok().object["incidents"] as? [[String: Any]] ?? []
        XCTAssertTrue(incidents.contains { ($0["ref"] as? String)?.hasPrefix("SEC-") == true }, "\(incidents)")
    }
}

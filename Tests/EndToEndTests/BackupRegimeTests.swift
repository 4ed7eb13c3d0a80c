import Foundation
import XCTest

/// Schedules, drills, retention, copies and age warnings around backups.
final class BackupRegimeTests: XCTestCase {
    private func waitFor(_ seconds: Double = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline { if condition() { return true }; usleep(200_000) }
        return false
    }

    func testScheduledBackupsAndDrillsRunAndAFailureRaisesAnIncident() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("clock", "set", "2026-12-07 01:00").ok()
        daemon.opsctl("target", "set", "ops", "--schedule", "daily 01:30", "--drill-schedule", "weekly tue 02:00").ok()
        XCTAssertEqual(daemon.opsctl("target", "set", "ops", "--schedule", "hourly").status, 2)
        XCTAssertTrue(daemon.opsctl("target", "show", "ops").ok().stdout.contains("daily 01:30, next 2026-12-07 01:30:00 +07:00"))
        daemon.opsctl("clock", "set", "2026-12-07 01:31").ok()
        XCTAssertTrue(waitFor {
            (daemon.opsctl("backup", "list", "ops", "--json").object["backups"] as? [[String: Any]])?.contains { $0["label"] as? String == "theo lịch" } == true
        }, "the scheduled backup ran")
        daemon.opsctl("clock", "set", "2026-12-08 02:01").ok()
        XCTAssertTrue(waitFor { daemon.opsctl("target", "show", "ops").stdout.contains("last drill") }, "the scheduled drill ran")
        XCTAssertTrue(daemon.opsctl("target", "show", "ops").ok().stdout.contains("ok: restored, integrity ok"))
        XCTAssertTrue(daemon.opsctl("audit", "list", "--actor", "opsd").ok().stdout.contains("backup.drill"))

        // A target whose database is gone: the scheduled backup fails and pages.
        daemon.opsctl("target", "add", "gone", "--sqlite", daemon.scratch.file("missing/db.sqlite")).ok()
        daemon.opsctl("target", "set", "gone", "--schedule", "daily 03:00").ok()
        daemon.opsctl("clock", "set", "2026-12-08 03:01").ok()
        XCTAssertTrue(waitFor {
            (daemon.opsctl("incident", "list", "--json").object["incidents"] as? [[String: Any]])?.contains {
                ($0["title"] as? String)?.contains("sao lưu theo lịch gone") == true } == true
        }, "a failed scheduled backup opens an incident")
    }

    func testDrillRetentionCopiesAndAgeWarnings() throws {
        let daemon = try Daemon().start()
        let copies = daemon.scratch.file("offsite")
        // Manual backups only: ops's default nightly schedule would add its own as the clock moves, so it goes
        // before the clock does (set after, a tick between the two could run the nightly backup).
        daemon.opsctl("target", "set", "ops", "--keep-last", "2", "--keep-daily", "3", "--keep-weekly", "0",
                      "--keep-monthly", "0", "--copy-to", copies, "--max-age", "1d", "--schedule", "none").ok()
        daemon.opsctl("clock", "set", "2026-12-01 10:00").ok()
        let status = daemon.opsctl("status", "--json").ok().object
        XCTAssertTrue((status["warnings"] as? [String])?.contains { $0.contains("ops: newest verified backup is missing") } == true)
        XCTAssertEqual(daemon.opsctl("backup", "drill", "ops").status, 1, "nothing to drill yet")

        for day in 1...5 {
            daemon.opsctl("clock", "set", "2026-12-0\(day) 10:00").ok()
            daemon.opsctl("backup", "run", "ops").ok()
            daemon.opsctl("clock", "set", "2026-12-0\(day) 11:00").ok()
            daemon.opsctl("backup", "run", "ops").ok()
        }
        let copied = try FileManager.default.contentsOfDirectory(atPath: copies).filter { $0.hasSuffix(".sqlite") }
        XCTAssertEqual(copied.count, 10, "every backup has a verified second copy")
        XCTAssertFalse((daemon.opsctl("status", "--json").ok().object["warnings"] as? [String] ?? []).contains { $0.contains("ops: newest") })
        daemon.opsctl("backup", "drill", "ops").ok()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/drills"), [], "a drill removes its scratch copy")

        let dry = daemon.opsctl("backup", "prune", "ops", "--dry-run", "--json").ok().object
        // Kept: the two newest (day 5), the newest of days 5, 4, 3 (11:00 each). Removed: the rest.
        XCTAssertEqual(dry["removed"] as? [String], ["BK-2026-0001", "BK-2026-0002", "BK-2026-0003", "BK-2026-0004", "BK-2026-0005", "BK-2026-0007"])
        XCTAssertEqual((daemon.opsctl("backup", "list", "ops", "--json").ok().object["backups"] as? [Any])?.count, 10, "a dry run removes nothing")
        daemon.opsctl("backup", "prune", "ops").ok()
        let left = (daemon.opsctl("backup", "list", "ops", "--json").ok().object["backups"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String }
        XCTAssertEqual(left, ["BK-2026-0006", "BK-2026-0008", "BK-2026-0009", "BK-2026-0010"])
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/backups/ops").filter { $0.hasSuffix(".sqlite") }
        XCTAssertEqual(files.count, 4)
        daemon.opsctl("clock", "set", "2026-12-07 10:00").ok()
        XCTAssertTrue((daemon.opsctl("status", "--json").ok().object["warnings"] as? [String])?.contains { $0.contains("older than 1d") } == true)
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 16 item 8: a wall clock that steps backwards must not stop the
/// backup schedule or make an old backup look recent.
final class BackupClockTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let harness = try CommandHarness()
        let source = try Connection(path: harness.directory + "/portal.db")
        try source.execute("CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t DEFAULT VALUES;")
        try harness.run("target.add", ["target": "portal", "sqlite": .string(harness.directory + "/portal.db")])
        return harness
    }

    private func tick(_ harness: CommandHarness) throws -> [ScheduledJob] {
        try harness.db.transaction {
            try BackupScheduling.tick(TickContext(db: harness.db, now: harness.clock.now(), time: harness.time,
                                                  registry: harness.registry)).jobs
        }
    }

    func testALastRunDatedInTheFutureDoesNotStopTheSchedule() throws {
        let harness = try harness()
        harness.clock.set(try harness.time.parseTime("2030-06-01 12:00"))
        try harness.run("target.set", ["target": "portal", "schedule": "daily 01:30"])
        // The clock is put right: back to 2026.
        harness.clock.set(try harness.time.parseTime("2026-12-02 01:29"))
        XCTAssertEqual(try tick(harness).count, 0, "not yet 01:30")
        harness.clock.set(try harness.time.parseTime("2026-12-02 01:31"))
        XCTAssertEqual(try tick(harness).map(\.command), ["backup.run"], "due at 01:30 although the last run says 2030")
        XCTAssertEqual(try tick(harness).count, 0, "once")
        harness.clock.set(try harness.time.parseTime("2026-12-03 01:30"))
        XCTAssertEqual(try tick(harness).count, 1, "and the next day again")
    }

    func testCatchUpAfterAJumpOfACenturyIsOneRun() throws {
        let harness = try harness()
        try harness.run("target.set", ["target": "portal", "schedule": "weekly mon 01:30"])
        try harness.db.run("UPDATE backup_targets SET last_scheduled_backup = 0")
        harness.clock.set(try harness.time.parseTime("2126-12-02 09:00"))
        XCTAssertEqual(try tick(harness).count, 1)
        XCTAssertEqual(try tick(harness).count, 0)
    }

    func testLatestRunIsComputedForAnyDistance() throws {
        let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!
        let weekly = try BackupSchedule.parse("weekly mon 01:30")
        let daily = try BackupSchedule.parse("daily 23:59")
        for text in ["2026-12-07 01:30", "2026-12-07 01:29", "2126-03-04 00:00", "1971-01-01 00:00"] {
            let now = try time.parseTime(text)
            for schedule in [weekly, daily] {
                let latest = schedule.latest(atOrBefore: now, time: time)
                XCTAssertLessThanOrEqual(latest, now, "\(schedule) at \(text)")
                XCTAssertGreaterThan(schedule.next(after: latest, time: time), now, "\(schedule) at \(text)")
                XCTAssertEqual(schedule.next(after: latest - 1, time: time), latest, "\(schedule) at \(text)")
            }
        }
    }

    func testABackupDatedInTheFutureIsNotRecent() throws {
        let harness = try harness()
        try harness.run("target.set", ["target": "portal", "max-age": "1d"])
        harness.clock.set(try harness.time.parseTime("2030-06-01 12:00"))
        try harness.run("backup.run", ["target": "portal"])
        harness.clock.set(try harness.time.parseTime("2026-12-01 09:00"))
        let list = try XCTUnwrap(harness.registry.command("component.list"))
        let context = CommandContext(db: harness.db, caller: harness.caller, now: harness.clock.now(), time: harness.time,
                                     arguments: try list.arguments([:], time: harness.time), registry: harness.registry,
                                     environment: HarnessEnvironment(dataDirectory: harness.directory))
        let section = try BackupStatus.section(context)
        XCTAssertEqual(section.data["stale_backup_targets"], .array(["portal"]))
        XCTAssertTrue(section.warnings.contains { $0.contains("portal") && $0.contains("future") }, "\(section.warnings)")
    }
}

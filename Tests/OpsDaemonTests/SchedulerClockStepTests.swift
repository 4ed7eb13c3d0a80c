import Foundation
@testable import OpsDaemon
import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 16 item 8: a wall clock stepping backwards by more than five minutes
/// between scheduler ticks is noticed: logged, and shown by `status`.
final class SchedulerClockStepTests: XCTestCase {
    private func scheduler(_ fixture: EngineFixture) -> Scheduler {
        Scheduler(writer: fixture.writer, jobs: fixture.jobs, registry: fixture.registry, time: fixture.time,
                  log: Log(), progress: fixture.schedulerProgress) {}
    }

    private func warnings(_ fixture: EngineFixture) -> [String] {
        let status = fixture.send("status")
        XCTAssertNil(status.error)
        return status.data["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func testAStepBackOfMoreThanFiveMinutesIsShownInStatus() throws {
        let fixture = try EngineFixture()
        let scheduler = scheduler(fixture)
        fixture.clock.set(try fixture.time.parseTime("2026-12-01 09:00"))
        scheduler.tick()
        fixture.clock.set(try fixture.time.parseTime("2026-12-01 08:00"))
        scheduler.tick()
        let shown = warnings(fixture).filter { $0.contains("stepped back") }
        XCTAssertEqual(shown.count, 1, "\(warnings(fixture))")
        XCTAssertTrue(shown.first?.contains("1h") ?? false, "\(shown)")
        XCTAssertEqual(fixture.send("status").data["clock_step_back_seconds"]?.intValue, 3600)
    }

    func testSmallStepsBackAndJumpsForwardAreNotWarnedAbout() throws {
        let fixture = try EngineFixture()
        let scheduler = scheduler(fixture)
        fixture.clock.set(try fixture.time.parseTime("2026-12-01 09:00"))
        scheduler.tick()
        fixture.clock.set(try fixture.time.parseTime("2026-12-01 08:56"))
        scheduler.tick()
        fixture.clock.set(try fixture.time.parseTime("2126-12-01 08:56"))
        scheduler.tick()
        XCTAssertEqual(warnings(fixture).filter { $0.contains("stepped back") }, [])
    }
}

import Foundation
import XCTest

/// Time that steps backwards or leaps (issue 16, item 8), as the whole
/// daemon sees it: the step is shown in status, and no jump holds opsd past
/// its shutdown.
final class ClockStepTests: XCTestCase {
    func testACenturyLeapAndAStepBackAreSurvivedAndShown() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("target", "set", "ops", "--drill-schedule", "daily 03:00").ok()
        daemon.opsctl("clock", "set", "2126-11-29 12:00").ok()
        daemon.waitForTicks()
        daemon.opsctl("clock", "set", "2126-11-29 11:00").ok()
        daemon.waitForTicks()
        let status = daemon.opsctl("status", "--json").ok().object
        // An hour back, give or take the second that passed between the two settings.
        XCTAssertEqual(Double(status["clock_step_back_seconds"] as? Int ?? 0), 3_600, accuracy: 5, "\(status)")
        let process = try XCTUnwrap(daemon.process)
        process.terminate()
        Wait.until("opsd stopped within its shutdown timeout after the clock jumps", seconds: 15) { !process.isRunning }
        XCTAssertEqual(daemon.stop(), 0, "SIGTERM stops opsd cleanly")
    }
}

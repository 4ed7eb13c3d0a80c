import Foundation
import XCTest

/// Every wait in the end-to-end tests: polls a condition until a deadline and
/// fails with a message saying what never happened. No test sleeps a fixed
/// time and hopes.
enum Wait {
    @discardableResult
    static func until(_ what: @autoclosure () -> String, seconds: Double = 20, every interval: useconds_t = 50_000,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(interval)
        }
        if try condition() { return true }
        XCTFail("waited \(seconds) s, but \(what()) never happened", file: file, line: line)
        return false
    }
}

extension Daemon {
    /// Scheduler ticks completed so far (from `status`).
    func schedulerTicks() -> Int {
        opsctl("status", "--json").object["scheduler_ticks"] as? Int ?? -1
    }

    /// Waits until the scheduler has completed `count` more whole ticks, so
    /// whatever was due at the current (test) time has been done: the way to
    /// show that something does NOT happen without sleeping a fixed time.
    func waitForTicks(_ count: Int = 2, file: StaticString = #filePath, line: UInt = #line) {
        let start = schedulerTicks()
        Wait.until("\(count) scheduler ticks after tick \(start)", file: file, line: line) {
            schedulerTicks() >= start + count
        }
    }
}

import Dispatch
import Foundation
import XCTest
import OpsProtocol
@testable import PortalOps

final class ConcurrentlyTests: XCTestCase {
    struct Boom: Error, Equatable { let side: String }

    /// Both halves run at the same time: each waits for the other to have started.
    func testBothHalvesRunTogether() throws {
        let mainStarted = DispatchSemaphore(value: 0), sideStarted = DispatchSemaphore(value: 0)
        let (main, side) = try concurrently({ () -> String in
            mainStarted.signal()
            XCTAssertEqual(sideStarted.wait(timeout: .now() + 10), .success, "the side half never started")
            return "main"
        }, beside: {
            sideStarted.signal()
            XCTAssertEqual(mainStarted.wait(timeout: .now() + 10), .success)
            return 42
        })
        XCTAssertEqual(main, "main")
        XCTAssertEqual(side, 42)
    }

    /// When the main half fails, its error comes out — but only after the
    /// side half has finished, so nothing is left working behind the caller.
    func testAFailureWaitsForTheOtherHalf() {
        final class Flag: @unchecked Sendable { var finished = false }
        let flag = Flag()
        XCTAssertThrowsError(try concurrently({ () throws -> Int in throw Boom(side: "main") }, beside: {
            usleep(200_000)
            flag.finished = true
            throw Boom(side: "side")
        })) { XCTAssertEqual($0 as? Boom, Boom(side: "main"), "main's error first") }
        XCTAssertTrue(flag.finished)
        XCTAssertThrowsError(try concurrently({ 1 }, beside: { () throws -> Int in throw Boom(side: "side") })) {
            XCTAssertEqual($0 as? Boom, Boom(side: "side"))
        }
    }

    /// Ticks come while the work runs, and none after it has returned.
    func testTicksComeDuringTheWorkAndStopWithIt() {
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var ticks = 0
            func add() { lock.lock(); ticks += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return ticks }
        }
        let counter = Counter()
        let twoTicks = DispatchSemaphore(value: 0)
        let result = withTicks(every: 0.01, {
            counter.add()
            if counter.value == 2 { twoTicks.signal() }
        }) { () -> String in
            XCTAssertEqual(twoTicks.wait(timeout: .now() + 10), .success, "no ticks while working")
            return "done"
        }
        XCTAssertEqual(result, "done")
        let afterReturn = counter.value
        usleep(100_000)
        XCTAssertEqual(counter.value, afterReturn, "a tick came after withTicks returned")
    }

    func testPercentNeverClaimsDoneWhileWorking() {
        XCTAssertEqual(BackupEngine.percent(512 << 20, of: 1024 << 20), "50% (512 of 1024 MiB)")
        XCTAssertEqual(BackupEngine.percent(2048 << 20, of: 1024 << 20), "99% (2048 of 1024 MiB)")
        XCTAssertEqual(BackupEngine.percent(5, of: 0), "0% (0 of 0 MiB)")
    }
}

import XCTest
@testable import PortalOps

final class ClockTests: XCTestCase {
    let instant: Int64 = 1_797_000_000_000

    func testAdjustableClockMovesFromTheBase() {
        struct Fixed: Clock { func now() -> Int64 { 1_000 } }
        let clock = AdjustableClock(base: Fixed())
        XCTAssertEqual(clock.now(), 1_000)
        clock.advance(by: 500)
        XCTAssertEqual(clock.now(), 1_500)
        clock.set(instant)
        XCTAssertEqual(clock.now(), instant)
    }
}

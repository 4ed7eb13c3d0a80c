import XCTest
@testable import OpsProtocol

/// Issue 13 item 5: times typed at night, `8:00` as well as `08:00`.
final class NightTypingTests: XCTestCase {
    let hanoi = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    func testAOneDigitHourIsTheSameTime() throws {
        XCTAssertEqual(try hanoi.parseTime("2026-12-12 8:00"), try hanoi.parseTime("2026-12-12 08:00"))
        XCTAssertEqual(try hanoi.parseTime("2026-12-12T8:05+07:00"), try hanoi.parseTime("2026-12-12 08:05"))
        XCTAssertThrowsError(try hanoi.parseTime("2026-12-12 8:0"))
        XCTAssertThrowsError(try hanoi.parseTime("2026-12-12 :00"))
        XCTAssertEqual(try LocalTime.parseTimeOfDay("7:00"), 420)
        XCTAssertEqual(try LocalTime.parseTimeOfDay("07:00"), 420)
        XCTAssertEqual(try LocalTime.parseTimeOfDay("23:59"), 1439)
        for bad in ["24:00", "7", "7:0", "07:60", "-1:00", "７:00"] {
            XCTAssertThrowsError(try LocalTime.parseTimeOfDay(bad), bad)
        }
    }
}

import XCTest
@testable import OpsProtocol

final class TimeTests: XCTestCase {
    let hanoi = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    /// 2026-12-12 15:00:00 UTC in milliseconds.
    let instant: Int64 = 1_797_087_600_000

    func testLocalTimeIsReadInTheConfiguredZone() throws {
        XCTAssertEqual(try hanoi.parseTime("2026-12-12 22:00"), instant)
        XCTAssertEqual(try hanoi.parseTime("2026-12-12T22:00+07:00"), instant)
        XCTAssertEqual(try hanoi.parseTime("2026-12-12T15:00:00Z"), instant)
        XCTAssertEqual(try hanoi.parseTime("2026-12-12T10:00-05:00"), instant)
        XCTAssertEqual(try hanoi.parseDate("2026-12-13"), instant + 2 * 3_600_000)
    }

    func testLocalTimeIsShownWithItsOffset() {
        XCTAssertEqual(hanoi.format(instant), "2026-12-12 22:00:00 +07:00")
        XCTAssertEqual(hanoi.iso8601(instant), "2026-12-12T22:00:00+07:00")
        XCTAssertEqual(LocalTime(zoneIdentifier: "UTC")!.format(instant), "2026-12-12 15:00:00 +00:00")
        XCTAssertEqual(hanoi.year(1_767_200_340_000), 2025, "2025-12-31 23:59 local")
        XCTAssertEqual(hanoi.year(1_767_200_460_000), 2026, "2026-01-01 00:01 local, still 2025 in UTC")
    }

    func testInvalidTimesAreRefused() {
        for text in ["2026-02-30 10:00", "2026-13-01", "2026-1-2", "12/12/2026", "2026-12-12 24:00", "2026-12-12T22:00+25:00", "tomorrow", ""] {
            XCTAssertThrowsError(try hanoi.parseTime(text), text)
        }
        XCTAssertThrowsError(try hanoi.parseDate("2026-12-12 10:00"))
        XCTAssertNoThrow(try hanoi.parseTime("2028-02-29 00:00"), "leap day")
    }

    /// Found by scripts/fuzz.sh (FuzzTime): an offset moved an accepted time out of the years the console
    /// reads, so what opsctl then showed ('1969-12-31 18:00:00 +08:00') could not be typed back.
    func testATimeOutsideTheReadableYearsIsRefusedWhateverItsOffset() throws {
        for text in ["1970-01-01T00:00+14:00", "1970-01-01T00:00+09:00", "9999-12-31T23:00-05:00"] {
            XCTAssertThrowsError(try hanoi.parseTime(text), text)
        }
        for text in ["1970-01-01T12:00+07:00", "9999-12-31T10:00Z", "2026-12-12T10:00-05:00"] {
            let ms = try hanoi.parseTime(text)
            XCTAssertEqual(try hanoi.parseTime(hanoi.format(ms)), ms, text)
        }
    }

    func testDurations() throws {
        XCTAssertEqual(try DurationText.parse("90s"), .milliseconds(90_000))
        XCTAssertEqual(try DurationText.parse("15m"), .milliseconds(900_000))
        XCTAssertEqual(try DurationText.parse("2h"), .milliseconds(7_200_000))
        XCTAssertEqual(try DurationText.parse("3d"), .milliseconds(259_200_000))
        XCTAssertEqual(try DurationText.parse("5wd"), .workingDays(5))
        for bad in ["", "h", "5", "1.5h", "-3d", "3 days", "9999999999d"] {
            XCTAssertThrowsError(try DurationText.parse(bad), bad)
        }
        XCTAssertEqual(DurationText.milliseconds(7_200_000).description, "2h")
        XCTAssertEqual(DurationText.milliseconds(90_000).description, "90s")
    }
}

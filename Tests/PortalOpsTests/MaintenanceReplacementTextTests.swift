import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 19, item 2: a replacement says the new truth everywhere. Impact and
/// advice that name a time the window no longer has are refused until given anew.
final class MaintenanceReplacementTextTests: XCTestCase {
    /// Advice that names the old end ("sau 02 giờ 00") is refused on extend
    /// until it is given anew; given anew, the notice says only the new truth.
    func testExtendRefusesAdviceNamingTheOldEndUntilGivenAnew() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let advice = "nộp hồ sơ trực tuyến trước 22 giờ 00 hoặc sau 02 giờ 00 ngày 04/12/2026"
        let ref = try MaintenanceReplacementTests.announcedWindow(h, advice: advice)
        try h.advance("2d")
        try h.advance("13h")
        try h.run("maintenance.start", ["window": .string(ref)])
        try h.advance("3h")
        let extend: [String: JSON] = ["window": .string(ref), "end": "2026-12-04 04:00",
                                      "reason": "cần thêm thời gian"]
        h.assertRefused("maintenance.extend", extend, saying: "--advice")
        var anew = extend
        anew["advice"] = "nộp hồ sơ trực tuyến sau 04 giờ 00 ngày 04/12/2026"
        let extended = try h.run("maintenance.extend", anew)
        let number = try XCTUnwrap(extended.data["notice"]?["number"]?.stringValue)
        let notice = try XCTUnwrap(try NoticeStore(h.db).notices(reference: ref).first { $0.number == number })
        XCTAssertTrue(notice.text.contains("sau 04 giờ 00"), notice.text)
        XCTAssertFalse(notice.text.contains("02 giờ 00"), notice.text)
    }

    /// A correction that moves the times refuses impact naming the old start
    /// until --impact is given; text that names no time is kept.
    func testCorrectRefusesImpactNamingTheOldStart() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try MaintenanceReplacementTests.announcedWindow(h, impact: "không nộp được hồ sơ từ 22:00")
        let correct: [String: JSON] = ["window": .string(ref), "start": "2026-12-03 23:00",
                                       "reason": "lùi giờ bắt đầu"]
        h.assertRefused("maintenance.correct", correct, saying: "--impact")
        var anew = correct
        anew["impact"] = "không nộp được hồ sơ từ 23:00"
        try h.run("maintenance.correct", anew)
        let notices = try NoticeStore(h.db).notices(reference: ref)
        XCTAssertEqual(notices.count, 2)
        XCTAssertTrue(notices[1].text.contains("từ 23:00"), notices[1].text)
        XCTAssertFalse(notices[1].text.contains("22:00"), notices[1].text)
    }

    /// The forms of a time are found only as whole numbers: "2h" is not in
    /// "12h", "4/12" not in "14/12"; a form the new times share is not stale.
    func testStaleTimesMatchWholeNumbersOnly() throws {
        let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!
        let oldEnd = try time.parseTime("2026-12-04 02:00")
        let newEnd = try time.parseTime("2026-12-04 04:00")
        let start = try time.parseTime("2026-12-03 22:00")
        let stale: (String) -> String? = { StaleTimes.named(in: $0, old: [oldEnd], new: [start, newEnd], time: time) }
        XCTAssertEqual(stale("sau 02 giờ 00 ngày 04/12/2026"), "02 giờ 00")
        XCTAssertEqual(stale("sau 2h sáng"), "2h")
        XCTAssertEqual(stale("từ 02:00"), "02:00")
        XCTAssertNil(stale("sau 12h trưa ngày 14/12"))
        XCTAssertNil(stale("tải tệp dưới 2GB"), "a unit, not an hour")
        XCTAssertNil(stale("ngày 04/12/2026, trước 22 giờ 00"), "the date and the start are still true")
        XCTAssertNil(stale("chủ động sắp xếp thời gian"))
    }
}

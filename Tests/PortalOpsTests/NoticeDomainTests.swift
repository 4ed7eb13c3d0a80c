import Foundation
import XCTest
import SQLite
import OpsProtocol
@testable import PortalOps

final class WorkingCalendarTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    func testEarliestStartSkipsWeekendsAndHolidays() throws {
        let calendar = WorkingCalendar(time: time, holidays: ["2026-12-09"])
        let friday = try time.parseTime("2026-12-04 16:59")
        XCTAssertEqual(time.format(calendar.earliestStart(issuedAt: friday, workingDays: 1)), "2026-12-08 00:00:00 +07:00")
        XCTAssertEqual(time.format(calendar.earliestStart(issuedAt: friday, workingDays: 5)), "2026-12-15 00:00:00 +07:00")
        let saturday = try time.parseTime("2026-12-05 10:00")
        XCTAssertEqual(time.format(calendar.earliestStart(issuedAt: saturday, workingDays: 1)), "2026-12-08 00:00:00 +07:00")
        XCTAssertEqual(calendar.earliestStart(issuedAt: saturday, workingDays: 0), saturday)
        XCTAssertFalse(calendar.isWorkingDay(try time.parseTime("2026-12-09 10:00")))
        XCTAssertTrue(calendar.isWorkingDay(try time.parseTime("2026-12-10 10:00")))
    }
}

final class VietnameseDateTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    func testDateLineLeadingZerosFollowTheDecree() throws {
        XCTAssertEqual(VietnameseDate.dateLine(place: "Lào Cai", try time.parseTime("2021-01-05 09:00"), time: time), "Lào Cai, ngày 05 tháng 01 năm 2021")
        XCTAssertEqual(VietnameseDate.dateLine(place: "Lào Cai", try time.parseTime("2026-02-28 09:00"), time: time), "Lào Cai, ngày 28 tháng 02 năm 2026")
        XCTAssertEqual(VietnameseDate.dateLine(place: "Lào Cai", try time.parseTime("2026-03-09 09:00"), time: time), "Lào Cai, ngày 09 tháng 3 năm 2026")
        XCTAssertEqual(VietnameseDate.dateLine(place: "Lào Cai", try time.parseTime("2026-12-12 09:00"), time: time), "Lào Cai, ngày 12 tháng 12 năm 2026")
    }

    func testPeriodAsNoticesWriteIt() throws {
        XCTAssertEqual(VietnameseDate.period(try time.parseTime("2026-12-12 22:00"), try time.parseTime("2026-12-13 02:00"), time: time),
                       "từ 22 giờ 00 ngày 12/12/2026 đến 02 giờ 00 ngày 13/12/2026")
    }
}

final class NoticeStoreTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!
    var directory: String!
    var db: Connection!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "notices-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        db = try Connection(path: directory + "/ops.db")
        try db.migrate(Capabilities.schema, now: 0)
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func issue(at text: String) throws -> Notice {
        let recipient = Recipient(key: "stp", name: "Sở Tư pháp", kind: .agency, emails: ["a@stp.vn"], webhook: nil, groups: [], removedAt: nil)
        try RecipientStore(db).save(recipient, now: 0)
        let document = NoticeDocument(purpose: .announcement, subject: "tạm dừng", paragraphs: ["Nội dung."],
                                      urgency: nil, replaces: nil, reference: "MW-1", recipientNames: ["Sở Tư pháp"])
        return try NoticeStore(db).issue(document, to: [recipient], settings: try NoticeSettings.load(PolicyStore(db)), by: "lan",
                                         now: try time.parseTime(text), time: time,
                                         pdf: { _ in Array("%PDF-1.4".utf8) })
    }

    func testNumbersAreZeroPaddedAndRestartEachLocalYear() throws {
        XCTAssertEqual(try issue(at: "2026-12-31 23:59").number, "01/TB-STTTT")
        XCTAssertEqual(try issue(at: "2026-12-31 23:59").number, "02/TB-STTTT")
        for _ in 3...9 { _ = try issue(at: "2026-12-31 23:59") }
        XCTAssertEqual(try issue(at: "2026-12-31 23:59").number, "10/TB-STTTT", "no zero from 10 on")
        XCTAssertEqual(try issue(at: "2027-01-01 00:01").number, "01/TB-STTTT")
    }

    func testAnIssuedNoticeCannotBeChangedOrDeleted() throws {
        let notice = try issue(at: "2026-12-07 09:00")
        XCTAssertEqual(notice.textSHA256, SHA256.hex(notice.text))
        XCTAssertEqual(notice.htmlSHA256, SHA256.hex(notice.html))
        XCTAssertThrowsError(try db.execute("UPDATE notices SET body_text = 'x'")) { XCTAssertTrue("\($0)".contains("never changes")) }
        XCTAssertThrowsError(try db.execute("DELETE FROM notices"))
        XCTAssertThrowsError(try db.execute("DELETE FROM notice_recipients"))
        XCTAssertEqual(try NoticeStore(db).notice(notice.id), notice)
    }

    func testTheLayoutHasTheDecreesParts() throws {
        let text = try issue(at: "2026-12-07 09:00").text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(8)), ["UBND TỈNH LÀO CAI", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "",
                                                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
                                                "Số: 01/TB-STTTT    Lào Cai, ngày 07 tháng 12 năm 2026", ""])
        XCTAssertTrue(text.contains("THÔNG BÁO\nVề việc tạm dừng\n"))
        XCTAssertTrue(text.hasSuffix("Nơi nhận:\n- Sở Tư pháp;\n- Lưu: VT, CNTT.\n"))
        XCTAssertTrue(text.contains("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"))
    }
}

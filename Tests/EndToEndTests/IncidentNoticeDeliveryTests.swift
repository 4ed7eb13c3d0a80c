import Foundation
import XCTest

/// Issue 15 item 5 end to end: an agency that subscribed to a component's incident notices receives,
/// by mail through opsd's outbox, the notice of a published incident and of its later public note.
final class IncidentNoticeDeliveryTests: XCTestCase {
    func testASubscribedAgencyReceivesTheNoticeOfAPublishedIncident() throws {
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--sendmail", sink.sendmail]).start()
        daemon.opsctl("clock", "set", "2026-12-04 10:00").ok()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("recipient", "add", "stp", "--name", "Sở Tư pháp", "--email", "vanthu@stp.vn").ok()
        daemon.opsctl("recipient", "add", "khac", "--name", "Sở khác", "--email", "khac@example.vn").ok()
        daemon.opsctl("recipient", "subscribe", "stp", "--component", "portal").ok()
        let opened = daemon.opsctl("incident", "open", "--title", "Không nộp được hồ sơ", "--severity", "sev2",
                                   "--component", "portal", "--json").ok().object
        let ref = try XCTUnwrap(opened["ref"] as? String)
        daemon.opsctl("incident", "note", ref, "Nội bộ: máy chủ db01 lỗi").ok()
        daemon.opsctl("incident", "publish", ref, "--text", "Đang khắc phục chức năng nộp hồ sơ.").ok()
        XCTAssertTrue(Wait.until("the notice is sent") { sink.received().count == 1 })
        let mail = try XCTUnwrap(sink.received().first)
        XCTAssertEqual(mail["to"] as? String, "Sở Tư pháp <vanthu@stp.vn>")
        XCTAssertEqual(mail["subject"] as? String,
                       "[Cổng dịch vụ công tỉnh Lào Cai] Thông báo sự cố: Không nộp được hồ sơ")
        let text = try XCTUnwrap(mail["text"] as? String)
        XCTAssertTrue(text.contains("Đang khắc phục chức năng nộp hồ sơ."), text)
        XCTAssertTrue(text.contains("Tình trạng: đang khắc phục"), text)
        XCTAssertTrue(text.contains("10 giờ 00 ngày 04/12/2026"), text)
        XCTAssertFalse(text.contains("db01") || text.contains("sev2"), text)

        daemon.opsctl("incident", "note", ref, "Dự kiến xong lúc 11 giờ.", "--public").ok()
        XCTAssertTrue(Wait.until("the public note is sent") { sink.received().count == 2 })
        XCTAssertTrue((sink.received().last?["text"] as? String)?.contains("Dự kiến xong lúc 11 giờ.") == true)
        XCTAssertFalse(sink.received().contains { ($0["to"] as? String)?.contains("khac@example.vn") == true })
        let shown = daemon.opsctl("incident", "show", ref, "--json").ok().object
        XCTAssertEqual(shown["published_at"] as? String, "2026-12-04T10:00:00+07:00")
    }
}

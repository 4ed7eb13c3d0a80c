import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 19 item 7: the answer to feedback from a recipient goes to it through the outbox,
/// in Vietnamese with the feedback's reference, and `feedback show` shows that delivery.
final class FeedbackAnswerTests: XCTestCase {
    func testTheAnswerGoesToTheRecipientThroughTheOutbox() throws {
        let h = try CommandHarness()
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        let added = try h.run("feedback.add", ["from": "Sở Tư pháp", "recipient": "stp", "channel": "letter",
                                               "category": "error", "summary": "Không tải được tệp đính kèm",
                                               "ref": "125/STP-VP"])
        let ref = try XCTUnwrap(added.data["ref"]?.stringValue)
        let responded = try h.run("feedback.respond", ["id": .string(ref), "response": "Đã khắc phục lỗi tải tệp."])
        XCTAssertTrue(responded.message?.contains("sent to stp") ?? false, responded.message ?? "")
        let deliveries = try Outbox(h.db).deliveries()
        XCTAssertEqual(deliveries.count, 1)
        XCTAssertEqual(deliveries.first?.recipient, "stp")
        let message = try Outbox(h.db).message(try XCTUnwrap(deliveries.first).messageID)
        XCTAssertEqual(message.reference, ref)
        XCTAssertTrue(message.subject.contains(ref), message.subject)
        XCTAssertTrue(message.text.contains("Đã khắc phục lỗi tải tệp."), message.text)
        XCTAssertTrue(message.text.contains("Kính gửi: Sở Tư pháp"), message.text)
        XCTAssertTrue(message.text.contains("125/STP-VP"), message.text)
        let shown = try h.run("feedback.show", ["id": .string(ref)])
        let answer = try XCTUnwrap(shown.fields.first { $0.first == "answer sent" }?.last)
        XCTAssertTrue(answer.contains("delivery \(deliveries[0].id)") && answer.contains("queued"), answer)
        XCTAssertEqual(shown.data["answer_deliveries"]?.arrayValue?.count, 1)
    }

    func testAnAnswerWithoutAnAddressIsRecordedAndSaysSo() throws {
        let h = try CommandHarness()
        let added = try h.run("feedback.add", ["from": "Công dân Nguyễn Văn A", "channel": "phone",
                                               "category": "usability", "summary": "Hỏi về thủ tục"])
        let ref = try XCTUnwrap(added.data["ref"]?.stringValue)
        let responded = try h.run("feedback.respond", ["id": .string(ref), "response": "Đã hướng dẫn qua điện thoại"])
        XCTAssertTrue(responded.message?.contains("not sent") ?? false, responded.message ?? "")
        XCTAssertEqual(try Outbox(h.db).deliveries().count, 0)
    }

    /// The answer to feedback linked to a security incident stays in the compartment: operators
    /// do not see its delivery in the outbox.
    func testTheAnswerToSecurityFeedbackIsASecurityMessage() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        try h.become("an", role: .security)
        let opened = try h.run("incident.open", ["title": "Mã độc", "severity": "sev2", "component": ["portal"],
                                                  "security": true])
        let incident = try XCTUnwrap(opened.data["ref"]?.stringValue)
        let ref = try XCTUnwrap(try h.run("feedback.add", [
            "from": "Sở Tư pháp", "recipient": "stp", "channel": "email", "category": "security",
            "summary": "Trang lạ", "incident": .string(incident)]).data["ref"]?.stringValue)
        try h.run("feedback.respond", ["id": .string(ref), "response": "Đã xử lý"])
        let answer = try XCTUnwrap(Outbox(h.db).deliveries().first { $0.recipient == "stp" })
        XCTAssertTrue(try Outbox(h.db).isSecurity(delivery: answer.id))
        try h.become("vanhanh", role: .operator)
        let listed = try h.run("outbox.list")
        XCTAssertFalse(listed.data["deliveries"]?.arrayValue?.contains { $0["id"]?.intValue == answer.id } ?? true)
    }

    /// A citizen who wrote from an address gets the answer there, through a recipient of its own
    /// that is in no group (so no notice reaches it) and is not listed among the recipients.
    func testAnAnswerGoesToTheSendersOwnAddress() throws {
        let h = try CommandHarness()
        let added = try h.run("feedback.add", ["from": "Công dân Nguyễn Văn A", "email": "nva@example.vn",
                                               "channel": "email", "category": "usability",
                                               "summary": "Hỏi về thủ tục cấp phép"])
        XCTAssertEqual(added.data["email"]?.stringValue, "nva@example.vn")
        let ref = try XCTUnwrap(added.data["ref"]?.stringValue)
        let responded = try h.run("feedback.respond", ["id": .string(ref), "response": "Đã hướng dẫn qua thư"])
        XCTAssertTrue(responded.message?.contains("sent to feedback-\(ref.lowercased())") ?? false,
                      responded.message ?? "")
        let delivery = try XCTUnwrap(Outbox(h.db).deliveries().first)
        XCTAssertEqual(delivery.address, "nva@example.vn")
        let message = try Outbox(h.db).message(delivery.messageID)
        XCTAssertTrue(message.text.contains("Kính gửi: Công dân Nguyễn Văn A"), message.text)
        XCTAssertTrue(message.subject.contains(ref), message.subject)
        let shown = try h.run("feedback.show", ["id": .string(ref)])
        XCTAssertEqual(shown.fields.first { $0.first == "from" }?.last, "Công dân Nguyễn Văn A <nva@example.vn>")
        XCTAssertEqual(shown.data["answer_deliveries"]?.arrayValue?.count, 1)
        let listed = try h.run("recipient.list")
        XCTAssertEqual(listed.data["recipients"]?.arrayValue?.count, 0, "a correspondent is not a recipient to list")
        XCTAssertTrue(try RecipientStore(h.db).members(of: ["staff"]).isEmpty)
    }

    func testAnAddressIsCheckedAndNotGivenBesideARecipient() throws {
        let h = try CommandHarness()
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])])
        h.assertRefused("feedback.add", ["from": "Sở Tư pháp", "recipient": "stp", "email": "a@b.vn",
                                         "channel": "letter", "category": "error", "summary": "Lỗi"],
                        code: 2, saying: "not both")
        h.assertRefused("feedback.add", ["from": "A", "email": "not-an-address", "channel": "letter",
                                         "category": "error", "summary": "Lỗi"], code: 2, saying: "e-mail")
        XCTAssertTrue(try FeedbackStore(h.db).allFeedback().isEmpty)
    }

    /// The CSV import takes the sender's address too, and a bad one fails the whole file.
    func testImportTakesTheSendersAddress() throws {
        let h = try CommandHarness()
        let good = "from,channel,category,summary,email\nCông dân B,email,data,Sai dữ liệu,b@example.vn\n"
        try h.run("feedback.import", ["file": .string(good)])
        XCTAssertEqual(try FeedbackStore(h.db).allFeedback().first?.replyEmail, "b@example.vn")
        let bad = "from,channel,category,summary,email\nCông dân C,email,data,Sai,c-at-example\n"
        h.assertRefused("feedback.import", ["file": .string(bad)], code: 2, saying: "line 2")
        XCTAssertEqual(try FeedbackStore(h.db).allFeedback().count, 1)
    }

    /// The console's own keys cannot be taken by hand, and a recipient that somehow holds a feedback key is
    /// never overwritten by an answer.
    func testACorrespondentNeverOverwritesARealRecipient() throws {
        let h = try CommandHarness()
        h.assertRefused("recipient.add", ["key": "feedback-fb-2026-0001", "name": "X", "email": .array(["x@y.vn"])],
                        code: 2, saying: "the console's own")
        h.assertRefused("recipient.add", ["key": "user-lan", "name": "X"], code: 2, saying: "the console's own")
        try RecipientStore(h.db).save(Recipient(key: "feedback-fb-2026-0001", name: "Sở Y tế", kind: .agency,
                                                emails: ["syt@example.vn"], webhook: nil, groups: ["agencies"],
                                                removedAt: nil), now: h.clock.now())
        let ref = try XCTUnwrap(try h.run("feedback.add", [
            "from": "Công dân B", "email": "b@example.vn", "channel": "email", "category": "data",
            "summary": "Sai dữ liệu"]).data["ref"]?.stringValue)
        XCTAssertEqual(ref, "FB-2026-0001")
        let responded = try h.run("feedback.respond", ["id": .string(ref), "response": "Đã sửa"])
        XCTAssertTrue(responded.message?.contains("not sent") ?? false, responded.message ?? "")
        XCTAssertEqual(try RecipientStore(h.db).byKey("feedback-fb-2026-0001")?.name, "Sở Y tế")
        XCTAssertEqual(try Outbox(h.db).deliveries().count, 0)
    }
}

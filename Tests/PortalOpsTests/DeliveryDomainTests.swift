import Foundation
import XCTest
import SQLite
import OpsProtocol
@testable import PortalOps

final class CSVTests: XCTestCase {
    func testQuotesCommasNewlinesAndLineNumbers() throws {
        let records = try CSV.parse("\u{FEFF}key,name\r\na,\"Sở Y tế, tỉnh\"\nb,\"hai\ndòng\"\n\nc,\"nói \"\"xin chào\"\"\"\n")
        XCTAssertEqual(records.map(\.fields), [["key", "name"], ["a", "Sở Y tế, tỉnh"], ["b", "hai\ndòng"], ["c", "nói \"xin chào\""]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 6])
    }

    func testMalformedCSVNamesTheLine() {
        XCTAssertThrowsError(try CSV.parse("a,b\nc,\"open")) { XCTAssertEqual("\($0)", "line 2: a quoted field is not closed") }
        XCTAssertThrowsError(try CSV.parse("a,b\nc,d\"e\n")) { XCTAssertTrue("\($0)".hasPrefix("line 2")) }
    }
}

final class MailMessageTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    func testEncodedWordsStayWithin75CharactersAndKeepCharactersWhole() {
        let subject = String(repeating: "Thông báo tạm dừng Cổng dịch vụ công để bảo trì, nâng cấp ", count: 3)
        let encoded = MailMessage.encodedWords(subject)
        for word in encoded.split(separator: "\n") {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            XCTAssertLessThanOrEqual(trimmed.count, 75)
            XCTAssertTrue(trimmed.hasPrefix("=?UTF-8?B?") && trimmed.hasSuffix("?="))
            let payload = trimmed.dropFirst(10).dropLast(2)
            XCTAssertNotNil(String(data: Data(base64Encoded: String(payload))!, encoding: .utf8), "each word decodes to whole characters")
        }
        let decoded = encoded.split(separator: "\n").map { word -> String in
            let payload = word.trimmingCharacters(in: .whitespaces).dropFirst(10).dropLast(2)
            return String(data: Data(base64Encoded: String(payload))!, encoding: .utf8)!
        }.joined()
        XCTAssertEqual(decoded, subject)
        XCTAssertEqual(MailMessage.encodedWords("Plain ASCII subject"), "Plain ASCII subject")
    }

    func testMultipartWithAlternativeAndAttachment() throws {
        let message = OutgoingMessage(kind: "notice", subject: "Thông báo số 07/TB-STTTT", text: "Nội dung", html: "<p>Nội dung</p>",
                                      attachments: [.init(filename: "thông-báo.html", contentType: "text/html; charset=utf-8", content: Array("<p>x</p>".utf8))])
        let mail = MailMessage(from: try MailAddress.parse("Sở TT&TT <stttt@laocai.gov.vn>"), to: MailAddress(name: nil, address: "a@b.vn"),
                               date: 1_797_087_600_000, time: time, token: "tok-1", message: message).rendered()
        XCTAssertTrue(mail.contains("Content-Type: multipart/mixed; boundary=\"=_portalops_mix_tok-1\""))
        XCTAssertTrue(mail.contains("Content-Type: multipart/alternative"))
        XCTAssertTrue(mail.contains("Content-Type: text/html; charset=utf-8"))
        XCTAssertTrue(mail.contains("filename*=UTF-8''th%C3%B4ng-b%C3%A1o.html"))
        XCTAssertTrue(mail.contains("Message-ID: <tok-1@laocai.gov.vn>"))
        XCTAssertTrue(mail.contains("Date: Sat, 12 Dec 2026 22:00:00 +0700"))
        XCTAssertTrue(mail.contains("From: =?UTF-8?B?"), "a name with '&' and diacritics is encoded")
        XCTAssertFalse(mail.split(separator: "\n").contains { $0.count > 998 }, "no line over the RFC 5322 limit")
        XCTAssertTrue(mail.hasSuffix("--=_portalops_mix_tok-1--\n"))
    }

    func testMailAddressParsing() throws {
        XCTAssertEqual(try MailAddress.parse("Cổng DVC <noreply@laocai.gov.vn>"), MailAddress(name: "Cổng DVC", address: "noreply@laocai.gov.vn"))
        XCTAssertEqual(try MailAddress.parse("noreply@laocai.gov.vn"), MailAddress(name: nil, address: "noreply@laocai.gov.vn"))
        XCTAssertThrowsError(try MailAddress.parse("Cổng DVC <not an address>"))
        XCTAssertEqual(MailAddress(name: "Ops", address: "o@x.vn").header, "Ops <o@x.vn>")
    }
}

final class OutboxTests: XCTestCase {
    var directory: String!
    var db: Connection!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "outbox-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        db = try Connection(path: directory + "/ops.db")
        try db.migrate(Capabilities.schema, now: 0)
        try RecipientStore(db).save(Recipient(key: "stp", name: "Sở Tư pháp", kind: .agency, emails: ["a@stp.vn", "b@stp.vn"],
                                              webhook: "https://hook.vn/x", groups: ["agencies"], removedAt: nil), now: 0)
        try RecipientStore(db).save(Recipient(key: "old", name: "Old", kind: .agency, emails: ["o@x.vn"], webhook: nil,
                                              groups: ["agencies"], removedAt: 5), now: 0)
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testOneDeliveryPerActiveRecipientAndChannel() throws {
        let members = try RecipientStore(db).members(of: ["agencies"])
        XCTAssertEqual(members.map(\.key), ["stp"], "removed recipients are not members")
        let ids = try Outbox(db).enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"), to: members, by: "lan", now: 1_000).deliveryIDs
        XCTAssertEqual(ids.count, 3)
        let deliveries = try Outbox(db).deliveries()
        XCTAssertEqual(deliveries.map(\.channel), [.email, .email, .webhook])
        XCTAssertEqual(Set(deliveries.map(\.token)).count, 3, "each delivery has its own identity")
    }

    func testRetriesBackOffThenGiveUp() throws {
        let outbox = Outbox(db)
        try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"),
                           to: [Recipient(key: "stp", name: "x", kind: .agency, emails: ["a@stp.vn"], webhook: nil, groups: [], removedAt: nil)],
                           by: "lan", now: 0)
        var now: Int64 = 0
        var delays: [Int64] = []
        var state = Delivery.State.queued
        while state != .dead {
            let jobs = try outbox.claimDue(now: now, limit: 10)
            XCTAssertEqual(jobs.count, 1)
            XCTAssertEqual(try outbox.claimDue(now: now, limit: 10).count, 0, "a claimed delivery is not claimed twice")
            state = try outbox.finish(jobs[0], outcome: .failed(error: "timeout"), now: now, giveUpAfter: 48 * 3_600_000)
            if let next = try outbox.delivery(1)?.nextAttemptAt { delays.append(next - now); now = next }
        }
        XCTAssertEqual(Array(delays.prefix(5)), [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000])
        XCTAssertLessThanOrEqual(now, 48 * 3_600_000)
        XCTAssertTrue(try outbox.delivery(1)!.lastError!.hasPrefix("gave up after"))
        XCTAssertEqual(try outbox.attempts(1).count, try outbox.delivery(1)!.attempts)
    }

    func testRejectionIsDeadAtOnceAndInterruptedSendsAreRequeued() throws {
        let outbox = Outbox(db)
        try outbox.enqueue(OutgoingMessage(kind: "test", subject: "s", text: "t"),
                           to: [try RecipientStore(db).byKey("stp")!], by: "lan", now: 0)
        let jobs = try outbox.claimDue(now: 0, limit: 2)
        XCTAssertEqual(try outbox.finish(jobs[0], outcome: .rejected(error: "HTTP 404"), now: 1, giveUpAfter: 1_000_000), .dead)
        XCTAssertEqual(try outbox.recoverInterrupted(now: 2), 1, "the second claimed delivery was left sending")
        XCTAssertEqual(try outbox.delivery(jobs[1].delivery.id)?.state, .queued)
        XCTAssertEqual(try outbox.attempts(jobs[1].delivery.id).last?.outcome, "interrupted")
        XCTAssertEqual(try outbox.counts()[.queued], 2)
        XCTAssertThrowsError(try outbox.retry(999, now: 3))
    }
}

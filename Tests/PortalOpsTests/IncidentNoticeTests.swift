import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 15 item 5: a published incident, its later public notes and its resolution reach the
/// recipients subscribed to its components through the outbox, in Vietnamese, with nothing internal.
final class IncidentNoticeTests: XCTestCase {
    private let internalNote = "db01 hết dung lượng, Bình đang xoá log"
    private let publicNote = "Chức năng nộp hồ sơ trực tuyến tạm thời gián đoạn."

    /// Components portal and payment; recipients subscribed in every way that should and should not count.
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("component.add", ["key": "payment", "name": "Thanh toán trực tuyến"])
        try h.run("recipient.add", ["key": "kenh", "name": "Trang tin của Cổng", "kind": "public-channel",
                                    "email": ["tin@portal.vn", "zalo-relay@portal.vn"]])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": ["vanthu@stp.vn"]])
        try h.run("recipient.add", ["key": "kbnn", "name": "Kho bạc", "email": ["kb@kbnn.vn"]])
        try h.run("recipient.add", ["key": "cu", "name": "Đã rút", "email": ["cu@example.vn"]])
        try h.run("recipient.add", ["key": "bo", "name": "Đã xoá", "email": ["bo@example.vn"]])
        try h.run("recipient.add", ["key": "im", "name": "Không đăng ký", "email": ["im@example.vn"]])
        try h.run("recipient.subscribe", ["key": "kenh", "component": ["portal"]])
        try h.run("recipient.subscribe", ["key": "stp", "all-components": true])
        try h.run("recipient.subscribe", ["key": "kbnn", "component": ["payment"]])
        try h.run("recipient.subscribe", ["key": "cu", "component": ["portal", "payment"]])
        try h.run("recipient.unsubscribe", ["key": "cu", "component": ["portal"]])
        try h.run("recipient.subscribe", ["key": "bo", "component": ["portal"]])
        try h.run("recipient.remove", ["key": "bo"])
        return h
    }

    /// Opens an incident on portal as an operator, with an internal note and detail; returns its ref.
    private func openIncident(_ h: CommandHarness) throws -> String {
        try h.become("binh", role: .operator)
        let opened = try h.run("incident.open", ["title": "Không nộp được hồ sơ", "severity": "sev1",
                                                 "component": ["portal"], "detail": "lỗi 502 từ db01"])
        let ref = try XCTUnwrap(opened.data["ref"]?.stringValue)
        try h.run("incident.note", ["incident": .string(ref), "text": .string(internalNote)])
        return ref
    }

    private func notices(_ h: CommandHarness) throws -> [(Delivery, OutgoingMessage)] {
        try Outbox(h.db).deliveries(limit: 1000).map { ($0, try Outbox(h.db).message($0.messageID)) }
            .filter { $0.1.kind == "incident-notice" }
    }

    private func assertNothingInternal(_ message: OutgoingMessage, file: StaticString = #filePath, line: UInt = #line) {
        let everything = message.subject + message.text + message.payload.serialized()
        for secret in ["binh", "admin", internalNote, "db01", "sev1", "cấp 1", "dữ liệu có nguy cơ",
                       Incident.Severity.sev1.meaning] {
            XCTAssertFalse(everything.contains(secret), "the notice tells '\(secret)':\n\(everything)",
                           file: file, line: line)
        }
    }

    func testPublishingSendsOneDeliveryPerChannelOfEachSubscriber() throws {
        let h = try harness()
        let ref = try openIncident(h)
        XCTAssertTrue(try notices(h).isEmpty, "nothing goes out before the incident is public")
        let published = try h.run("incident.publish", ["incident": .string(ref), "text": .string(publicNote)])
        XCTAssertEqual(published.data["deliveries"]?.intValue, 3)
        let sent = try notices(h)
        XCTAssertEqual(sent.map { "\($0.0.recipient) \($0.0.address)" }.sorted(),
                       ["kenh tin@portal.vn", "kenh zalo-relay@portal.vn", "stp vanthu@stp.vn"])
        let message = try XCTUnwrap(sent.first?.1)
        XCTAssertEqual(message.reference, ref)
        XCTAssertEqual(message.subject, "[Cổng dịch vụ công tỉnh Lào Cai] Thông báo sự cố: Không nộp được hồ sơ")
        for expected in ["Cổng dịch vụ công", publicNote, "Tình trạng: đang khắc phục", "09 giờ 00 ngày 01/12/2026"] {
            XCTAssertTrue(message.text.contains(expected), "missing '\(expected)':\n\(message.text)")
        }
        XCTAssertFalse(message.text.contains("Thanh toán trực tuyến"), "payment is not affected")
        assertNothingInternal(message)

        let shown = try h.run("incident.show", ["incident": .string(ref)])
        XCTAssertEqual(shown.data["published_at"]?.stringValue, "2026-12-01T09:00:00+07:00")
        XCTAssertEqual(try IncidentStore(h.db).byRef(ref)?.publishedAt, h.clock.now())
        XCTAssertTrue(shown.data["timeline"]?.arrayValue?.contains {
            $0["text"]?.stringValue == publicNote && $0["public"] == .bool(true) } ?? false)

        try h.advance("10m")
        h.assertRefused("incident.publish", ["incident": .string(ref)], saying: "already public")
        XCTAssertEqual(try notices(h).count, 3, "publishing again sends nothing")
        // A clock jump runs every capability's tick: none of them sends a notice again.
        try h.advance("2d")
        for capability in h.registry.capabilities {
            guard let tick = capability.tick else { continue }
            try h.db.transaction {
                _ = try tick(TickContext(db: h.db, now: h.clock.now(), time: h.time, registry: h.registry))
            }
        }
        XCTAssertEqual(try notices(h).count, 3, "a clock jump sends nothing again")
    }

    func testPublicNotesAndTheResolutionSendButInternalNotesDoNot() throws {
        let h = try harness()
        let ref = try openIncident(h)
        try h.run("incident.note", ["incident": .string(ref), "text": "Trước khi công bố", "public": true])
        XCTAssertTrue(try notices(h).isEmpty, "a public note of an incident not yet public is not sent")
        try h.run("incident.publish", ["incident": .string(ref)])
        XCTAssertEqual(try notices(h).count, 3)
        try h.advance("20m")
        try h.run("incident.note", ["incident": .string(ref), "text": "Ghi chú nội bộ thứ hai"])
        XCTAssertEqual(try notices(h).count, 3, "an internal note sends nothing")
        let noted = try h.run("incident.note", ["incident": .string(ref), "text": "Dự kiến khắc phục lúc 11 giờ.",
                                                "public": true])
        XCTAssertEqual(noted.data["deliveries"]?.intValue, 3)
        let update = try XCTUnwrap(try notices(h).last?.1)
        XCTAssertTrue(update.text.contains("Dự kiến khắc phục lúc 11 giờ."), update.text)
        XCTAssertFalse(update.text.contains("Ghi chú nội bộ thứ hai"), update.text)
        assertNothingInternal(update)

        try h.advance("1h")
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "ổ đĩa db01 đầy",
                                       "resolution": "Bình mở rộng ổ đĩa"])
        let all = try notices(h)
        XCTAssertEqual(all.count, 9)
        let resolved = try XCTUnwrap(all.last?.1)
        XCTAssertTrue(resolved.text.contains("Tình trạng: đã khắc phục"), resolved.text)
        XCTAssertFalse(resolved.text.contains("ổ đĩa") || resolved.text.contains("Bình"), resolved.text)
        assertNothingInternal(resolved)
    }

    func testUnpublishingStopsTheNotices() throws {
        let h = try harness()
        let ref = try openIncident(h)
        try h.run("incident.publish", ["incident": .string(ref)])
        h.assertRefused("incident.unpublish", ["incident": .string(ref), "reason": "nhầm"], code: 3,
                        saying: "needs role")
        try h.become("truongca", role: .supervisor)
        try h.run("incident.unpublish", ["incident": .string(ref), "reason": "không ảnh hưởng người dân"])
        let shown = try h.run("incident.show", ["incident": .string(ref)])
        XCTAssertEqual(shown.data["published_at"], .null)
        XCTAssertTrue(shown.data["timeline"]?.arrayValue?.contains {
            $0["kind"]?.stringValue == "unpublished"
                && $0["text"]?.stringValue == "unpublished: không ảnh hưởng người dân" } ?? false)
        h.assertRefused("incident.unpublish", ["incident": .string(ref), "reason": "lần nữa"], saying: "not public")
        try h.run("incident.note", ["incident": .string(ref), "text": "Cập nhật", "public": true])
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "x", "resolution": "y"])
        XCTAssertEqual(try notices(h).count, 3, "only the notice of the first publication went out")
    }

    func testASecurityIncidentIsNeverPublished() throws {
        let h = try harness()
        try h.become("an", role: .security)
        let opened = try h.run("incident.open", ["title": "Mã độc trên máy chủ", "severity": "sev2",
                                                 "component": ["portal"], "security": true])
        let ref = try XCTUnwrap(opened.data["ref"]?.stringValue)
        h.assertRefused("incident.publish", ["incident": .string(ref)], code: 3, saying: "needs role")
        try h.become("admin", role: .admin)
        h.assertRefused("incident.publish", ["incident": .string(ref)],
                        saying: "security incidents are never made public")
        try h.become("binh", role: .operator)
        h.assertRefused("incident.publish", ["incident": .string(ref)], saying: "no incident \(ref)")
        XCTAssertNil(try IncidentStore(h.db).byRef(ref)?.publishedAt)
        XCTAssertTrue(try notices(h).isEmpty)
    }

    func testSubscriptionsAreCheckedAndShown() throws {
        let h = try harness()
        h.assertRefused("recipient.subscribe", ["key": "im", "component": ["nope"]], saying: "no component 'nope'")
        h.assertRefused("recipient.subscribe", ["key": "im"], code: 2, saying: "--all-components")
        h.assertRefused("recipient.subscribe", ["key": "im", "component": ["portal"], "all-components": true],
                        code: 2, saying: "not both")
        h.assertRefused("recipient.unsubscribe", ["key": "im", "component": ["portal"]], saying: "not subscribed")
        let shown = try h.run("recipient.show", ["key": "kenh"])
        XCTAssertEqual(shown.data["incident_notices"], .array(["portal"]))
        XCTAssertTrue(shown.fields.contains(["incident notices", "portal"]), "\(shown.fields)")
        let listed = try h.run("recipient.list")
        let stp = listed.data["recipients"]?.arrayValue?.first { $0["key"]?.stringValue == "stp" }
        XCTAssertEqual(stp?["incident_notices"], .array(["*"]))
        let cu = listed.data["recipients"]?.arrayValue?.first { $0["key"]?.stringValue == "cu" }
        XCTAssertEqual(cu?["incident_notices"], .array(["payment"]))
        try h.run("recipient.unsubscribe", ["key": "stp", "all-components": true])
        XCTAssertEqual(try IncidentSubscriptions(h.db).components(of: "stp"), [])
    }
}

import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 13 item 1: a page goes to every contact of a person, the SMS webhook's body rendered
/// from its template (JSON-escaped when JSON); a test page is recorded; `status` names people
/// who cannot be reached.
final class ContactTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("policy.set", ["key": "delivery.webhook_allow", "value": "127.0.0.1"])
        try h.become("an", role: .operator)
        return h
    }

    func testAPageGoesToEveryContactWithTheTemplateFilledAndEscaped() throws {
        let h = try harness()
        try h.run("user.contact", ["action": "add", "name": "an", "email": "an.nguyen@laocai.gov.vn"])
        try h.run("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://127.0.0.1:9/sms",
                                   "template": #"{"to": "0912345678", "text": "{{subject}} | {{ack}}"}"#])
        try h.run("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://127.0.0.1:9/bot",
                                   "template": "SỰ CỐ {{ref}} {{severity}}: {{title}}"])
        try h.run("incident.open", ["title": "Sập \"cổng\"\tchính", "severity": "sev1", "component": ["portal"]])
        let deliveries = try Outbox(h.db).deliveries(limit: 100)
        XCTAssertEqual(deliveries.map(\.channel), [.email, .email, .webhook, .webhook])
        XCTAssertEqual(deliveries.map(\.address), ["an@example.vn", "an.nguyen@laocai.gov.vn", "http://127.0.0.1:9/sms",
                                                   "http://127.0.0.1:9/bot"])
        let sms = try XCTUnwrap(deliveries[2].body)
        let parsed = try JSON.parse(sms)
        XCTAssertEqual(parsed["to"]?.stringValue, "0912345678")
        XCTAssertEqual(parsed["text"]?.stringValue,
                       "[CẤP 1] INC-2026-0001 Sập \"cổng\"\tchính | Tiếp nhận: opsctl incident ack INC-2026-0001")
        XCTAssertEqual(deliveries[2].contentType, "application/json; charset=utf-8")
        XCTAssertEqual(deliveries[3].body, "SỰ CỐ INC-2026-0001 sev1: Sập \"cổng\"\tchính")
        XCTAssertEqual(deliveries[3].contentType, "text/plain; charset=utf-8")
        let timeline = try IncidentStore(h.db).timeline(1).map(\.text)
        XCTAssertTrue(timeline.contains { $0.hasPrefix("paged an (e-mail, sms-webhook) (4 deliveries)") },
                      "\(timeline)")
    }

    func testBadTemplatesAndOtherPeoplesContactsAreRefused() throws {
        let h = try harness()
        h.assertRefused("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://127.0.0.1:9/sms",
                                         "template": #"{"text": {{subject}}}"#], code: 2, saying: "not JSON once filled")
        h.assertRefused("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://127.0.0.1:9/sms",
                                         "template": "{{phone}}"], code: 2, saying: "uses {{phone}}")
        h.assertRefused("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://10.1.2.3/sms"],
                        saying: "is private")
        try h.become("binh", role: .operator)
        h.assertRefused("user.contact", ["action": "add", "name": "an", "email": "x@example.vn"], code: 3,
                        saying: "only an or an admin")
        XCTAssertTrue(try ContactStore(h.db).contacts(of: "an").isEmpty, "refusals change nothing")
    }

    func testATestPageIsRecordedAndContactlessPeopleAreFlagged() throws {
        let h = try harness()
        try UserStore(h.db).insert(name: "root", uid: 0, role: .operator, fullName: nil, email: nil, now: h.clock.now())
        XCTAssertTrue(try h.statusWarnings().contains { $0.hasPrefix("no contact for root: pages skip them") })
        try h.become("admin", role: .admin)
        h.assertRefused("user.contact", ["action": "test", "name": "root"], saying: "root cannot be paged: no contact")
        try h.become("an", role: .operator)
        try h.run("user.contact", ["action": "add", "name": "an", "sms-webhook": "http://127.0.0.1:9/sms"])
        let test = try h.run("user.contact", ["action": "test", "name": "an"])
        XCTAssertEqual(test.data["deliveries"]?.arrayValue?.count, 2)
        // The delivery fails for good: `list` shows it, and `status` says no contact is known to work... only
        // when the account has no e-mail of its own, which an has, so an is not flagged.
        let list = try h.run("user.contact", ["action": "list", "name": "an"])
        XCTAssertEqual(list.table?.rows.last?[4], "queued")
        XCTAssertFalse(try h.statusWarnings().contains { $0.contains("failed its last test") })
    }
}

import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Vietnamese documents are wholly Vietnamese (issue 19, item 5): the report
/// drafts, the pages and the shift handover take role names, severities and
/// states from `VietnameseTerms`, never the English codes or sentences.
final class VietnameseDocumentTests: XCTestCase {
    /// English words that leaked into Vietnamese documents before.
    static let english = ["security", "supervisor", "operator", "admin", "viewer", "sev1", "sev2", "sev3", "sev4",
                          "the portal", "unavailable", "data is at risk", "function", "degraded", "minor",
                          "Open incidents", "open", "acknowledged", "resolved", "closed"]

    private func assertVietnamese(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.isEmpty, what, file: file, line: line)
        // Commands to type (opsctl …) are quoted as they must be typed; everything else must be Vietnamese.
        let prose = text.split(separator: "\n").filter { !$0.contains("opsctl ") }.joined(separator: "\n")
        let options: String.CompareOptions = [.regularExpression, .caseInsensitive]
        for word in Self.english where prose.range(of: "\\b\(word)\\b", options: options) != nil {
            XCTFail("\(what) contains the English '\(word)':\n\(text)", file: file, line: line)
        }
    }

    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        return h
    }

    func testTheSecurityIncidentReportDraftsAreWhollyVietnamese() throws {
        let h = try harness()
        try h.become("an", role: .security)
        let ref = try XCTUnwrap(try h.run("incident.open", [
            "title": "Dò quét mật khẩu quản trị", "severity": "sev1", "component": ["portal"], "security": true,
            "detail": "hàng nghìn lần đăng nhập sai"]).data["ref"]?.stringValue)
        try h.run("incident.note", ["incident": .string(ref), "text": "chặn địa chỉ tấn công"])
        assertVietnamese(try XCTUnwrap(try h.run("incident.report", ["incident": .string(ref), "form": "initial"])
            .output), "the initial report")
        try h.run("incident.resolve", ["incident": .string(ref), "cause": "mật khẩu yếu", "resolution": "đổi mật khẩu"])
        assertVietnamese(try XCTUnwrap(try h.run("incident.report", ["incident": .string(ref), "form": "closing"])
            .output), "the closing report")
    }

    func testPagesAndTheHandoverAreWhollyVietnamese() throws {
        let h = try harness()
        try h.become("lan", role: .operator)
        try h.run("shift.start", ["note": "ca đêm"])
        let ref = try XCTUnwrap(try h.run("incident.open", ["title": "Cổng chậm", "severity": "sev3",
                                                            "component": ["portal"]]).data["ref"]?.stringValue)
        try h.run("incident.ack", ["incident": .string(ref)])
        try h.run("incident.open", ["title": "Lỗi hiển thị", "severity": "sev4", "component": ["portal"]])
        let ended = try h.run("shift.end", ["handover": .string("theo dõi tiếp \(ref)")])
        assertVietnamese(try XCTUnwrap(ended.data["handover"]?.stringValue), "the handover")
        for row in try h.db.query("SELECT subject, body_text FROM outbox_messages WHERE kind = 'page'") {
            assertVietnamese((row.string("subject") ?? "") + "\n" + (row.string("body_text") ?? ""), "a page")
        }
    }

    func testEveryTermHasAVietnameseWord() {
        for role in Role.allCases { assertVietnamese(VietnameseTerms.role(role), "role \(role)") }
        for severity in Incident.Severity.allCases {
            assertVietnamese(VietnameseTerms.severity(severity), "severity \(severity)")
        }
        for state in Incident.State.allCases { assertVietnamese(VietnameseTerms.state(state), "state \(state)") }
    }
}

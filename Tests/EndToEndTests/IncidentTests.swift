import Foundation
import XCTest

final class IncidentTests: XCTestCase {
    /// A daemon with a component and, as uid 65534, an operator on the rota;
    /// the admin running the tests also plays supervisor via its own role.
    private func desk(sendmail: String = "cat > /dev/null") throws -> Daemon {
        let daemon = try Daemon(arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sendmail]).start()
        daemon.opsctl("clock", "set", "2026-12-07 02:00").ok()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("component", "add", "payment", "--name", "Thanh toán trực tuyến").ok()
        daemon.opsctl("user", "add", "lan", "--uid", "65534", "--role", "operator", "--email", "lan@ops.laocai.gov.vn").ok()
        daemon.opsctl("user", "add", "hung", "--uid", "60001", "--role", "supervisor", "--email", "hung@ops.laocai.gov.vn").ok()
        daemon.opsctl("user", "add", "mai", "--uid", "60002", "--role", "security", "--email", "mai@dic.laocai.gov.vn").ok()
        daemon.opsctl("user", "add", "xem", "--uid", "60003", "--role", "viewer").ok()
        return daemon
    }

    private func timeline(_ daemon: Daemon, _ ref: String) -> [[String: Any]] {
        daemon.opsctl("incident", "show", ref, "--json").ok().object["timeline"] as? [[String: Any]] ?? []
    }

    func testEscalationPagesSupervisorsAtEachDelayUntilAcknowledged() throws {
        let daemon = try desk()
        try daemon.opsctl(asUID: 65534, "shift", "start", "--note", "ca đêm").ok()
        let opened = try daemon.opsctl(asUID: 65534, "incident", "open", "--title", "Cổng không truy cập được", "--severity", "sev1",
                                       "--component", "portal", "--json").ok().object
        let ref = try XCTUnwrap(opened["ref"] as? String)
        XCTAssertTrue(ref.hasPrefix("INC-2026-"))
        var events = timeline(daemon, ref)
        XCTAssertEqual(events.map { $0["kind"] as? String }, ["opened", "paged"])
        XCTAssertTrue((events[1]["text"] as? String)?.contains("paged lan") == true, "the operator on shift is paged")

        daemon.opsctl("clock", "advance", "4m").ok()
        daemon.waitForTicks()
        XCTAssertEqual(timeline(daemon, ref).filter { $0["kind"] as? String == "escalated" }.count, 0, "not before 5 minutes")
        daemon.opsctl("clock", "advance", "2m").ok()
        let deadline = Date().addingTimeInterval(10)
        while timeline(daemon, ref).filter({ $0["kind"] as? String == "escalated" }).count < 1 && Date() < deadline { usleep(200_000) }
        events = timeline(daemon, ref).filter { $0["kind"] as? String == "escalated" }
        XCTAssertEqual(events.count, 1)
        XCTAssertTrue((events.first?["text"] as? String)?.contains("hung") == true, "the supervisor is paged")
        daemon.opsctl("clock", "advance", "5m").ok()
        while timeline(daemon, ref).filter({ $0["kind"] as? String == "escalated" }).count < 2 && Date() < deadline.addingTimeInterval(10) { usleep(200_000) }
        XCTAssertEqual(timeline(daemon, ref).filter { $0["kind"] as? String == "escalated" }.count, 2, "again after each further delay")

        try daemon.opsctl(asUID: 65534, "incident", "ack", ref).ok()
        daemon.opsctl("clock", "advance", "30m").ok()
        daemon.waitForTicks()
        XCTAssertEqual(timeline(daemon, ref).filter { $0["kind"] as? String == "escalated" }.count, 2, "acknowledged: no more pages")
        let pages = daemon.deliveries().filter { ($0["recipient"] as? String)?.hasPrefix("user-") == true }
        XCTAssertEqual(Set(pages.compactMap { $0["recipient"] as? String }), ["user-lan", "user-hung"])
        XCTAssertTrue(daemon.opsctl("audit", "list", "--command", "incident.escalate").ok().stdout.contains("escalated \(ref)"))
    }

    func testAViewerCannotSeeASecurityIncidentAnywhere() throws {
        let daemon = try desk()
        daemon.opsctl("incident", "open", "--title", "Chậm", "--severity", "sev4", "--component", "portal").ok()
        let secret = daemon.opsctl("incident", "open", "--title", "Dò quét mật khẩu quản trị", "--severity", "sev2", "--component", "portal",
                                   "--security", "--detail", "hàng nghìn lần đăng nhập sai", "--json").ok().object["ref"] as! String
        let viewerList = try daemon.opsctl(asUID: 60003, "incident", "list", "--json").ok().object["incidents"] as? [[String: Any]] ?? []
        XCTAssertEqual(viewerList.count, 1)
        XCTAssertFalse(viewerList.contains { $0["ref"] as? String == secret })
        let shown = try daemon.opsctl(asUID: 60003, "incident", "show", secret)
        XCTAssertEqual(shown.status, 1)
        XCTAssertTrue(shown.stderr.contains("no incident \(secret)"), "as if it did not exist: \(shown.stderr)")
        let stats = try daemon.opsctl(asUID: 60003, "incident", "stats", "--json").ok().object
        XCTAssertEqual(stats["total"] as? Int, 1)
        let status = try daemon.opsctl(asUID: 60003, "status", "--json").ok().object
        XCTAssertEqual((status["incidents"] as? [String: Any])?["open"] as? Int, 1)
        let operatorList = try daemon.opsctl(asUID: 65534, "incident", "list").ok().stdout
        XCTAssertFalse(operatorList.contains(secret), "operators do not see it either")
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "incident", "ack", secret).status, 1)

        let securityList = try daemon.opsctl(asUID: 60002, "incident", "list", "--json").ok().object["incidents"] as? [[String: Any]] ?? []
        XCTAssertEqual(securityList.count, 2)
        let pagedSecurity = timeline(daemon, secret).first { $0["kind"] as? String == "paged" }
        XCTAssertTrue((pagedSecurity?["text"] as? String)?.contains("mai") == true, "security staff are paged for security incidents")
        XCTAssertEqual(try daemon.opsctl(asUID: 60003, "incident", "report", secret, "--form", "initial").status, 3)
    }

    func testSecurityClocksReportsAndClosing() throws {
        let daemon = try desk()
        let ref = daemon.opsctl("incident", "open", "--title", "Mã độc trên máy chủ ứng dụng", "--severity", "sev1", "--component", "portal",
                                "--security", "--detected", "2026-12-06 23:00", "--json").ok().object["ref"] as! String
        let initial = daemon.opsctl("incident", "report", ref, "--form", "initial").ok().stdout
        for field in ["BÁO CÁO BAN ĐẦU", "Thời điểm phát hiện: 2026-12-06 23:00:00 +07:00",
                      "Mức độ: cấp 1 — cổng không truy cập được", "Biện pháp đã thực hiện"] {
            XCTAssertTrue(initial.contains(field), "\(field) in\n\(initial)")
        }
        XCTAssertEqual(daemon.opsctl("incident", "report", ref, "--form", "closing").status, 1, "not resolved yet")
        daemon.opsctl("clock", "set", "2026-12-12 09:00").ok()   // 5 days after detection have passed
        let overdue = daemon.opsctl("status", "--json").ok().object["warnings"] as? [String] ?? []
        XCTAssertTrue(overdue.contains { $0.contains("\(ref): notifying VNCERT/CC was due 2026-12-11 23:00") }, "\(overdue)")
        daemon.opsctl("incident", "notified", ref, "--to", "VNCERT/CC; Đội ứng cứu sự cố tỉnh", "--ref", "15/BC-STTTT").ok()
        XCTAssertFalse((daemon.opsctl("status", "--json").ok().object["warnings"] as? [String] ?? []).contains { $0.contains("notifying") })
        daemon.opsctl("incident", "ack", ref).ok()
        daemon.opsctl("incident", "resolve", ref, "--cause", "lỗ hổng plugin", "--resolution", "gỡ mã độc, vá lỗ hổng").ok()
        daemon.opsctl("recommendation", "add", "--title", "Rà soát plugin hằng tháng", "--source", "incident:\(ref)",
                      "--owner", "mai", "--due", "2026-12-31").ok()
        let refused = daemon.opsctl("incident", "close", ref, "--review", "rà soát plugin hằng tháng")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("closing report"), refused.stderr)
        XCTAssertTrue(daemon.opsctl("incident", "report", ref, "--form", "closing").ok().stdout.contains("Nguyên nhân: lỗ hổng plugin"))
        daemon.opsctl("incident", "notified", ref, "--to", "VNCERT/CC", "--ref", "16/BC-STTTT", "--form", "closing").ok()
        daemon.opsctl("incident", "close", ref, "--review", "rà soát plugin hằng tháng").ok()
    }

    func testWorkingAnIncidentFromOpenToClosedWithItsTimeline() throws {
        let daemon = try desk()
        let ref = daemon.opsctl("incident", "open", "--title", "Thanh toán lỗi", "--severity", "sev3", "--component", "payment",
                                "--source", "agency", "--json").ok().object["ref"] as! String
        XCTAssertEqual(daemon.opsctl("incident", "open", "--title", "x", "--severity", "sev9", "--component", "portal").status, 2)
        XCTAssertEqual(daemon.opsctl("incident", "open", "--title", "x", "--severity", "sev3", "--component", "nope").status, 1)
        daemon.opsctl("clock", "advance", "3m").ok()
        daemon.opsctl("incident", "ack", ref).ok()
        XCTAssertEqual(daemon.opsctl("incident", "ack", ref).status, 1)
        daemon.opsctl("incident", "assign", ref, "lan").ok()
        daemon.opsctl("incident", "note", ref, "Ngân hàng xác nhận lỗi kết nối", "--public").ok()
        daemon.opsctl("incident", "severity", ref, "sev2", "--reason", "nhiều cơ quan phản ánh").ok()
        daemon.opsctl("clock", "advance", "27m").ok()
        daemon.opsctl("incident", "resolve", ref, "--cause", "chứng chỉ hết hạn", "--resolution", "gia hạn chứng chỉ").ok()
        let refused = daemon.opsctl("incident", "close", ref)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("needs --review"), refused.stderr)
        let noRecommendation = daemon.opsctl("incident", "close", ref, "--review", "giám sát hạn chứng chỉ")
        XCTAssertEqual(noRecommendation.status, 1)
        XCTAssertTrue(noRecommendation.stderr.contains("closing needs a recommendation"), noRecommendation.stderr)
        daemon.opsctl("incident", "close", ref, "--review", "giám sát hạn chứng chỉ", "--no-recommendation",
                      "--reason", "đã có cảnh báo hạn chứng chỉ").ok()
        let stats = daemon.opsctl("incident", "stats", "--json").ok().object
        let sev2 = (stats["by_severity"] as? [String: Any])?["sev2"] as? [String: Any]
        XCTAssertEqual(sev2?["count"] as? Int, 1)
        XCTAssertEqual(sev2?["median_minutes_to_ack"] as? Double ?? 0, 3, accuracy: 0.2, "the test clock keeps ticking")
        XCTAssertEqual(sev2?["median_minutes_to_resolve"] as? Double ?? 0, 30, accuracy: 0.2)
        XCTAssertEqual(daemon.opsctl("incident", "stats", "--component", "portal", "--json").ok().object["total"] as? Int, 0)
        daemon.opsctl("incident", "reopen", ref, "--reason", "lỗi lặp lại").ok()
        let kinds = timeline(daemon, ref).compactMap { $0["kind"] as? String }
        XCTAssertEqual(kinds, ["opened", "paged", "acknowledged", "assigned", "note", "severity", "resolved", "closed", "reopened", "paged"])
        XCTAssertTrue(timeline(daemon, ref).allSatisfy { ($0["actor"] as? String)?.isEmpty == false && $0["at"] != nil })
    }

    func testAShiftCannotEndWithAnUnacknowledgedSev1() throws {
        let daemon = try desk()
        try daemon.opsctl(asUID: 65534, "shift", "start").ok()
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "shift", "start").status, 1, "already on shift")
        XCTAssertTrue(try daemon.opsctl(asUID: 65534, "shift", "who").ok().stdout.contains("lan"))
        let ref = daemon.opsctl("incident", "open", "--title", "Mất kết nối CSDL", "--severity", "sev1", "--component", "portal", "--json")
            .ok().object["ref"] as! String
        let refused = try daemon.opsctl(asUID: 65534, "shift", "end", "--handover", "bàn giao")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("\(ref) (sev1) unacknowledged"), refused.stderr)
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "shift", "end", "--handover", "x", "--force").status, 2, "--force needs --reason")
        try daemon.opsctl(asUID: 65534, "incident", "ack", ref).ok()
        let ended = try daemon.opsctl(asUID: 65534, "shift", "end", "--handover", "Đang xử lý CSDL", "--json").ok().object
        let handover = ended["handover"] as? String
        XCTAssertTrue(handover?.contains("Sự cố đang mở: \(ref) cấp 1, đã tiếp nhận") == true, "\(ended)")
        XCTAssertTrue(daemon.opsctl("shift", "log").ok().stdout.contains("Đang xử lý CSDL"))
        let status = daemon.opsctl("status").ok().stdout
        XCTAssertTrue(status.contains("on shift:") && status.contains("no one"), status)
    }
}

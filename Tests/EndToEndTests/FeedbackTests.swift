import Foundation
import XCTest

final class FeedbackTests: XCTestCase {
    private func desk() throws -> Daemon {
        let daemon = try Daemon().start()
        daemon.opsctl("clock", "set", "2026-12-04 10:00").ok()      // a Friday
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("user", "add", "xem", "--uid", "65534", "--role", "viewer").ok()
        daemon.opsctl("user", "add", "lan", "--uid", "60001", "--role", "operator").ok()
        daemon.opsctl("user", "add", "binh", "--uid", "60002", "--role", "operator").ok()
        daemon.opsctl("user", "add", "hung", "--uid", "60003", "--role", "supervisor").ok()
        return daemon
    }

    func testFeedbackDeadlinesCountWorkingDaysAndShowAsOverdue() throws {
        let daemon = try desk()
        daemon.opsctl("holiday", "add", "2026-12-08", "--name", "Nghỉ bù").ok()
        let added = daemon.opsctl("feedback", "add", "--from", "Sở Tư pháp tỉnh Lào Cai", "--channel", "letter", "--category", "error",
                                  "--summary", "Không tải được tệp đính kèm", "--ref", "125/STP-VP", "--json").ok().object
        let ref = try XCTUnwrap(added["ref"] as? String)
        XCTAssertEqual(ref, "FB-2026-0001")
        // Mon 7, (Tue 8 holiday), Wed 9, Thu 10, Fri 11, Mon 14: due at the end of Monday 14.
        XCTAssertEqual(added["due_at"] as? String, "2026-12-15T00:00:00+07:00")
        XCTAssertEqual(daemon.opsctl("feedback", "add", "--from", "x", "--channel", "fax", "--category", "error", "--summary", "x").status, 2)
        XCTAssertEqual((daemon.opsctl("feedback", "list", "--overdue", "--json").ok().object["feedback"] as? [Any])?.count, 0)
        daemon.opsctl("clock", "set", "2026-12-15 08:00").ok()
        XCTAssertEqual((daemon.opsctl("feedback", "list", "--overdue", "--json").ok().object["feedback"] as? [Any])?.count, 1)
        let status = daemon.opsctl("status", "--json").ok().object
        XCTAssertEqual((status["overdue"] as? [String: Any])?["feedback"] as? Int, 1)
        XCTAssertTrue((status["warnings"] as? [String])?.contains { $0.contains("feedback past its response deadline") } == true)
        let responded = daemon.opsctl("feedback", "respond", ref, "--response", "Đã khắc phục lỗi tải tệp").ok()
        XCTAssertTrue(responded.stdout.contains("after its deadline"), responded.stdout)
        XCTAssertEqual((daemon.opsctl("feedback", "list", "--overdue", "--json").ok().object["feedback"] as? [Any])?.count, 0)
        daemon.opsctl("feedback", "close", ref).ok()
        XCTAssertEqual(daemon.opsctl("feedback", "close", ref).status, 1)
        XCTAssertTrue(daemon.opsctl("feedback", "list", "--from-agency", "tư pháp").ok().stdout.contains(ref))
    }

    func testRecommendationsAndRequestsFollowTheirDueDates() throws {
        let daemon = try desk()
        let rec = daemon.opsctl("recommendation", "add", "--title", "Tăng dung lượng lưu trữ", "--source", "review", "--owner", "lan",
                                "--due", "2026-12-10", "--priority", "high", "--json").ok().object["ref"] as! String
        XCTAssertEqual(daemon.opsctl("recommendation", "add", "--title", "x", "--source", "gossip", "--owner", "lan", "--due", "2026-12-10").status, 2)
        XCTAssertEqual(daemon.opsctl("recommendation", "add", "--title", "x", "--source", "incident:INC-2026-0099", "--owner", "lan", "--due", "2026-12-10").status, 1)
        XCTAssertEqual(daemon.opsctl("recommendation", "add", "--title", "x", "--source", "review", "--owner", "ghost", "--due", "2026-12-10").status, 1)
        let req = daemon.opsctl("request", "add", "--from", "office", "--ref", "3456/VP-KSTT", "--received", "2026-12-03 15:00",
                                "--title", "Sửa lỗi hiển thị phí, lệ phí", "--due", "2026-12-10", "--component", "portal", "--json").ok().object["ref"] as! String
        XCTAssertEqual(req, "REQ-2026-0001")
        daemon.opsctl("clock", "set", "2026-12-10 23:59").ok()
        XCTAssertEqual((daemon.opsctl("recommendation", "list", "--overdue", "--json").ok().object["recommendations"] as? [Any])?.count, 0, "due all of the 10th")
        daemon.opsctl("clock", "set", "2026-12-11 00:01").ok()
        XCTAssertEqual((daemon.opsctl("recommendation", "list", "--overdue", "--json").ok().object["recommendations"] as? [Any])?.count, 1)
        XCTAssertEqual((daemon.opsctl("request", "list", "--overdue", "--json").ok().object["requests"] as? [Any])?.count, 1)
        let overdue = daemon.opsctl("status", "--json").ok().object["overdue"] as? [String: Any]
        XCTAssertEqual(overdue?["recommendations"] as? Int, 1)
        XCTAssertEqual(overdue?["requests"] as? Int, 1)
        daemon.opsctl("request", "done", req, "--resolution", "Đã sửa hiển thị phí").ok()
        XCTAssertTrue(daemon.opsctl("request", "show", req).ok().stdout.contains("Đã sửa hiển thị phí"))

        // Only the owner or a supervisor closes a recommendation.
        try daemon.opsctl(asUID: 60002, "recommendation", "note", rec, "Đã đặt mua ổ đĩa").ok()
        let notOwner = try daemon.opsctl(asUID: 60002, "recommendation", "done", rec, "--evidence", "x")
        XCTAssertEqual(notOwner.status, 3)
        XCTAssertTrue(notOwner.stderr.contains("only lan (the owner) or a supervisor"), notOwner.stderr)
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "recommendation", "done", rec, "--evidence", "x").status, 3, "viewers read only")
        try daemon.opsctl(asUID: 60001, "recommendation", "done", rec, "--evidence", "Lắp thêm 2 TB, biên bản 12/BB").ok()
        let second = daemon.opsctl("recommendation", "add", "--title", "Đổi nhà cung cấp", "--source", "security-assessment", "--owner", "lan",
                                   "--due", "2027-01-31", "--json").ok().object["ref"] as! String
        try daemon.opsctl(asUID: 60003, "recommendation", "reject", second, "--reason", "hợp đồng còn hiệu lực").ok()
        XCTAssertTrue(try daemon.opsctl(asUID: 65534, "recommendation", "show", rec).ok().stdout.contains("Đã đặt mua ổ đĩa"), "a viewer reads")
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "feedback", "add", "--from", "x", "--channel", "phone", "--category", "slow", "--summary", "x").status, 3)
    }

    func testLinksRunBothWaysBetweenIncidentsFeedbackAndRecommendations() throws {
        let daemon = try desk()
        let inc = daemon.opsctl("incident", "open", "--title", "Chậm khi nộp hồ sơ", "--severity", "sev2", "--component", "portal", "--json")
            .ok().object["ref"] as! String
        let fb = daemon.opsctl("feedback", "add", "--from", "UBND huyện Sa Pa", "--channel", "hotline", "--category", "slow",
                               "--summary", "Nộp hồ sơ mất 5 phút", "--incident", inc, "--json").ok().object["ref"] as! String
        XCTAssertEqual(daemon.opsctl("feedback", "add", "--from", "x", "--channel", "hotline", "--category", "slow", "--summary", "x",
                                     "--incident", "INC-2026-0999").status, 1)
        let rec = daemon.opsctl("recommendation", "add", "--title", "Thêm chỉ mục CSDL", "--source", "incident:\(inc)", "--owner", "lan",
                                "--due", "2026-12-20", "--json").ok().object["ref"] as! String
        daemon.opsctl("recommendation", "add", "--title", "Hướng dẫn nộp hồ sơ", "--source", "feedback:\(fb)", "--owner", "binh", "--due", "2026-12-20").ok()
        let shown = daemon.opsctl("incident", "show", inc, "--json").ok().object
        XCTAssertEqual(shown["feedback"] as? [String], [fb])
        XCTAssertEqual(shown["recommendations"] as? [String], [rec])
        XCTAssertTrue(daemon.opsctl("incident", "show", inc).ok().stdout.contains("Thêm chỉ mục CSDL"))
        XCTAssertEqual((daemon.opsctl("feedback", "show", fb, "--json").ok().object["incident"]) as? String, inc)
        XCTAssertEqual((daemon.opsctl("feedback", "show", fb, "--json").ok().object["recommendations"] as? [String])?.count, 1)
        daemon.opsctl("incident", "resolve", inc, "--cause", "thiếu chỉ mục", "--resolution", "thêm chỉ mục").ok()
        daemon.opsctl("incident", "close", inc, "--review", "theo dõi thời gian truy vấn").ok()   // it has a recommendation
        let stats = daemon.opsctl("feedback", "stats", "--json").ok().object
        XCTAssertEqual((stats["by_category"] as? [String: Any])?["slow"] as? Int, 1)
        XCTAssertEqual((stats["by_agency"] as? [String: Any])?["UBND huyện Sa Pa"] as? Int, 1)
    }

    func testImportIsAllOrNothingWithVietnameseText() throws {
        let daemon = try desk()
        let bad = daemon.scratch.file("bad.csv")
        try """
            from,channel,category,summary,received,ref
            Sở Y tế tỉnh Lào Cai,email,error,"Lỗi ký số, không nộp được",2026-12-01 09:00,88/SYT
            UBND xã Tả Van,pigeon,slow,Chậm,2026-12-01 10:00,
            Công dân Nguyễn Văn Ánh,hotline,question,Hỏi đáp,,
            Bưu điện tỉnh,phone,usability,Khó dùng,ngày mai,

            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = daemon.opsctl("feedback", "import", bad)
        XCTAssertEqual(refused.status, 2)
        for fragment in ["line 3: channel 'pigeon'", "line 4: category 'question'", "line 5:", "is not a time"] {
            XCTAssertTrue(refused.stderr.contains(fragment), "\(fragment) in \(refused.stderr)")
        }
        XCTAssertEqual((daemon.opsctl("feedback", "list", "--json").ok().object["feedback"] as? [Any])?.count, 0, "nothing imported")
        let good = daemon.scratch.file("good.csv")
        try "from,channel,category,summary,received,ref\nSở Y tế tỉnh Lào Cai,email,error,\"Lỗi ký số, không nộp được\",2026-12-01 09:00,88/SYT\nUBND xã Tả Van,portal,slow,Trang tải chậm,2026-12-02 10:00,\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        daemon.opsctl("feedback", "import", good).ok()
        let list = daemon.opsctl("feedback", "list", "--json").ok().object["feedback"] as? [[String: Any]] ?? []
        XCTAssertEqual(list.compactMap { $0["summary"] as? String }, ["Lỗi ký số, không nộp được", "Trang tải chậm"])
        XCTAssertEqual(list.compactMap { $0["ref"] as? String }, ["FB-2026-0001", "FB-2026-0002"], "the refused import used no numbers")
        XCTAssertEqual(list.first?["their_ref"] as? String, "88/SYT")
    }

    /// Issue 19 item 7: a citizen who wrote from an address gets the answer there, in Vietnamese
    /// with the feedback's reference, through msmtp to a real SMTP server.
    func testTheAnswerReachesACitizensOwnAddress() throws {
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--sendmail", sink.sendmail]).start()
        let added = daemon.opsctl("feedback", "add", "--from", "Công dân Nguyễn Văn A", "--email", "nva@example.vn",
                                  "--channel", "email", "--category", "usability", "--summary", "Hỏi thủ tục",
                                  "--json").ok().object
        let ref = try XCTUnwrap(added["ref"] as? String)
        let responded = daemon.opsctl("feedback", "respond", ref, "--response", "Đã hướng dẫn chi tiết").ok()
        XCTAssertTrue(responded.stdout.contains("sent to feedback-\(ref.lowercased())"), responded.stdout)
        XCTAssertTrue(Wait.until("the answer is sent") { sink.received().count == 1 })
        let mail = try XCTUnwrap(sink.received().first)
        XCTAssertEqual(mail["to"] as? String, "Công dân Nguyễn Văn A <nva@example.vn>")
        XCTAssertTrue((mail["subject"] as? String)?.contains(ref) == true, "\(mail)")
        XCTAssertTrue((mail["text"] as? String)?.contains("Đã hướng dẫn chi tiết") == true, "\(mail)")
        let shown = daemon.opsctl("feedback", "show", ref).ok().stdout
        XCTAssertTrue(shown.contains("nva@example.vn"), shown)
        XCTAssertFalse(daemon.opsctl("recipient", "list").ok().stdout.contains("nva@example.vn"))
    }
}

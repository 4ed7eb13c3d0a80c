import Foundation
import XCTest

/// Issue 14, items 5 and 8: `maintenance start` is refused while the notice's mail is dead (a sendmail that
/// fails), `proof` says who got it when, and a supervisor's override is recorded.
final class ArrivalProofTests: XCTestCase {
    func testStartIsRefusedWhileTheNoticeToAnAgencyIsDead() throws {
        let scratch = Scratch()
        let hook = try WebhookSink(scratch: scratch, statuses: [200])
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666",
                                                              "--sendmail", "/bin/false"]).start()
        daemon.opsctl("clock", "set", "2026-12-01 09:00").ok()   // a Tuesday
        daemon.configureNotices()
        daemon.opsctl("policy", "set", "delivery.give_up_after", "1m").ok()
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("recipient", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Lào Cai",
                      "--email", "vanthu@stp.laocai.gov.vn", "--group", "agencies").ok()
        daemon.opsctl("recipient", "add", "zalo", "--name", "Kênh Zalo OA", "--webhook", hook.url,
                      "--kind", "public-channel", "--group", "agencies").ok()
        let ref = daemon.opsctl("maintenance", "plan", "--title", "Bảo trì máy chủ", "--kind", "maintenance",
                                "--start", "2026-12-03 22:00", "--end", "2026-12-04 02:00", "--component", "portal",
                                "--group", "agencies", "--json").ok().object["ref"] as? String ?? ""
        daemon.opsctl("maintenance", "announce", ref).ok()

        func line(_ key: String) -> [String: Any] {
            let rows = daemon.opsctl("maintenance", "proof", ref, "--json").object["recipients"] as? [[String: Any]]
            return rows?.first { $0["recipient"] as? String == key } ?? [:]
        }
        func state(_ key: String) -> String? {
            (line(key)["deliveries"] as? [[String: Any]])?.first?["state"] as? String
        }
        Wait.until("the webhook accepting the notice") { line("zalo")["accepted_at"] is String }
        Wait.until("the mail failing") { ["failed", "dead"].contains(state("so-tu-phap")) }
        if state("so-tu-phap") == "failed" {
            daemon.opsctl("clock", "advance", "2m").ok()   // the retry fails too, past delivery.give_up_after
        }
        Wait.until("the mail giving up") { state("so-tu-phap") == "dead" }

        daemon.opsctl("clock", "set", "2026-12-03 22:00").ok()
        let refused = daemon.opsctl("maintenance", "start", ref)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("has not reached so-tu-phap (Sở Tư pháp tỉnh Lào Cai)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("opsctl maintenance proof \(ref)"), refused.stderr)
        XCTAssertEqual(line("zalo")["lead_working_days"] as? Int, 1)
        XCTAssertNil(line("so-tu-phap")["accepted_at"] as? String)
        let proof = daemon.opsctl("maintenance", "proof", ref).ok().stdout
        XCTAssertTrue(proof.contains("1 working day (2d 1"), proof)   // 2d 12h or 13h: the test clock runs

        let started = daemon.opsctl("maintenance", "start", ref, "--override", "--reason",
                                    "Văn thư Sở Tư pháp đã nhận qua điện thoại").ok()
        XCTAssertTrue(started.stdout.contains("started without reaching so-tu-phap"), started.stdout)
        let record = daemon.opsctl("maintenance", "show", ref, "--json").ok().object["start_override"] as? [String: Any]
        XCTAssertEqual(record?["reason"] as? String, "Văn thư Sở Tư pháp đã nhận qua điện thoại")
        XCTAssertEqual(record?["missing"] as? [String], ["so-tu-phap (Sở Tư pháp tỉnh Lào Cai)"])
    }
}

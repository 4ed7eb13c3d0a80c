import Foundation
import XCTest

/// Issue 13 item 7: reaching people at 02:00, with the test clock, a real SMTP server (through
/// msmtp) and a local webhook receiver standing in for the province's SMS gateway.
final class OnCallTests: XCTestCase {
    private func desk(_ scratch: Scratch, sendmail: String, at start: String) throws -> Daemon {
        let daemon = try Daemon(scratch: scratch,
                                arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sendmail]).start()
        daemon.opsctl("clock", "set", start).ok()
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("user", "add", "lan", "--uid", "65534", "--role", "operator", "--email",
                      "lan@ops.laocai.gov.vn").ok()
        daemon.opsctl("user", "add", "minh", "--uid", "60004", "--role", "operator", "--email",
                      "minh@ops.laocai.gov.vn")
            .ok()
        daemon.opsctl("user", "add", "hung", "--uid", "60001", "--role", "supervisor", "--email",
                      "hung@ops.laocai.gov.vn")
            .ok()
        daemon.opsctl("user", "add", "khong", "--uid", "60005", "--role", "operator").ok()   // no contact at all
        return daemon
    }

    private func timeline(_ daemon: Daemon, _ ref: String) -> [String] {
        (daemon.opsctl("incident", "show", ref, "--json").ok().object["timeline"] as? [[String: Any]] ?? [])
            .filter { ["paged", "escalated"].contains($0["kind"] as? String) }.compactMap { $0["text"] as? String }
    }

    private func waitForPages(_ daemon: Daemon, _ ref: String, _ count: Int) -> [String] {
        Wait.until("\(count) pages on \(ref)") { timeline(daemon, ref).count >= count }
        return timeline(daemon, ref)
    }

    /// On CI the real peers must be there: a missing one fails the test instead of skipping it.
    private func requirePeers() {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: "/usr/bin/msmtp"), "msmtp: run scripts/setup.sh")
        XCTAssertEqual(Run.process("/usr/bin/env", ["python3", "-c", "import aiosmtpd, http.server"]).status, 0,
                       "aiosmtpd: run scripts/setup.sh")
    }

    func testASev1At0200PagesTheOnCallByMailAndSMSEscalatesStepByStepAndStopsOnAck() throws {
        requirePeers()
        let scratch = Scratch()
        let mail = try MailSink(scratch: scratch)
        let sms = try WebhookSink(scratch: scratch, statuses: [200], name: "sms")
        let daemon = try desk(scratch, sendmail: mail.sendmail, at: "2026-12-07 01:50")
        daemon.opsctl("user", "contact", "add", "lan", "--sms-webhook", sms.url,
                      "--template", #"{"to": "0912345678", "text": "{{subject}} | {{ack}}"}"#).ok()
        // A test page now, recorded: `user contact list` shows it delivered on both channels.
        daemon.opsctl("user", "contact", "test", "lan").ok()
        Wait.until("the test page delivered") {
            let listed = daemon.opsctl("user", "contact", "list", "lan", "--json").ok().object
            return (listed["contacts"] as? [[String: Any]])?.first?["last_test"] as? String == "sent"
        }
        Wait.until("the test page received") { mail.received().count == 1 && sms.requests.count == 1 }
        XCTAssertEqual(sms.requests.first?["status"] as? Int, 200)
        daemon.opsctl("rota", "add", "dem", "--users", "lan,minh", "--handoff", "7:00", "--length", "12h").ok()
        daemon.opsctl("escalation", "set", "sev1", "--step", "oncall", "--after", "5m", "--step", "oncall-secondary",
                      "--after", "10m", "--step", "supervisors").ok()
        XCTAssertTrue(daemon.opsctl("rota", "who").ok().stdout.contains("lan"))

        daemon.opsctl("clock", "set", "2026-12-07 02:00").ok()
        let ref = try XCTUnwrap(daemon.opsctl("incident", "open", "--title", "Cổng không truy cập được", "--severity",
                                              "sev1", "--component", "portal", "--source", "monitor", "--json")
            .ok().object["ref"] as? String)
        XCTAssertEqual(timeline(daemon, ref), ["paged lan (e-mail, sms-webhook) (2 deliveries); "
                                               + "step 1 of the sev1 policy: oncall"])
        Wait.until("the page by mail and by SMS webhook") { mail.received().count == 2 && sms.requests.count == 2 }
        XCTAssertEqual(mail.received().last?["to"] as? String, "lan <lan@ops.laocai.gov.vn>")
        XCTAssertTrue((mail.received().last?["subject"] as? String)?.contains(ref) == true)
        let body = try XCTUnwrap(sms.requests.last?["body"] as? String)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])
        XCTAssertEqual(parsed["to"], "0912345678")
        XCTAssertEqual(parsed["text"],
                       "[CẤP 1] \(ref) Cổng không truy cập được | Tiếp nhận: opsctl incident ack \(ref)")
        XCTAssertEqual(sms.requests.last?["content_type"] as? String, "application/json; charset=utf-8")

        daemon.opsctl("clock", "advance", "4m").ok()
        daemon.waitForTicks()
        XCTAssertEqual(timeline(daemon, ref).count, 1, "not before 5 minutes")
        daemon.opsctl("clock", "advance", "1m").ok()
        XCTAssertTrue(waitForPages(daemon, ref, 2)[1].hasPrefix("paged minh (e-mail)"), "then the next in line")
        daemon.opsctl("clock", "advance", "10m").ok()
        XCTAssertTrue(waitForPages(daemon, ref, 3)[2].hasPrefix("paged hung (e-mail)"), "then the supervisors")
        daemon.opsctl("clock", "advance", "1h").ok()
        daemon.waitForTicks()
        XCTAssertEqual(timeline(daemon, ref).count, 3, "the policy has no repeat")

        // A second one is acknowledged by its short number after a minute: no one else is woken.
        let second = try XCTUnwrap(daemon.opsctl("incident", "open", "--title", "Lỗi thanh toán", "--severity", "sev1",
                                                 "--component", "portal", "--json").ok().object["ref"] as? String)
        daemon.opsctl("clock", "advance", "1m").ok()
        let number = String(Int(second.suffix(4)) ?? 0)
        try daemon.opsctl(asUID: 65534, "incident", "acknowledge", number).ok()
        daemon.opsctl("clock", "advance", "30m").ok()
        daemon.waitForTicks()
        XCTAssertEqual(timeline(daemon, second).count, 1, "acknowledged: the escalation stopped")
        let recipients = Set(daemon.deliveries().compactMap { $0["recipient"] as? String })
        XCTAssertEqual(recipients, ["user-lan", "user-minh", "user-hung"], "never the contactless account")

        // Lowered to sev2, the outage still counts as a sev1.
        daemon.opsctl("incident", "severity", ref, "sev2", "--reason", "đã có đường vòng").ok()
        let stats = daemon.opsctl("incident", "stats", "--json").ok().object["by_severity"] as? [String: [String: Any]]
        XCTAssertEqual(stats?["sev1"]?["count"] as? Int, 2)
        XCTAssertEqual(stats?["sev2"]?["count"] as? Int, 0)
        XCTAssertEqual(stats?["sev2"]?["now"] as? Int, 1)
    }

    func testARotaHandsOverAtItsMinuteAndAGapInCoverPagesTheSupervisorsOnce() throws {
        let scratch = Scratch()
        let daemon = try desk(scratch, sendmail: "cat > /dev/null", at: "2026-12-07 06:58")
        daemon.opsctl("rota", "add", "ngay", "--users", "lan,minh", "--handoff", "07:00", "--length", "12h").ok()
        daemon.waitForTicks()
        func onShift() -> [String] {
            (daemon.opsctl("shift", "who", "--json").ok().object["on_shift"] as? [[String: Any]] ?? [])
                .compactMap { $0["user"] as? String }
        }
        XCTAssertEqual(onShift(), ["lan"])
        daemon.opsctl("clock", "set", "2026-12-07 06:59:50").ok()   // the test clock runs on
        daemon.waitForTicks()
        XCTAssertEqual(onShift(), ["lan"], "not a second early")
        daemon.opsctl("clock", "set", "2026-12-07 07:00").ok()
        Wait.until("minh on shift at 07:00") { onShift() == ["minh"] }
        XCTAssertTrue(daemon.opsctl("shift", "log").ok().stdout.contains("Bàn giao theo lịch trực ngay cho minh"))

        // The contactless account is put on call: a gap, an error in status, the supervisors paged once.
        daemon.opsctl("rota", "override", "ngay", "--user", "khong", "--from", "2026-12-07 8:00", "--to",
                      "2026-12-07 10:00").ok()
        daemon.opsctl("clock", "set", "2026-12-07 08:00").ok()
        Wait.until("the gap in status") {
            (daemon.opsctl("status", "--json").ok().object["warnings"] as? [String] ?? [])
                .contains { $0.hasPrefix("ERROR: no one who can be paged is on call on the operator rota") }
        }
        daemon.opsctl("clock", "advance", "5m").ok()
        daemon.waitForTicks()
        let gapPages = daemon.deliveries().filter { $0["recipient"] as? String == "user-hung" }
        XCTAssertEqual(gapPages.count, 1, "the supervisors are paged once per gap")
        let ref = try XCTUnwrap(daemon.opsctl("incident", "open", "--title", "Sập", "--severity", "sev1",
                                              "--component", "portal", "--json").ok().object["ref"] as? String)
        XCTAssertEqual(timeline(daemon, ref), [
            "paged hung (e-mail) (1 deliveries); not paged: khong (no contact); step 1 of the sev1 policy: oncall — "
                + "no one of oncall is reachable; paged the supervisors instead"])
        daemon.opsctl("clock", "set", "2026-12-07 10:00").ok()
        Wait.until("the gap closed") {
            let warnings = daemon.opsctl("status", "--json").ok().object["warnings"] as? [String] ?? []
            return !warnings.contains { $0.hasPrefix("ERROR: no one who") }
        }
        XCTAssertEqual(onShift(), ["minh"])
    }
}

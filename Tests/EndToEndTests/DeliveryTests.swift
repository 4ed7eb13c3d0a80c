import Foundation
@preconcurrency import Glibc
import XCTest

final class DeliveryTests: XCTestCase {
    private func daemon(sendmail: String, scratch: Scratch = Scratch()) throws -> Daemon {
        try Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sendmail]).start()
    }

    func testMailGoesThroughMsmtpToARealSMTPServerWithItsVietnameseIntact() throws {
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let daemon = try self.daemon(sendmail: sink.sendmail, scratch: scratch)
        daemon.opsctl("policy", "set", "mail.from", "Cổng Dịch vụ công Lào Cai <portalops@laocai.gov.vn>").ok()
        daemon.opsctl("recipient", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Lào Cai", "--email", "vanthu@stp.laocai.gov.vn").ok()
        daemon.opsctl("recipient", "test", "so-tu-phap").ok()
        let delivery = daemon.waitForDelivery(1) { $0["state"] as? String == "sent" }

        let mails = sink.received()
        XCTAssertEqual(mails.count, 1)
        let mail = try XCTUnwrap(mails.first)
        XCTAssertEqual(mail["subject"] as? String, "[Thử nghiệm] Kiểm tra kênh nhận thông báo – Cổng dịch vụ công tỉnh Lào Cai")
        XCTAssertEqual(mail["to"] as? String, "Sở Tư pháp tỉnh Lào Cai <vanthu@stp.laocai.gov.vn>")
        XCTAssertEqual(mail["from"] as? String, "Cổng Dịch vụ công Lào Cai <portalops@laocai.gov.vn>")
        XCTAssertTrue((mail["text"] as? String)?.hasPrefix("Kính gửi: Sở Tư pháp tỉnh Lào Cai\n\nĐây là thư thử nghiệm") == true, "\(mail)")
        XCTAssertEqual(mail["message_id"] as? String, "<\(delivery["token"] as? String ?? "")@laocai.gov.vn>", "stable Message-ID from the delivery")
        XCTAssertEqual((mail["defects"] as? [Any])?.count, 0)
        XCTAssertTrue(daemon.opsctl("status").ok().stdout.contains("0 queued, 0 failed (will retry), 0 dead"))
        let outbox = daemon.opsctl("status", "--json").ok().object["outbox"] as? [String: Any]
        XCTAssertEqual(outbox?["sent"] as? Int, 1)
        XCTAssertEqual(outbox?["dead"] as? Int, 0)
    }

    func testAWebhookAnswering500Then200GetsExactlyOneAcceptedDelivery() throws {
        let scratch = Scratch()
        let hook = try WebhookSink(scratch: scratch, statuses: [500, 200])
        let daemon = try self.daemon(sendmail: "/bin/false", scratch: scratch)
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("recipient", "add", "zalo", "--name", "Kênh Zalo OA", "--webhook", hook.url, "--kind", "public-channel").ok()
        daemon.opsctl("recipient", "test", "zalo").ok()
        let failed = daemon.waitForDelivery(1) { $0["state"] as? String == "failed" }
        XCTAssertTrue((failed["last_error"] as? String)?.contains("HTTP 500") == true, "\(failed)")
        daemon.opsctl("clock", "advance", "2m").ok()   // the first retry is due after about a minute
        let sent = daemon.waitForDelivery(1) { $0["state"] as? String == "sent" }
        XCTAssertEqual(sent["attempts"] as? Int, 2)

        let requests = hook.requests
        XCTAssertEqual(requests.map { $0["status"] as? Int }, [500, 200], "one failure, then exactly one accepted delivery")
        XCTAssertEqual(Set(requests.compactMap { $0["idempotency_key"] as? String }), [sent["token"] as! String])
        let body = try JSONSerialization.jsonObject(with: Data((requests[1]["body"] as! String).utf8)) as? [String: Any]
        XCTAssertEqual(body?["id"] as? String, sent["token"] as? String)
        XCTAssertEqual((body?["recipient"] as? [String: Any])?["name"] as? String, "Kênh Zalo OA")
        XCTAssertEqual(requests[1]["content_type"] as? String, "application/json; charset=utf-8")
    }

    func testAClientErrorIsDeadAtOnceAndCanBeRetried() throws {
        let scratch = Scratch()
        let hook = try WebhookSink(scratch: scratch, statuses: [404])
        let daemon = try self.daemon(sendmail: "/bin/false", scratch: scratch)
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("recipient", "add", "gone", "--name", "Gone", "--webhook", hook.url).ok()
        daemon.opsctl("recipient", "test", "gone").ok()
        let dead = daemon.waitForDelivery(1) { $0["state"] as? String == "dead" }
        XCTAssertTrue((dead["last_error"] as? String)?.contains("not retried") == true, "\(dead)")
        let status = daemon.opsctl("status", "--json").ok().object
        XCTAssertEqual((status["outbox"] as? [String: Any])?["dead"] as? Int, 1)
        XCTAssertTrue((status["warnings"] as? [String])?.contains { $0.contains("outbox retry --dead") } == true)

        XCTAssertTrue(daemon.opsctl("outbox", "retry", "1").ok().stdout.contains("queued again"))
        daemon.waitForDelivery(1) { $0["attempts"] as? Int == 2 && $0["state"] as? String == "dead" }
        XCTAssertEqual(daemon.opsctl("outbox", "retry", "--dead").ok().stdout, "Queued 1 dead deliveries again\n")
        daemon.waitForDelivery(1) { $0["attempts"] as? Int == 3 }
        XCTAssertEqual(daemon.opsctl("outbox", "retry").status, 2, "an ID or --dead")
        XCTAssertEqual(daemon.opsctl("outbox", "retry", "99").status, 1)
        let show = daemon.opsctl("outbox", "show", "1").ok().stdout
        XCTAssertTrue(show.contains("HTTP 404"), show)
        XCTAssertEqual(hook.requests.count, 3)
    }

    func testALoopbackWebhookIsRefusedUnlessAllowedAndCheckedAgainAtDelivery() throws {
        let scratch = Scratch()
        let hook = try WebhookSink(scratch: scratch, statuses: [200])
        let daemon = try self.daemon(sendmail: "/bin/false", scratch: scratch)
        let refused = daemon.opsctl("recipient", "add", "local", "--name", "Local", "--webhook", hook.url)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("delivery.webhook_allow"), refused.stderr)
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("recipient", "add", "local", "--name", "Local", "--webhook", hook.url).ok()
        // The allow-list is withdrawn before the delivery: it is dead, and nothing reaches the receiver.
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "default").ok()
        daemon.opsctl("recipient", "test", "local").ok()
        let dead = daemon.waitForDelivery(1) { $0["state"] as? String == "dead" }
        XCTAssertTrue((dead["last_error"] as? String)?.contains("delivery.webhook_allow") == true, "\(dead)")
        XCTAssertEqual(hook.requests.count, 0)
    }

    func testARedirectIsNotFollowed() throws {
        let scratch = Scratch()
        let target = try WebhookSink(scratch: scratch, statuses: [200], name: "target")
        let hook = try WebhookSink(scratch: scratch, statuses: [302], location: target.url + "?stolen=1")
        let daemon = try self.daemon(sendmail: "/bin/false", scratch: scratch)
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("recipient", "add", "moved", "--name", "Moved", "--webhook", hook.url).ok()
        daemon.opsctl("recipient", "test", "moved").ok()
        let outcome = daemon.waitForDelivery(1) { ["failed", "dead"].contains($0["state"] as? String ?? "") }
        XCTAssertTrue((outcome["last_error"] as? String)?.contains("redirect not followed (to 127.0.0.1)") == true,
                      "\(outcome)")
        XCTAssertEqual(hook.requests.count, 1)
        XCTAssertEqual(target.requests.count, 0, "the redirect's target got nothing")
    }

    func testAResponseBodyIsNeverStored() throws {
        let scratch = Scratch()
        let secret = "session=SECRET-abc123\u{1b}[31m internal stack trace at /srv/app"
        let hook = try WebhookSink(scratch: scratch, statuses: [500], body: secret)
        let daemon = try self.daemon(sendmail: "/bin/false", scratch: scratch)
        daemon.opsctl("policy", "set", "delivery.webhook_allow", "127.0.0.1").ok()
        daemon.opsctl("recipient", "add", "leaky", "--name", "Leaky", "--webhook", hook.url + "?token=t0ken").ok()
        daemon.opsctl("recipient", "test", "leaky").ok()
        let failed = daemon.waitForDelivery(1) { $0["state"] as? String == "failed" }
        let error = failed["last_error"] as? String ?? ""
        XCTAssertTrue(error.contains("HTTP 500"), error)
        XCTAssertLessThanOrEqual(error.count, 200)
        XCTAssertFalse(error.unicodeScalars.contains { $0.properties.generalCategory == .control }, error)
        let shown = daemon.opsctl("outbox", "show", "1").ok().stdout + daemon.opsctl("audit", "list").ok().stdout
        for leak in ["SECRET", "stack trace"] { XCTAssertFalse(shown.contains(leak), "\(leak) in \(shown)") }
        XCTAssertFalse(error.contains("t0ken"), "the error names the host, not the URL: \(error)")
    }

    func testAFailingMailGivesUpAfterThePolicyWindow() throws {
        let daemon = try self.daemon(sendmail: "echo 'no route to the mail server' >&2; exit 75")
        daemon.opsctl("policy", "set", "delivery.give_up_after", "3h").ok()
        daemon.opsctl("recipient", "add", "ubnd", "--name", "Văn phòng UBND tỉnh", "--email", "vp@laocai.gov.vn").ok()
        daemon.opsctl("recipient", "test", "ubnd").ok()
        let failed = daemon.waitForDelivery(1) { $0["state"] as? String == "failed" }
        XCTAssertTrue((failed["last_error"] as? String)?.contains("exited 75: no route to the mail server") == true, "\(failed)")
        // 1 min, 5 min, 30 min, 2 h: the next retry would fall past 3 h.
        for (index, step) in ["2m", "6m", "31m", "2h"].enumerated() {
            daemon.opsctl("clock", "advance", step).ok()
            daemon.waitForDelivery(1) { $0["attempts"] as? Int == index + 2 }
        }
        let dead = daemon.waitForDelivery(1) { $0["state"] as? String == "dead" }
        XCTAssertEqual(dead["attempts"] as? Int, 5)
        XCTAssertTrue((dead["last_error"] as? String)?.hasPrefix("gave up after 5 attempts") == true, "\(dead)")
    }

    func testAHangingSendmailIsKilledWithItsProcessGroupAndRetried() throws {
        let scratch = Scratch()
        let pids = scratch.file("pids")
        // The command leaves a grandchild that would hold the pipes open.
        let hanging = "sleep 300 & echo $! >> \(pids); wait"
        let daemon = try self.daemon(sendmail: hanging, scratch: scratch)
        daemon.opsctl("policy", "set", "delivery.timeout", "1s").ok()
        daemon.opsctl("recipient", "add", "stttt", "--name", "Sở Thông tin và Truyền thông", "--email", "stttt@laocai.gov.vn").ok()
        daemon.opsctl("recipient", "test", "stttt").ok()
        let failed = daemon.waitForDelivery(1) { $0["state"] as? String == "failed" }
        XCTAssertTrue((failed["last_error"] as? String)?.contains("killed with its process group") == true, "\(failed)")
        let grandchild = try XCTUnwrap(Int32((try String(contentsOfFile: pids, encoding: .utf8)).split(separator: "\n").first ?? ""))
        Wait.until("the sleeping grandchild \(grandchild) was killed too") { !Self.isRunning(grandchild) }
        daemon.opsctl("clock", "advance", "2m").ok()
        daemon.waitForDelivery(1) { $0["attempts"] as? Int == 2 && $0["state"] as? String == "failed" }
    }

    /// Alive and not a zombie (an orphan's zombie waits for a reaper that a
    /// container's pid 1 may never be).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// kill -9 while deliveries are queued and being sent: after a restart
    /// every message is delivered; none is lost (some may come twice, with
    /// the same Message-ID, which is what at-least-once means).
    func testKill9WithDeliveriesInFlightLosesNone() throws {
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let slow = "sleep 0.2; \(sink.sendmail)"
        let daemon = try self.daemon(sendmail: slow, scratch: scratch)
        for n in 0..<10 {
            daemon.opsctl("recipient", "add", "agency-\(n)", "--name", "Cơ quan \(n)", "--email", "a\(n)@laocai.gov.vn").ok()
        }
        for n in 0..<10 { for _ in 0..<3 { daemon.opsctl("recipient", "test", "agency-\(n)").ok() } }
        let tokens = Set(daemon.deliveries().compactMap { $0["token"] as? String })
        XCTAssertEqual(tokens.count, 30)
        // Some out, some in flight, most still queued.
        let deadline = Date().addingTimeInterval(20)
        while daemon.deliveries(state: "sent").count < 3 && Date() < deadline { usleep(50_000) }
        daemon.kill9()

        let restarted = Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sink.sendmail])
        try restarted.start()
        let finished = Date().addingTimeInterval(30)
        while restarted.deliveries(state: "sent").count < 30 && Date() < finished { usleep(100_000) }
        XCTAssertEqual(restarted.deliveries(state: "sent").count, 30, "\(restarted.deliveries())")
        let received = Set(sink.received().compactMap { ($0["message_id"] as? String)?.dropFirst().split(separator: "@").first.map(String.init) })
        XCTAssertEqual(received, tokens, "every delivery arrived at the SMTP server")
        restarted.opsctl("audit", "verify").ok()
        withExtendedLifetime(daemon) {}
    }
}

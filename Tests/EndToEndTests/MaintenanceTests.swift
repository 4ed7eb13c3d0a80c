import Foundation
import XCTest

/// Maintenance windows and their written notices, driven through opsctl
/// with the daemon's test clock.
final class MaintenanceTests: XCTestCase {
    /// A daemon at `now` with a component, two agencies and (optionally) a mail path.
    private func desk(at now: String, sendmail: String = "cat > /dev/null", scratch: Scratch = Scratch()) throws -> Daemon {
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sendmail]).start()
        daemon.opsctl("clock", "set", now).ok()
        daemon.configureNotices()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("component", "add", "payment", "--name", "Thanh toán trực tuyến").ok()
        daemon.opsctl("recipient", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Lào Cai", "--email", "vanthu@stp.laocai.gov.vn", "--group", "agencies").ok()
        daemon.opsctl("recipient", "add", "ubnd-bat-xat", "--name", "UBND huyện Bát Xát", "--email", "vanthu@batxat.laocai.gov.vn", "--group", "agencies").ok()
        return daemon
    }

    @discardableResult
    private func plan(_ daemon: Daemon, kind: String = "maintenance", start: String, end: String,
                      extra: [String] = [], component: String = "portal") -> String {
        let result = daemon.opsctl(["maintenance", "plan", "--title", "Bảo trì máy chủ ứng dụng", "--kind", kind, "--start", start,
                                    "--end", end, "--component", component, "--group", "agencies", "--json"] + extra).ok()
        return result.object["ref"] as? String ?? ""
    }

    func testLeadTimeCountsWorkingDaysAcrossAWeekendAndAHoliday() throws {
        let daemon = try desk(at: "2026-12-04 10:00")          // a Friday
        daemon.opsctl("holiday", "add", "2026-12-09", "--name", "Ngày nghỉ bù").ok()   // the Wednesday after
        let upgrade = plan(daemon, kind: "upgrade", start: "2026-12-14 22:00", end: "2026-12-15 02:00",
                           extra: ["--no-data-change", "--reason", "chỉ thay máy chủ ứng dụng"])
        let refused = daemon.opsctl("maintenance", "announce", upgrade)
        XCTAssertEqual(refused.status, 1)
        // Mon 7, Tue 8, (Wed 9 holiday), Thu 10, Fri 11, Mon 14: five working days end on Monday 14.
        XCTAssertTrue(refused.stderr.contains("allows a start from 2026-12-15 00:00:00 +07:00"), refused.stderr)
        daemon.opsctl("maintenance", "correct", upgrade, "--start", "2026-12-15 22:00", "--end", "2026-12-16 02:00").ok()
        daemon.opsctl("maintenance", "announce", upgrade).ok()

        let maintenance = plan(daemon, start: "2026-12-07 22:00", end: "2026-12-07 23:30", component: "payment")
        let tooSoon = daemon.opsctl("maintenance", "announce", maintenance)
        XCTAssertEqual(tooSoon.status, 1)
        XCTAssertTrue(tooSoon.stderr.contains("allows a start from 2026-12-08 00:00:00 +07:00"), tooSoon.stderr)
        daemon.opsctl("maintenance", "correct", maintenance, "--start", "2026-12-08 22:00", "--end", "2026-12-08 23:30").ok()
        daemon.opsctl("maintenance", "announce", maintenance).ok()
        XCTAssertTrue(daemon.opsctl("holiday", "list").ok().stdout.contains("Ngày nghỉ bù"))
    }

    func testNoticeNumbersRestartOnTheFirstOfJanuaryLocalTime() throws {
        let daemon = try desk(at: "2026-12-31 23:50")
        var numbers: [String] = []
        var dates: [String] = []
        for (now, start, end) in [("2026-12-31 23:59", "2027-01-01 03:00", "2027-01-01 04:00"),
                                  ("2027-01-01 00:01", "2027-01-01 05:00", "2027-01-01 06:00")] {
            daemon.opsctl("clock", "set", now).ok()
            let ref = plan(daemon, start: start, end: end,
                           extra: ["--emergency", "--reason", "Lỗi nghiêm trọng", "--allow-overlap"])
            daemon.opsctl("maintenance", "approve", ref).ok()
            let announced = daemon.opsctl("maintenance", "announce", ref, "--json").ok().object
            numbers.append((announced["notice"] as? [String: Any])?["number"] as? String ?? "")
            dates.append(daemon.opsctl("maintenance", "notice", ref).ok().stdout)
        }
        XCTAssertEqual(numbers, ["01/TB-STTTT", "01/TB-STTTT"], "31 December 23:59 is 2026's; 1 January 00:01 starts 2027 at 01")
        XCTAssertTrue(dates[0].contains("Lào Cai, ngày 31 tháng 12 năm 2026"), dates[0])
        XCTAssertTrue(dates[1].contains("Lào Cai, ngày 01 tháng 01 năm 2027"), dates[1])
        let windows = daemon.opsctl("maintenance", "list", "--json").ok().object["windows"] as? [[String: Any]] ?? []
        XCTAssertEqual(windows.compactMap { $0["ref"] as? String }, ["MW-2026-0001", "MW-2027-0001"])
        // A second notice the same year takes the next number.
        let ref = plan(daemon, start: "2027-01-01 06:00", end: "2027-01-01 07:00", extra: ["--emergency", "--reason", "Lỗi", "--allow-overlap"])
        daemon.opsctl("maintenance", "approve", ref).ok()
        XCTAssertEqual((daemon.opsctl("maintenance", "announce", ref, "--json").ok().object["notice"] as? [String: Any])?["number"] as? String, "02/TB-STTTT")
    }

    func testAnIssuedNoticeDoesNotChangeWhenTheSettingsDo() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        let ref = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        daemon.opsctl("maintenance", "announce", ref).ok()
        let before = daemon.opsctl("maintenance", "notice", ref).ok().stdout
        let beforeHash = daemon.opsctl("maintenance", "notice", ref, "--json").ok().object["sha256"] as? String
        daemon.opsctl("user", "add", "binh", "--uid", "4243", "--role", "supervisor",
                      "--full-name", "Trần Thị Bình").ok()
        daemon.opsctl("notice", "signer", "--user", "binh", "--title", "Giám đốc").ok()
        daemon.opsctl("policy", "set", "notice.hotline", "0214 9 999 999").ok()
        XCTAssertEqual(daemon.opsctl("maintenance", "notice", ref).ok().stdout, before)
        XCTAssertEqual(daemon.opsctl("maintenance", "notice", ref, "--json").ok().object["sha256"] as? String, beforeHash)
        XCTAssertTrue(before.contains("Nguyễn Văn An"))
        let draft = daemon.opsctl("maintenance", "notice", ref, "--draft").ok().stdout
        XCTAssertTrue(draft.contains("Trần Thị Bình") && draft.contains("Số:       /TB-STTTT"), draft)
        let shown = daemon.opsctl("maintenance", "show", ref, "--json").ok().object
        XCTAssertEqual(((shown["notices"] as? [[String: Any]])?.first?["text_sha256"] as? String), beforeHash)
    }

    func testACorrectionIsANewNoticeThatReplacesTheOldOneWithoutEditingIt() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        let ref = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        daemon.opsctl("maintenance", "announce", ref).ok()
        let original = daemon.opsctl("maintenance", "notice", ref).ok().stdout
        XCTAssertEqual(daemon.opsctl("maintenance", "correct", ref, "--advice", "nộp hồ sơ trực tiếp tại Bộ phận một cửa").status, 2, "needs --reason once announced")
        let corrected = daemon.opsctl("maintenance", "correct", ref, "--advice", "nộp hồ sơ trực tiếp tại Bộ phận một cửa",
                                      "--reason", "bổ sung khuyến nghị").ok()
        XCTAssertTrue(corrected.stdout.contains("notice 02/TB-STTTT, which replaces 01/TB-STTTT (left unchanged)"), corrected.stdout)
        let inForce = daemon.opsctl("maintenance", "notice", ref).ok().stdout
        XCTAssertTrue(inForce.contains("Thông báo này thay thế Thông báo số 01/TB-STTTT ngày 07/12/2026"), inForce)
        XCTAssertTrue(inForce.contains("nộp hồ sơ trực tiếp tại Bộ phận một cửa"))
        let notices = daemon.opsctl("maintenance", "show", ref, "--json").ok().object["notices"] as? [[String: Any]] ?? []
        XCTAssertEqual(notices.compactMap { $0["number"] as? String }, ["01/TB-STTTT", "02/TB-STTTT"])
        XCTAssertEqual(notices.compactMap { $0["purpose"] as? String }, ["announcement", "replacement"])
        // The first notice, printed from the store, is still what was sent.
        let stored = try XCTUnwrap(notices.first?["text_sha256"] as? String)
        XCTAssertEqual(stored, sha256(original))
        let cancelled = daemon.opsctl("maintenance", "cancel", ref, "--reason", "hoãn sang quý sau").ok()
        XCTAssertTrue(cancelled.stdout.contains("notice 03/TB-STTTT"), cancelled.stdout)
        XCTAssertTrue(daemon.opsctl("maintenance", "notice", ref).ok().stdout.contains("hủy kế hoạch tạm dừng"))
    }

    func testAnEmergencyNeedsASupervisorsApprovalAndSaysItIsUrgent() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        XCTAssertEqual(daemon.opsctl("maintenance", "plan", "--title", "Vá lỗ hổng", "--kind", "maintenance", "--start", "2026-12-07 10:00",
                                     "--end", "2026-12-07 11:00", "--component", "portal", "--group", "agencies", "--emergency").status, 2)
        let ref = plan(daemon, start: "2026-12-07 12:00", end: "2026-12-07 12:30",
                       extra: ["--emergency", "--reason", "vá lỗ hổng bảo mật nghiêm trọng", "--in-service-hours"])
        let refused = daemon.opsctl("maintenance", "announce", ref)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("maintenance approve"), refused.stderr)
        daemon.opsctl("user", "add", "operator-on-duty", "--uid", "65534", "--role", "operator").ok()
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "maintenance", "approve", ref).status, 3, "operators do not approve")
        daemon.opsctl("maintenance", "approve", ref).ok()
        daemon.opsctl("maintenance", "announce", ref).ok()
        let notice = daemon.opsctl("maintenance", "notice", ref).ok().stdout
        XCTAssertTrue(notice.contains("[KHẨN]\nTHÔNG BÁO"), notice)   // framed: [ ] in the text
        XCTAssertTrue(notice.contains("Do cần xử lý khẩn cấp: vá lỗ hổng bảo mật nghiêm trọng"), notice)
        XCTAssertTrue(notice.contains("trùng với giờ làm việc"), "in service hours, and the notice says so")
    }

    func testOverlapOnASharedComponentAndServiceHoursAreRefused() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        let overlap = daemon.opsctl("maintenance", "plan", "--title", "x", "--kind", "maintenance", "--start", "2026-12-11 01:00",
                                    "--end", "2026-12-11 03:00", "--component", "payment,portal")
        XCTAssertEqual(overlap.status, 1)
        XCTAssertTrue(overlap.stderr.contains("overlaps MW-2026-0001") && overlap.stderr.contains("--allow-overlap"), overlap.stderr)
        plan(daemon, start: "2026-12-11 01:00", end: "2026-12-11 03:00", component: "payment")   // no shared component
        plan(daemon, start: "2026-12-11 01:00", end: "2026-12-11 03:00", extra: ["--allow-overlap"])
        let daytime = daemon.opsctl("maintenance", "plan", "--title", "x", "--kind", "maintenance", "--start", "2026-12-14 16:00",
                                    "--end", "2026-12-14 18:00", "--component", "portal")
        XCTAssertEqual(daytime.status, 1)
        XCTAssertTrue(daytime.stderr.contains("service hours") && daytime.stderr.contains("--in-service-hours"), daytime.stderr)
        plan(daemon, start: "2026-12-12 10:00", end: "2026-12-12 12:00")   // a Saturday: not service hours
        XCTAssertEqual(daemon.opsctl("maintenance", "plan", "--title", "x", "--kind", "maintenance", "--start", "2026-12-14 18:00",
                                     "--end", "2026-12-14 17:00", "--component", "portal").status, 2)
        XCTAssertEqual(daemon.opsctl("maintenance", "plan", "--title", "x", "--kind", "maintenance", "--start", "2026-12-14 18:00",
                                     "--end", "2026-12-14 19:00", "--component", "nope").status, 1)
    }

    func testALifecycleWithReminderStartExtensionCompletionAndAcknowledgements() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        let ref = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        daemon.opsctl("maintenance", "announce", ref).ok()
        XCTAssertEqual(daemon.opsctl("maintenance", "ack", ref, "--recipient", "so-tu-phap", "--by", "Văn thư, điện thoại").status, 0)
        XCTAssertEqual(daemon.opsctl("maintenance", "ack", ref, "--recipient", "so-tu-phap").status, 1, "already acknowledged")
        XCTAssertEqual(daemon.opsctl("maintenance", "ack", ref, "--recipient", "stranger").status, 1)
        let shown = daemon.opsctl("maintenance", "show", ref, "--json").ok().object
        XCTAssertEqual(shown["not_acknowledged"] as? [String], ["ubnd-bat-xat"])
        XCTAssertTrue(daemon.opsctl("status").ok().stdout.contains("1 announced window(s) with recipients who have not confirmed"))

        // The reminder goes a day before the start, citing the notice.
        daemon.opsctl("clock", "set", "2026-12-09 22:30").ok()
        let deadline = Date().addingTimeInterval(10)
        var reminders: [[String: Any]] = []
        while reminders.count < 2 && Date() < deadline {
            reminders = daemon.deliveries().filter { ($0["message_id"] as? Int) != nil && $0["recipient"] != nil }
                .filter { daemon.opsctl("outbox", "show", String($0["id"] as! Int), "--json").object["kind"] as? String == "maintenance-reminder" }
            usleep(200_000)
        }
        XCTAssertEqual(reminders.count, 2, "one reminder per recipient")
        let reminder = daemon.opsctl("outbox", "show", String(reminders[0]["id"] as! Int), "--json").ok().object
        XCTAssertTrue((reminder["subject"] as? String)?.hasPrefix("[Nhắc lịch]") == true)
        XCTAssertTrue(daemon.opsctl("audit", "list", "--command", "maintenance.reminder").ok().stdout.contains("citing notice 01/TB-STTTT"))

        let early = daemon.opsctl("maintenance", "start", ref)
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.stderr.contains("start at or after"), early.stderr)
        daemon.opsctl("clock", "set", "2026-12-10 22:00").ok()
        // Both agencies got the notice; this desk has no public channel (ArrivalProofTests covers that rule).
        daemon.opsctl("policy", "set", "maintenance.start_requires", "agencies").ok()
        daemon.opsctl("maintenance", "start", ref).ok()
        XCTAssertTrue(daemon.opsctl("status").ok().stdout.contains("in progress"))
        XCTAssertEqual(daemon.opsctl("maintenance", "extend", ref, "--end", "2026-12-11 01:00", "--reason", "x").status, 2, "must be later")
        let extended = daemon.opsctl("maintenance", "extend", ref, "--end", "2026-12-11 04:00", "--reason", "sao lưu dữ liệu kéo dài").ok()
        XCTAssertTrue(extended.stdout.contains("with notice 02/TB-STTTT, which replaces 01/TB-STTTT"), extended.stdout)
        XCTAssertTrue(daemon.opsctl("maintenance", "notice", ref).ok().stdout.contains("đến 04 giờ 00 ngày 11/12/2026"))
        daemon.opsctl("clock", "set", "2026-12-11 03:30").ok()
        daemon.opsctl("maintenance", "complete", ref).ok()
        let done = daemon.opsctl("maintenance", "show", ref, "--json").ok().object
        XCTAssertEqual(done["state"] as? String, "completed")
        let kinds = Set(daemon.deliveries().compactMap { d in
            daemon.opsctl("outbox", "show", String(d["id"] as! Int), "--json").object["kind"] as? String })
        XCTAssertEqual(kinds, ["notice", "maintenance-reminder", "maintenance-started", "maintenance-completed"])
        XCTAssertEqual(daemon.opsctl("maintenance", "cancel", ref, "--reason", "x").status, 1, "a completed window cannot be cancelled")
    }

    func testTheCalendarFeedParsesWithARealICalendarLibrary() throws {
        let daemon = try desk(at: "2026-12-07 09:00")
        let first = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        let second = plan(daemon, start: "2026-12-12 22:00", end: "2026-12-13 01:00", component: "payment")
        daemon.opsctl("maintenance", "announce", first).ok()
        daemon.opsctl("maintenance", "correct", first, "--title", "Bảo trì máy chủ ứng dụng; thay ổ đĩa, cập nhật", "--reason", "đổi tên").ok()
        daemon.opsctl("maintenance", "cancel", second, "--reason", "không cần").ok()
        let file = daemon.scratch.file("maintenance.ics")
        daemon.opsctl("maintenance", "calendar", "--output", file).ok()
        let parsed = Run.process("/usr/bin/env", ["python3", "-c", """
            import json, sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = [{"uid": str(e["UID"]), "sequence": int(e["SEQUENCE"]), "status": str(e["STATUS"]),
                       "summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART").isoformat(),
                       "end": e.decoded("DTEND").isoformat()} for e in cal.walk("VEVENT")]
            print(json.dumps(events, ensure_ascii=False))
            """, file]).ok()
        let events = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events[0]["uid"] as? String, "mw-2026-0001@portalops")
        XCTAssertEqual(events[0]["summary"] as? String, "[MW-2026-0001] Bảo trì máy chủ ứng dụng; thay ổ đĩa, cập nhật")
        XCTAssertEqual(events[0]["start"] as? String, "2026-12-10T22:00:00+07:00")
        XCTAssertEqual(events[0]["status"] as? String, "CONFIRMED")
        XCTAssertEqual(events[1]["status"] as? String, "CANCELLED")
        let sequenceBefore = events[0]["sequence"] as? Int ?? 0
        daemon.opsctl("maintenance", "correct", first, "--advice", "dùng dịch vụ bưu chính công ích", "--reason", "bổ sung").ok()
        daemon.opsctl("maintenance", "calendar", "--output", file).ok()
        let again = Run.process("/usr/bin/env", ["python3", "-c",
            "import sys, icalendar; print([int(e['SEQUENCE']) for e in icalendar.Calendar.from_ical(open(sys.argv[1],'rb').read()).walk('VEVENT')][0])", file]).ok()
        XCTAssertGreaterThan(Int(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, sequenceBefore, "SEQUENCE rises on change")
        let raw = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(raw.contains("\r\n") && !raw.split(separator: "\r\n").contains { $0.utf8.count > 75 }, "CRLF lines folded at 75 octets")
    }

    func testTheHTMLNoticePrintsOnA4WithChromium() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            throw XCTSkip("chromium and poppler-utils are installed by scripts/setup.sh")
        }
        let daemon = try desk(at: "2026-12-07 09:00")
        let ref = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        daemon.opsctl("maintenance", "announce", ref).ok()
        let html = daemon.scratch.file("notice.html"), pdf = daemon.scratch.file("notice.pdf")
        daemon.opsctl("maintenance", "notice", ref, "--format", "html", "--output", html).ok()
        Run.process("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                          "--user-data-dir=\(daemon.scratch.file("chromium"))", "--print-to-pdf=\(pdf)", "file://\(html)"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: pdf), "chromium printed the notice")
        let text = Run.process("/usr/bin/pdftotext", ["-layout", pdf, "-"]).ok().stdout
        for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 01/TB-STTTT",
                         "Lào Cai, ngày 07 tháng 12 năm 2026", "THÔNG BÁO", "Nơi nhận:"] {
            XCTAssertTrue(text.contains(expected), "\(expected) in the PDF:\n\(text)")
        }
        let info = Run.process("/usr/bin/pdfinfo", [pdf]).stdout
        XCTAssertTrue(info.contains("595.") && info.contains("841.") || info.contains("A4"), "A4 page: \(info)")
    }

    func testTheAnnouncedNoticeArrivesByMail() throws {
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let daemon = try desk(at: "2026-12-07 09:00", sendmail: sink.sendmail, scratch: scratch)
        let ref = plan(daemon, start: "2026-12-10 22:00", end: "2026-12-11 02:00")
        daemon.opsctl("maintenance", "announce", ref).ok()
        let deadline = Date().addingTimeInterval(20)
        while sink.received().count < 2 && Date() < deadline { usleep(200_000) }
        let mails = sink.received()
        XCTAssertEqual(mails.count, 2)
        let mail = try XCTUnwrap(mails.first { ($0["to"] as? String)?.contains("stp.laocai.gov.vn") == true })
        XCTAssertEqual(mail["subject"] as? String, "Thông báo số 01/TB-STTTT về việc tạm dừng hoạt động Cổng dịch vụ công tỉnh Lào Cai để bảo trì hệ thống")
        XCTAssertTrue((mail["text"] as? String)?.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == true)
        XCTAssertTrue((mail["text"] as? String)?.contains("- Sở Tư pháp tỉnh Lào Cai;") == true)
        XCTAssertTrue((mail["html"] as? String)?.contains("Số: 01/TB-STTTT") == true)
        XCTAssertEqual(mail["attachments"] as? [String], ["thong-bao-01-TB-STTTT.pdf"])
    }

    private func sha256(_ text: String) -> String {
        let file = Scratch()
        let path = file.file("t")
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return String(Run.process("/usr/bin/sha256sum", [path]).stdout.prefix(64))
    }
}

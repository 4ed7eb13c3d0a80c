import Foundation
import XCTest

/// Issue 15 items 4 and 6: `opsd --publish DIR` keeps a public status site that real tools read —
/// `feedparser` the Atom feed, `json` the status, `icalendar` the maintenance calendar, headless
/// Chromium the page (no console errors; a screenshot kept) — and that never names a security
/// incident, an internal note or a person.
final class PublicationTests: XCTestCase {
    func testTheSiteIsPublishedReadByRealToolsAndKeepsSecretsOut() throws {
        let scratch = Scratch()
        let site = scratch.file("site")
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let arguments = ["--test-clock", "--socket-mode", "0666", "--sendmail", "cat > /dev/null", "--publish", site]
        let daemon = try Daemon(scratch: scratch, arguments: arguments).start()
        daemon.opsctl("clock", "set", "2026-12-07 09:00").ok()
        daemon.configureNotices()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("component", "add", "payment", "--name", "Thanh toán trực tuyến").ok()
        daemon.opsctl("recipient", "add", "stp", "--name", "Sở Tư pháp", "--email", "vt@stp.vn",
                      "--group", "agencies").ok()
        let window = daemon.opsctl("maintenance", "plan", "--title", "Bảo trì máy chủ ứng dụng",
                                   "--kind", "maintenance",
                                   "--start", "2026-12-10 22:00", "--end", "2026-12-11 02:00", "--component", "portal",
                                   "--group", "agencies", "--json").ok().object["ref"] as? String ?? ""
        daemon.opsctl("maintenance", "announce", window).ok()
        let outage = daemon.opsctl("incident", "open", "--title", "Thanh toán trực tuyến không thực hiện được",
                                   "--severity", "sev1", "--component", "payment", "--json")
            .ok().object["ref"] as? String ?? ""
        daemon.opsctl("incident", "note", outage, "Nội bộ: lỗi do nhà cung cấp X, anh Lan đang gọi").ok()
        daemon.opsctl("incident", "publish", outage, "--text", "Đang khắc phục sự cố thanh toán trực tuyến").ok()
        daemon.opsctl("incident", "open", "--title", "Dò quét mật khẩu quản trị", "--severity", "sev2",
                      "--component", "portal", "--security").ok()

        let status = site + "/status.json"
        XCTAssertTrue(Wait.until("the site shows the published incident") {
            (try? String(contentsOfFile: status, encoding: .utf8))?.contains(outage) ?? false
        })
        let all = try ["index.html", "status.json", "feed.atom", "maintenance.ics"].map {
            try String(contentsOfFile: site + "/" + $0, encoding: .utf8)
        }.joined()
        for secret in ["Dò quét", "SEC-", "Nội bộ", "anh Lan", "giamdoc", "Nguyễn Văn An"] {
            XCTAssertFalse(all.contains(secret), "the public site gives away '\(secret)'")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: status)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644, "the web server reads it")

        let read = Run.process("/usr/bin/env", ["python3", "-c", """
            import json, sys, feedparser, icalendar
            site = sys.argv[1]
            status = json.load(open(site + '/status.json', encoding='utf-8'))
            states = {c['key']: c['state'] for c in status['components']}
            feed = feedparser.parse(site + '/feed.atom')
            assert not feed.bozo, feed.bozo_exception
            cal = icalendar.Calendar.from_ical(open(site + '/maintenance.ics', 'rb').read())
            print(json.dumps({'states': states, 'incidents': [i['ref'] for i in status['incidents']],
                              'notices': [n['number'] for w in status['maintenance'] for n in w['notices']],
                              'entries': [e.title for e in feed.entries], 'feed': feed.feed.title,
                              'events': [str(e['SUMMARY']) for e in cal.walk('VEVENT')]}, ensure_ascii=False))
            """, site]).ok()
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["states"] as? [String: String], ["payment": "outage", "portal": "operational"])
        XCTAssertEqual(parsed["incidents"] as? [String], [outage])
        XCTAssertEqual((parsed["notices"] as? [String])?.count, 1)
        let entries = parsed["entries"] as? [String] ?? []
        XCTAssertTrue(entries.contains { $0.contains("Thanh toán trực tuyến không thực hiện được") }, "\(entries)")
        XCTAssertTrue(entries.contains { $0.contains("Bảo trì máy chủ ứng dụng") }, "\(entries)")
        XCTAssertEqual((parsed["events"] as? [String])?.count, 1)
        let number = (parsed["notices"] as? [String])?.first ?? ""
        let pdf = site + "/notices/" + number.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() + ".pdf"
        XCTAssertTrue(FileManager.default.fileExists(atPath: pdf), "the notice's PDF is published beside the page")

        // A change is published by itself: the incident resolved moves it to the recent list.
        daemon.opsctl("incident", "resolve", outage, "--cause", "Lỗi cấu hình", "--resolution", "Đã sửa").ok()
        XCTAssertTrue(Wait.until("the page shows the payment component operational again") {
            let text = (try? String(contentsOfFile: status, encoding: .utf8)) ?? "outage"
            return !text.contains("\"outage\"") && text.contains("\"resolved_at\":\"2026-12-07")
        })
        try renderWithChromium(site + "/index.html", scratch: scratch)
    }

    /// Headless Chromium loads the page with JavaScript off and logs no console error; the screenshot is
    /// kept in the scratch directory as the test's artefact.
    private func renderWithChromium(_ page: String, scratch: Scratch) throws {
        try NoticeTools.require(["/usr/bin/chromium"])
        let shot = scratch.file("status-page.png")
        let result = Run.process("/usr/bin/chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-javascript", "--enable-logging=stderr",
            "--v=0", "--user-data-dir=\(scratch.file("chromium"))", "--window-size=1000,1400",
            "--screenshot=\(shot)", "file://\(page)",
        ])
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot), result.stderr)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("ERROR") }
        XCTAssertTrue(errors.isEmpty, errors.joined(separator: "\n"))
        print("status page screenshot: \(shot)")
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 16 item 4: every writer of a file format is fed every C0 control
/// character (and CR alone, LF alone, CRLF) in every text field it writes,
/// and the result is read back by a real parser (Python's icalendar, email,
/// csv and html.parser): no control character may start a new property,
/// header, record or element.
final class WriterEscapingTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    /// Each payload puts one separator between text and something that would
    /// be a new property or header if the separator were taken as a line end.
    static var payloads: [(name: String, text: String)] {
        var list = (0x00...0x1F).map { value in
            (String(format: "U+%04X", value), "A\(Character(Unicode.Scalar(UInt8(value))))X-INJECTED:1")
        }
        list.append(("CR alone", "A\rX-INJECTED:1"))
        list.append(("LF alone", "A\nX-INJECTED:1"))
        list.append(("CRLF", "A\r\nX-INJECTED:1"))
        list.append(("DEL", "A\u{7F}X-INJECTED:1"))
        return list
    }

    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "portalops-writers-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        return directory
    }

    /// Runs a Python script on the files and returns what it printed as JSON.
    private func python(_ script: String, _ files: [String], file: StaticString = #filePath,
                        line: UInt = #line) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: errors, as: UTF8.self), file: file, line: line)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    /// No raw control character except the format's own line ends.
    private func assertNoStrayControls(_ text: String, lineEnd: String, _ what: String,
                                       file: StaticString = #filePath, line: UInt = #line) {
        for (number, part) in text.components(separatedBy: lineEnd).enumerated() {
            let bad = part.unicodeScalars.first { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
            XCTAssertNil(bad, "\(what): line \(number + 1) holds U+\(String(format: "%04X", bad?.value ?? 0)): "
                         + part.debugDescription, file: file, line: line)
        }
    }

    func window(_ text: String) -> MaintenanceWindow {
        MaintenanceWindow(id: 1, ref: "MW-2026-0007", title: "T\(text)", kind: .maintenance, state: .announced,
                          start: 1_800_000_000_000, end: 1_800_003_600_000, components: ["payment"], groups: [],
                          impact: "I\(text)", advice: "V\(text)", emergency: false, reason: nil, approvedBy: nil,
                          inServiceHours: false, actualStart: nil, actualEnd: nil, reminderSentAt: nil, revision: 2,
                          createdAt: 0, createdBy: "admin")
    }

    func testICalendarEscapesEveryControlCharacter() throws {
        let directory = try scratch()
        var files: [String] = []
        for (index, payload) in Self.payloads.enumerated() {
            let rendered = ICalendar(time: time).render([window(payload.text)], componentNames: ["payment": "P\(payload.text)"],
                                                        stamp: 1_800_000_000_000, portal: "C\(payload.text)")
            assertNoStrayControls(rendered, lineEnd: "\r\n", "iCalendar with \(payload.name)")
            let path = "\(directory)/\(index).ics"
            try Data(rendered.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        let results = try python("""
            import sys, json, icalendar
            out = []
            for path in sys.argv[1:]:
                cal = icalendar.Calendar.from_ical(open(path, 'rb').read())
                events = list(cal.walk('VEVENT'))
                out.append({"calendar": sorted(cal.keys()), "events": len(events),
                            "props": sorted(set(k for e in events for k in e.keys())),
                            "summary": str(events[0]['SUMMARY']) if events else "",
                            "description": str(events[0]['DESCRIPTION']) if events else ""})
            print(json.dumps(out))
            """, files)
        XCTAssertEqual(results.count, Self.payloads.count)
        let expected = ["CATEGORIES", "DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "SEQUENCE", "STATUS", "SUMMARY",
                        "TRANSP", "UID"]
        for (payload, result) in zip(Self.payloads, results) {
            XCTAssertEqual(result["events"] as? Int, 1, payload.name)
            XCTAssertEqual(result["props"] as? [String], expected, "\(payload.name): \(result)")
            XCTAssertFalse((result["calendar"] as? [String] ?? []).contains("X-INJECTED"), payload.name)
            let summary = result["summary"] as? String ?? ""
            XCTAssertTrue(summary.hasPrefix("[MW-2026-0007] T") && summary.hasSuffix("X-INJECTED:1"),
                          "\(payload.name): \(summary.debugDescription)")
        }
    }

    func testMailHeadersAndBodiesSurviveEveryControlCharacter() throws {
        let directory = try scratch()
        var files: [String] = []
        for (index, payload) in Self.payloads.enumerated() {
            let message = OutgoingMessage(kind: "notice", subject: "S\(payload.text)", text: "B\(payload.text)",
                                          html: "<p>H</p>", attachments: [
                                            .init(filename: "F\(payload.text).pdf", contentType: "application/pdf",
                                                  content: [1, 2, 3])])
            let mail = MailMessage(from: MailAddress(name: "N\(payload.text)", address: "ops@example.vn"),
                                   to: MailAddress(name: "R\(payload.text)", address: "stp@example.vn"),
                                   date: 1_800_000_000_000, time: time, token: "tok\(index)", message: message)
            let rendered = mail.rendered()
            assertNoStrayControls(rendered, lineEnd: "\n", "mail with \(payload.name)")
            let path = "\(directory)/\(index).eml"
            try Data(rendered.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        let results = try python("""
            import sys, json, email, email.policy
            out = []
            for path in sys.argv[1:]:
                msg = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
                text = msg.get_body(preferencelist=('plain',))
                files = [part.get_filename() for part in msg.iter_attachments()]
                out.append({"headers": sorted(set(k.lower() for k in msg.keys())), "subject": str(msg['Subject']),
                            "text": text.get_content() if text is not None else None, "files": files,
                            "from": msg['From'].addresses[0].addr_spec, "to": msg['To'].addresses[0].addr_spec})
            print(json.dumps(out))
            """, files)
        XCTAssertEqual(results.count, Self.payloads.count)
        let expected = ["auto-submitted", "content-type", "date", "from", "message-id", "mime-version", "subject", "to",
                        "x-portalops-delivery"]
        for (payload, result) in zip(Self.payloads, results) {
            XCTAssertEqual(result["headers"] as? [String], expected, "\(payload.name): \(result)")
            XCTAssertEqual(result["from"] as? String, "ops@example.vn", payload.name)
            XCTAssertEqual(result["to"] as? String, "stp@example.vn", payload.name)
            XCTAssertEqual(result["text"] as? String, "B\(payload.text)", payload.name)
            XCTAssertEqual((result["files"] as? [String])?.count, 1, payload.name)
        }
    }

    func testCSVWriterRoundTripsEveryControlCharacter() throws {
        let directory = try scratch()
        let rows = Self.payloads.map { [$0.name, "x\($0.text)", "=1+2", "plain"] }
        let path = "\(directory)/export.csv"
        try Data(CSV.format(rows).utf8).write(to: URL(fileURLWithPath: path))
        let results = try python("""
            import sys, json, csv
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps([{"fields": row} for row in csv.reader(f)]))
            """, [path])
        XCTAssertEqual(results.count, rows.count)
        for (row, result) in zip(rows, results) {
            XCTAssertEqual(result["fields"] as? [String], [row[0], row[1], "'=1+2", "plain"], row[0])
        }
    }

    func testHTMLEscapingKeepsEveryControlCharacterInsideItsElement() throws {
        let directory = try scratch()
        var files: [String] = []
        for (index, payload) in Self.payloads.enumerated() {
            let page = "<!DOCTYPE html><html><body><p title=\"\(HTML.escape(payload.text))\">"
                + HTML.escape("<b>\(payload.text)</b>") + "</p></body></html>\n"
            assertNoStrayControls(page, lineEnd: "\n", "HTML with \(payload.name)")
            let path = "\(directory)/\(index).html"
            try Data(page.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        let results = try python("""
            import sys, json
            from html.parser import HTMLParser
            class P(HTMLParser):
                def __init__(self):
                    super().__init__(); self.tags = []; self.data = ""
                def handle_starttag(self, tag, attrs): self.tags.append(tag)
                def handle_data(self, data): self.data += data
            out = []
            for path in sys.argv[1:]:
                p = P(); p.feed(open(path, encoding='utf-8').read()); p.close()
                out.append({"tags": p.tags, "data": p.data})
            print(json.dumps(out))
            """, files)
        XCTAssertEqual(results.count, Self.payloads.count)
        for (payload, result) in zip(Self.payloads, results) {
            XCTAssertEqual(result["tags"] as? [String], ["html", "body", "p"], payload.name)
            let data = result["data"] as? String ?? ""
            XCTAssertTrue(data.hasPrefix("<b>A") && data.contains("X-INJECTED:1</b>"),
                          "\(payload.name): \(data.debugDescription)")
        }
    }
}

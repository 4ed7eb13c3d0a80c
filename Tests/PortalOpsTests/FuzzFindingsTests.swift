import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Inputs scripts/fuzz.sh showed breaking a writer's invariant (issue 18 item 1); each is also in
/// Fuzz/Corpus/<target>/ so the fuzzers start from it.
final class FuzzFindingsTests: XCTestCase {
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    /// FuzzICalendar: a letter with 40 combining marks is one Character of 81 octets; folding by Character
    /// wrote it on one line longer than RFC 5545's 75 octets.
    func testICalendarFoldsALongCombiningSequenceWithinSeventyFiveOctets() {
        let title = "Cập nhật e" + String(repeating: "\u{301}", count: 40) + " xong"
        let window = MaintenanceWindow(
            id: 1, ref: "MW-2026-0007", title: title, kind: .maintenance, state: .announced,
            start: 1_800_000_000_000, end: 1_800_003_600_000, components: ["payment"], groups: [], impact: nil,
            advice: nil, emergency: false, reason: nil, approvedBy: nil, inServiceHours: false, actualStart: nil,
            actualEnd: nil, reminderSentAt: nil, revision: 2, createdAt: 0, createdBy: "admin")
        let calendar = ICalendar(time: time).render([window], componentNames: [:], stamp: 1_800_000_000_000,
                                                    portal: "Cổng")
        for line in calendar.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.utf8.count, 75, line)
        }
        // Unfolded octet by octet, as readers do: at the Character level "\r\n" + " \u{301}" is no "\r\n ".
        let unfolded = Self.unfold(calendar)
        XCTAssertTrue(unfolded.contains("SUMMARY:[MW-2026-0007] \(title)"), "\(unfolded)")
    }

    /// FuzzICalendar: Foundation's replacingOccurrences did not match a CRLF followed by a combining mark, so
    /// the one line end was written as two ("\\n\\n").
    func testICalendarWritesACRLFBeforeACombiningMarkAsOneLineEnd() {
        XCTAssertEqual(ICalendar(time: time).escape("a\r\n\u{301}b"), "a\\n\u{301}b")
        XCTAssertEqual(ICalendar(time: time).escape("a\r\r\nb\nc"), "a\\n\\nb\\nc")
    }

    /// FuzzCSV: a first cell starting with U+FEFF was written bare; a reader takes it for the byte-order mark,
    /// drops it and sees "=1+2", the formula the guard exists to stop. It gets the guard's `'` now.
    func testCSVGuardsACellStartingWithAByteOrderMark() throws {
        let written = CSV.format([["\u{FEFF}=1+2", "x"], ["\u{FEFF}"]])
        XCTAssertEqual(written, "'\u{FEFF}=1+2,x\r\n'\u{FEFF}\r\n")
        XCTAssertEqual(try CSV.parse(written).map(\.fields), [["'\u{FEFF}=1+2", "x"], ["'\u{FEFF}"]])
    }

    /// FuzzCSV: a quote followed by a combining mark is one Character, which replacingOccurrences did not
    /// double: the quote closed the field, so the reader refused the export and another reader would have
    /// taken ",=1+2" after it as a new field.
    func testCSVDoublesAQuoteFollowedByACombiningMark() throws {
        let value = "x\"\u{5B9},=1+2"
        let written = CSV.format([[value, "y"]])
        XCTAssertEqual(written, "\"x\"\"\u{5B9},=1+2\",y\r\n")
        XCTAssertEqual(try CSV.parse(written).map(\.fields), [[value, "y"]])
    }

    static func unfold(_ text: String) -> [String] {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if byte == 0x20, bytes.suffix(2) == [0x0D, 0x0A] { bytes.removeLast(2) } else { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    /// FuzzMIME: a recipient's name is free text (CSV import, `recipient add`). A long one made one To line
    /// of 1 220 octets (RFC 5322 allows 998); "=?UTF-8?B?QQ==?=" was shown by mail readers as "A"; and
    /// "Lan, Nguyen" was left bare, so the header read as two addresses.
    func testARecipientNameIsEncodedUnlessShortAndPlain() throws {
        func to(_ name: String) -> String {
            let mail = MailMessage(from: MailAddress(name: nil, address: "ops@example.vn"),
                                   to: MailAddress(name: name, address: "an@example.vn"), date: 1_800_000_000_000,
                                   time: time, token: "d-1",
                                   message: OutgoingMessage(kind: "test", subject: "S", text: "T"))
            let header = mail.rendered().components(separatedBy: "\n\n")[0]
            for line in header.components(separatedBy: "\n") { XCTAssertLessThanOrEqual(line.utf8.count, 998) }
            let field = header.replacingOccurrences(of: "\n ", with: " ").components(separatedBy: "\n")
                .first { $0.hasPrefix("To: ") } ?? ""
            return String(field.dropFirst("To: ".count))
        }
        XCTAssertEqual(to("Nguyen Van A"), "Nguyen Van A <an@example.vn>")
        for name in [String(repeating: "Nguyen Van A", count: 100), "=?UTF-8?B?QQ==?=", "Lan, Nguyen"] {
            let shown = to(name)
            XCTAssertTrue(shown.hasPrefix("=?UTF-8?B?") && shown.hasSuffix(" <an@example.vn>"), shown)
            let words = shown.dropLast(" <an@example.vn>".count).split(separator: " ")
            let decoded = words.map { Data(base64Encoded: String($0.dropFirst(10).dropLast(2))) ?? Data() }
            XCTAssertEqual(String(decoding: decoded.reduce(Data(), +), as: UTF8.self), name)
        }
    }

    /// Every escaper of the console, with a quote or line end followed by a combining mark: Foundation's
    /// replacingOccurrences leaves such a pair (one Character) alone, which let a `'` close a shell quote.
    func testAShellQuoteFollowedByACombiningMarkStaysQuoted() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-shell-\(UUID())").path
        let input = "a'\u{301}; touch \(marker); '"
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "printf %s " + Shell.quoted(input)]
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        XCTAssertEqual(String(decoding: printed, as: UTF8.self), input)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the shell ran what followed the quote")
    }

    func testSQLIdentifiersWithAQuoteBeforeACombiningMarkAreFingerprinted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID()).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try Connection(path: path)
        let table = "t\"\u{301}x", column = "c\"\u{301}"
        try db.execute("CREATE TABLE \"t\"\"\u{301}x\"(\"c\"\"\u{301}\" PRIMARY KEY, v) WITHOUT ROWID")
        try db.execute("INSERT INTO \"t\"\"\u{301}x\" VALUES (1, 'one')")
        let fingerprint = try Fingerprint.of(db)
        XCTAssertEqual(fingerprint.tables[table]?.rows, 1, "table \(table), column \(column)")
    }

    func testPrometheusAndMarkdownEscapeAQuoteOrLineEndBeforeACombiningMark() {
        let label = PrometheusText.escapeLabel("a\"\u{301}b\\\u{301}c\n\u{301}d")
        XCTAssertEqual(label, "a\\\"\u{301}b\\\\\u{301}c\\n\u{301}d")
        XCTAssertEqual(MarkdownReport.cell("a|\u{301}b\n\u{301}c"), "a\\|\u{301}b \u{301}c")
    }
}

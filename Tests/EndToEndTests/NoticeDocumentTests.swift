import Foundation
import XCTest

/// Issue 14, item 8: the notice printed by the real Chromium and read back
/// with poppler's pdftotext, signed with pyHanko and a self-made certificate,
/// checked by opsd with pdfsig. Three Chromium prints in all (seconds each).
final class NoticeDocumentTests: XCTestCase {
    private func daemon(at now: String, sendmail: String = "cat > /dev/null", scratch: Scratch = Scratch(),
                        code: String = "STTTT") throws -> Daemon {
        let daemon = try Daemon(scratch: scratch,
                                arguments: ["--test-clock", "--socket-mode", "0666", "--sendmail", sendmail]).start()
        daemon.opsctl("clock", "set", now).ok()
        daemon.configureNotices(code: code, realPrinter: true)
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("component", "add", "payment", "--name", "Thanh toán trực tuyến").ok()
        return daemon
    }

    private func pdftotext(_ pdf: String, page: Int? = nil) -> String {
        let pages = page.map { ["-f", "\($0)", "-l", "\($0)"] } ?? []
        return Run.process("/usr/bin/pdftotext", ["-layout"] + pages + [pdf, "-"]).ok().stdout
    }

    private func pageCount(_ pdf: String) -> Int {
        let info = Run.process("/usr/bin/pdfinfo", [pdf]).ok().stdout
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    private func sha256(_ path: String) -> String {
        String(Run.process("/usr/bin/sha256sum", [path]).ok().stdout.prefix(64))
    }

    func testTheNoticeIsPrintedOnA4AsAppendixILaysItOut() throws {
        try NoticeTools.require(["/usr/bin/chromium", "/usr/bin/pdftotext", "/usr/bin/pdfinfo", "/usr/bin/pdffonts"])
        let daemon = try daemon(at: "2026-12-01 09:00", code: "VNPT")
        daemon.opsctl("policy", "set", "notice.register", "body").ok()
        // 30 agencies listed one by one, 120 communes as one collective line.
        var csv = "key,name,kind,emails,webhook,groups\n"
        for n in 1...30 { csv += "so-\(n),Sở số \(n) tỉnh Lào Cai,agency,so\(n)@laocai.gov.vn,,agencies\n" }
        for n in 1...120 { csv += "xa-\(n),UBND xã Số \(n),agency,xa\(n)@laocai.gov.vn,,communes\n" }
        let file = daemon.scratch.file("recipients.csv")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        daemon.opsctl("recipient", "import", file).ok()
        daemon.opsctl("notice", "group-line", "communes", "--line", "UBND các xã, phường").ok()
        let ref = daemon.opsctl("maintenance", "plan", "--title", "Nâng cấp máy chủ", "--kind", "maintenance",
                                "--start", "2026-12-03 22:00", "--end", "2026-12-04 02:00",
                                "--component", "payment,portal",
                                "--group", "agencies", "--group", "communes", "--urgency", "thuong-khan", "--json")
            .ok().object["ref"] as? String ?? ""

        // The draft, printed by Chromium as the console lays it out: "DỰ THẢO" on every page.
        let draftHTML = daemon.scratch.file("draft.html"), draftPDF = daemon.scratch.file("draft.pdf")
        daemon.opsctl("maintenance", "notice", ref, "--format", "html", "--output", draftHTML).ok()
        Run.process("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                          "--user-data-dir=\(daemon.scratch.file("chromium"))",
                                          "--print-to-pdf=\(draftPDF)", "file://\(draftHTML)"])
        let draftPages = pageCount(draftPDF)
        XCTAssertGreaterThanOrEqual(draftPages, 2, "the draft runs to a second page")
        for page in 1...max(draftPages, 1) {
            XCTAssertTrue(pdftotext(draftPDF, page: page).contains("DỰ THẢO"), "DỰ THẢO on page \(page)")
        }

        // The issued notice: printed by opsd with the default command (Chromium), frozen.
        daemon.opsctl("maintenance", "announce", ref, "--number", "15/TB-VNPT").ok()
        let pdf = daemon.scratch.file("notice.pdf")
        daemon.opsctl("maintenance", "notice", ref, "--format", "pdf", "--output", pdf).ok()
        let shown = daemon.opsctl("maintenance", "show", ref, "--json").ok().object
        let notice = (shown["notices"] as? [[String: Any]])?.first ?? [:]
        XCTAssertEqual(notice["pdf_sha256"] as? String, sha256(pdf), "the PDF given out is the one frozen")
        let text = pdftotext(pdf)
        let numberLine = text.split(separator: "\n").first { $0.contains("Số: 15/TB-VNPT") } ?? ""
        XCTAssertTrue(numberLine.contains("Lào Cai, ngày 01 tháng 12 năm 2026"),
                      "number and place-date on one line: '\(numberLine)'\n\(text)")
        XCTAssertTrue(text.contains("THƯỢNG KHẨN"))
        XCTAssertFalse(text.contains("DỰ THẢO"))
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(words.contains("Thanh toán trực tuyến, Cổng dịch vụ công tỉnh Lào Cai"), "components as given")
        XCTAssertEqual(text.components(separatedBy: "- UBND các xã, phường;").count, 2, "the communes as one line")
        XCTAssertFalse(text.contains("UBND xã Số"))
        XCTAssertTrue(text.contains("- Sở số 30 tỉnh Lào Cai;"))
        // Page numbers: none on page 1, centred at the top of page 2 on.
        let pages = pageCount(pdf)
        XCTAssertGreaterThanOrEqual(pages, 2)
        func firstLine(_ page: Int) -> String {
            pdftotext(pdf, page: page).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { !$0.isEmpty } ?? ""
        }
        XCTAssertNotEqual(firstLine(1), "1")
        for page in 2...max(pages, 2) { XCTAssertEqual(firstLine(page), "\(page)", "page number on page \(page)") }
        // A4 with the serif font embedded.
        let info = Run.process("/usr/bin/pdfinfo", [pdf]).ok().stdout
        XCTAssertTrue(info.contains("(A4)"), info)
        let fonts = Run.process("/usr/bin/pdffonts", [pdf]).ok().stdout
        XCTAssertTrue(fonts.split(separator: "\n").contains { $0.contains("LiberationSerif") && $0.contains(" yes ") },
                      fonts)
    }

    func testASignedNoticeIsCheckedThenSentAndUnsignedOrTamperedFilesAreRefused() throws {
        try NoticeTools.require(["/usr/bin/chromium", "/usr/bin/pdfsig", "/usr/bin/openssl"])
        let pyhanko = Run.process("/usr/bin/env", ["python3", "-c", "import pyhanko"])
        if pyhanko.status != 0 {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("pyHanko is missing; run scripts/setup.sh")
            }
            throw XCTSkip("pyHanko is missing; run scripts/setup.sh")
        }
        let scratch = Scratch()
        let sink = try MailSink(scratch: scratch)
        let daemon = try daemon(at: "2026-12-01 09:00", sendmail: sink.sendmail, scratch: scratch)
        daemon.opsctl("policy", "set", "notice.signature_required", "true").ok()
        daemon.opsctl("recipient", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Lào Cai",
                      "--email", "vanthu@stp.laocai.gov.vn", "--group", "agencies").ok()
        let ref = daemon.opsctl("maintenance", "plan", "--title", "Bảo trì", "--kind", "maintenance",
                                "--start", "2026-12-03 22:00", "--end", "2026-12-04 02:00", "--component", "portal",
                                "--group", "agencies", "--json").ok().object["ref"] as? String ?? ""
        let announced = daemon.opsctl("maintenance", "announce", ref).ok()
        XCTAssertTrue(announced.stdout.contains("held for the signature"), announced.stdout)
        let unsigned = daemon.scratch.file("unsigned.pdf")
        daemon.opsctl("maintenance", "notice", ref, "--format", "pdf", "--output", unsigned).ok()

        // The signer's token, played by pyHanko with a self-made certificate.
        let key = daemon.scratch.file("key.pem"), cert = daemon.scratch.file("cert.pem")
        Run.process("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                         "-days", "30", "-utf8", "-subj", "/CN=Nguyễn Văn An/O=So TTTT Lao Cai"]).ok()
        let signed = daemon.scratch.file("signed.pdf")
        Run.process("/usr/bin/env", ["python3", Repository.script("sign_pdf.py"), key, cert, unsigned, signed]).ok()

        // Unsigned, unsigned with something appended, and signed then changed: refused, nothing sent.
        let refusedUnsigned = daemon.opsctl("maintenance", "sign", ref, "--signed", unsigned)
        XCTAssertEqual(refusedUnsigned.status, 1)
        XCTAssertTrue(refusedUnsigned.stderr.contains("is not notice 01/TB-STTTT signed"), refusedUnsigned.stderr)
        var appended = try Data(contentsOf: URL(fileURLWithPath: unsigned))
        appended.append(contentsOf: Array("\n% appended\n".utf8))
        let appendedPath = daemon.scratch.file("appended.pdf")
        try appended.write(to: URL(fileURLWithPath: appendedPath))
        let refusedAppended = daemon.opsctl("maintenance", "sign", ref, "--signed", appendedPath)
        XCTAssertEqual(refusedAppended.status, 1)
        XCTAssertTrue(refusedAppended.stderr.contains("carries no digital signature"), refusedAppended.stderr)
        var tampered = [UInt8](try Data(contentsOf: URL(fileURLWithPath: signed)))
        let original = try Data(contentsOf: URL(fileURLWithPath: unsigned)).count
        // A letter of the producer's name in the signed update, after the issued bytes.
        let marker = Array("/Producer (".utf8)
        let at = try XCTUnwrap((original..<(tampered.count - marker.count)).first {
            Array(tampered[$0..<($0 + marker.count)]) == marker
        }) + marker.count
        tampered[at] = tampered[at] == UInt8(ascii: "X") ? UInt8(ascii: "Y") : UInt8(ascii: "X")
        let tamperedPath = daemon.scratch.file("tampered.pdf")
        try Data(tampered).write(to: URL(fileURLWithPath: tamperedPath))
        let refusedTampered = daemon.opsctl("maintenance", "sign", ref, "--signed", tamperedPath)
        XCTAssertEqual(refusedTampered.status, 1)
        XCTAssertTrue(refusedTampered.stderr.contains("changed after it was signed"), refusedTampered.stderr)
        daemon.waitForTicks()
        XCTAssertEqual(sink.received().count, 0, "nothing goes out before the signature")

        // The signed file: accepted, kept, and mailed as the notice.
        let accepted = daemon.opsctl("maintenance", "sign", ref, "--signed", signed).ok()
        XCTAssertTrue(accepted.stdout.contains("Signed notice 01/TB-STTTT (Nguyễn Văn An"), accepted.stdout)
        XCTAssertTrue(accepted.stderr.contains("pdfsig on the signer's certificate"),
                      "a self-made certificate is untrusted")
        let again = daemon.opsctl("maintenance", "sign", ref, "--signed", signed)
        XCTAssertTrue(again.status == 1 && again.stderr.contains("already signed"), again.stderr)
        let kept = daemon.scratch.file("kept.pdf")
        daemon.opsctl("maintenance", "notice", ref, "--format", "signed-pdf", "--output", kept).ok()
        XCTAssertEqual(sha256(kept), sha256(signed))
        Wait.until("the signed notice reaches the mail server") { !sink.received().isEmpty }
        let mail = try XCTUnwrap(sink.received().first)
        XCTAssertEqual(mail["attachments"] as? [String], ["thong-bao-01-TB-STTTT-da-ky.pdf"])
        XCTAssertEqual(mail["subject"] as? String,
                       "Thông báo số 01/TB-STTTT về việc tạm dừng hoạt động Cổng dịch vụ công tỉnh Lào Cai "
                        + "để bảo trì hệ thống")
        let eml = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: sink.directory)
            .first { $0.hasSuffix(".eml") })
        let attached = daemon.scratch.file("attached.pdf")
        Run.process("/usr/bin/env", ["python3", Repository.script("mail_attachment.py"), sink.directory + "/" + eml,
                                     "thong-bao-01-TB-STTTT-da-ky.pdf", attached]).ok()
        XCTAssertEqual(sha256(attached), sha256(signed), "the mail carries the signed PDF, byte for byte")
    }
}

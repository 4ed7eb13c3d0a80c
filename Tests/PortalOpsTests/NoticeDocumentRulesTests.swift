import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 14, items 1–4 in the harness (the quick printer stands in for
/// Chromium; EndToEndTests/NoticeDocumentTests prints and signs for real).
final class NoticeDocumentRulesTests: XCTestCase {
    /// Tuesday 2026-12-01 09:00; two agencies and three communes; a window
    /// Thursday 22:00 – Friday 02:00 on two components given in reverse order.
    private func planned(_ h: CommandHarness, extra: [String: JSON] = [:]) throws -> String {
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công tỉnh Lào Cai"])
        try h.run("component.add", ["key": "payment", "name": "Thanh toán trực tuyến"])
        for (key, name) in [("stp", "Sở Tư pháp"), ("sxd", "Sở Xây dựng")] {
            try h.run("recipient.add", ["key": .string(key), "name": .string(name),
                                        "email": .string("\(key)@example.vn"), "group": "agencies"])
        }
        for n in 1...3 {
            try h.run("recipient.add", ["key": .string("xa-\(n)"), "name": .string("UBND xã Số \(n)"),
                                        "email": .string("xa\(n)@example.vn"), "group": "communes"])
        }
        var plan: [String: JSON] = ["title": "Bảo trì", "kind": "maintenance", "start": "2026-12-03 22:00",
                                    "end": "2026-12-04 02:00", "component": ["payment", "portal"],
                                    "group": ["agencies", "communes"]]
        plan.merge(extra) { $1 }
        return try XCTUnwrap(try h.run("maintenance.plan", plan).data["ref"]?.stringValue)
    }

    private func issued(_ h: CommandHarness, _ ref: String) throws -> Notice {
        try XCTUnwrap(try NoticeStore(h.db).notices(reference: ref).last)
    }

    // MARK: 1. The document

    func testTheLayoutFollowsAppendixI() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("notice.group-line", ["group": "communes", "line": "UBND các xã, phường"])
        let ref = try planned(h, extra: ["urgency": "hoa-toc"])
        try h.run("maintenance.announce", ["window": .string(ref)])
        let notice = try issued(h, ref)
        // Number and place-date on one line (one table row in the HTML).
        XCTAssertTrue(notice.text.contains("Số: 01/TB-STTTT    Lào Cai, ngày 01 tháng 12 năm 2026\n"), notice.text)
        XCTAssertTrue(notice.html.contains("<tr class=\"numbering\">\n<td class=\"number\">Số: 01/TB-STTTT</td>\n"
                                           + "<td class=\"date\">Lào Cai, ngày 01 tháng 12 năm 2026</td>"), notice.html)
        // The rule under the trích yếu: 40% of the subject line's own width.
        XCTAssertTrue(notice.html.contains(".subject .rule { width: 40%;"))
        XCTAssertTrue(notice.html.contains("<div class=\"text\">Về việc tạm dừng hoạt động"))
        // Page numbers from page 2, Times New Roman or Liberation Serif, A4 margins.
        XCTAssertTrue(notice.html.contains("@top-center {\n    content: counter(page);"))
        XCTAssertTrue(notice.html.contains("@page :first { @top-center { content: none; } }"))
        XCTAssertTrue(notice.html.contains("font-family: \"Times New Roman\", \"Liberation Serif\", serif"))
        XCTAssertTrue(notice.html.contains("margin: 20mm 15mm 20mm 30mm"))
        // The framed urgency mark chosen on the window.
        XCTAssertTrue(notice.html.contains("<div class=\"urgency\"><span>HỎA TỐC</span></div>"))
        XCTAssertTrue(notice.text.contains("\n[HỎA TỐC]\nTHÔNG BÁO\n"))
        XCTAssertFalse(notice.html.contains("DỰ THẢO"), "an issued notice is no draft")
        // Nơi nhận: the communes as one line, the agencies each; the archive last.
        XCTAssertTrue(notice.text.hasSuffix("Nơi nhận:\n- Sở Tư pháp;\n- Sở Xây dựng;\n- UBND các xã, phường;\n"
                                            + "- Lưu: VT, CNTT.\n"), notice.text)
        XCTAssertFalse(notice.text.contains("UBND xã Số"))
        XCTAssertEqual(try NoticeStore(h.db).recipients(of: notice.id).count, 5, "every commune still receives it")
        // Components in the order given, with their names as written.
        XCTAssertTrue(notice.text.contains("tạm dừng hoạt động Thanh toán trực tuyến, Cổng dịch vụ công tỉnh Lào Cai"))
        // The signer is the configured account's full name under KT. / title.
        XCTAssertTrue(notice.text.contains("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nNguyễn Văn An\n"))
    }

    func testADraftSaysSoOnEveryPage() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h)
        let html = try h.run("maintenance.notice", ["window": .string(ref), "format": "html"]).output ?? ""
        XCTAssertTrue(html.contains("@top-right { content: \"DỰ THẢO\";"), "a margin box repeats on every page")
        let text = try h.run("maintenance.notice", ["window": .string(ref)]).output
        XCTAssertTrue(text?.hasPrefix("[DỰ THẢO]\n") == true)
    }

    func testAContentChangeIsAReplacementNeverAnĐínhChính() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h)
        try h.run("maintenance.announce", ["window": .string(ref)])
        try h.run("maintenance.correct", ["window": .string(ref), "advice": "nộp hồ sơ trực tiếp",
                                          "reason": "bổ sung khuyến nghị"])
        let notice = try issued(h, ref)
        XCTAssertEqual(notice.purpose, .replacement)
        XCTAssertEqual(notice.number, "02/TB-STTTT")
        XCTAssertTrue(notice.subject.hasSuffix("(thay thế Thông báo số 01/TB-STTTT)"), notice.subject)
        XCTAssertTrue(notice.text.contains("Thông báo này thay thế Thông báo số 01/TB-STTTT ngày 01/12/2026"))
        XCTAssertTrue(notice.text.contains("Lý do thay thế: bổ sung khuyến nghị."))
        XCTAssertTrue(notice.text.contains("nộp hồ sơ trực tiếp"), "a replacement repeats the whole content")
        XCTAssertFalse(notice.text.lowercased().contains("đính chính"), notice.text)
    }

    func testAnEmergencyPrintsItsPublicReasonOnlyAndIsKhẩnUnlessTold() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h, extra: ["start": "2026-12-01 22:00", "end": "2026-12-01 23:00", "emergency": true,
                                         "reason": "khắc phục lỗi đăng nhập",
                                         "internal-reason": "CVE-2026-1234 đang bị khai thác"])
        try h.become("truongca", role: .supervisor)
        try h.run("maintenance.approve", ["window": .string(ref)])
        try h.run("maintenance.announce", ["window": .string(ref)])
        let notice = try issued(h, ref)
        XCTAssertTrue(notice.text.contains("khắc phục lỗi đăng nhập"))
        XCTAssertTrue(notice.html.contains("<span>KHẨN</span>"))
        for document in [notice.text, notice.html, String(decoding: try NoticeStore(h.db).pdf(of: notice.id) ?? [],
                                                          as: UTF8.self)] {
            XCTAssertFalse(document.contains("CVE-2026-1234"), "the internal reason stays in the record")
        }
        XCTAssertEqual(try MaintenanceStore(h.db).byRef(ref)?.internalReason, "CVE-2026-1234 đang bị khai thác",
                       "the record keeps the internal reason")
    }

    // MARK: 2. PDF

    func testThePrintedPDFIsFrozenWithItsHashAndMailed() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h)
        try h.run("maintenance.announce", ["window": .string(ref)])
        let notice = try issued(h, ref)
        let pdf = try XCTUnwrap(try NoticeStore(h.db).pdf(of: notice.id))
        XCTAssertTrue(pdf.starts(with: Array("%PDF-1.4\n% stub\n".utf8)) && pdf.count > 1000, "the printer's output")
        XCTAssertEqual(Array(pdf.dropFirst(16)), Array(notice.html.utf8), "printed from the HTML frozen with it")
        XCTAssertEqual(notice.pdfSHA256, SHA256.hex(pdf))
        XCTAssertThrowsError(try h.db.execute("UPDATE notice_pdfs SET sha256 = 'x'"))
        XCTAssertThrowsError(try h.db.execute("DELETE FROM notice_pdfs"))
        let attachment = try XCTUnwrap(try h.db.queryRow(
            "SELECT filename, content_type, content FROM outbox_attachments WHERE message = ?", notice.messageID))
        XCTAssertEqual(attachment.string("filename"), "thong-bao-01-TB-STTTT.pdf")
        XCTAssertEqual(attachment.string("content_type"), "application/pdf")
        XCTAssertEqual(attachment.blob("content"), pdf)
        let out = try h.run("maintenance.notice", ["window": .string(ref), "format": "pdf", "output": "x.pdf"])
        XCTAssertEqual(out.binaryOutput, pdf)
    }

    func testAPrinterThatFailsIssuesNothing() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h)
        try PolicyStore(h.db).set("notice.pdf_command", "echo no > {pdf}", by: "t", now: h.clock.now())
        h.assertRefused("maintenance.announce", ["window": .string(ref)], saying: "wrote no PDF")
        XCTAssertTrue(try NoticeStore(h.db).notices(reference: ref).isEmpty)
        XCTAssertEqual(try MaintenanceStore(h.db).byRef(ref)?.state, .planned)
        XCTAssertNil(try h.db.queryRow("SELECT last FROM sequences WHERE name = 'TB-STTTT'"), "no number used up")
    }

    func testPrintsCutShortByAStopAreRemovedAtStart() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let left = h.directory + "/printing/" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: left, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: left + "/thong-bao.html", contents: Data("<p>x</p>".utf8))
        let recover = try XCTUnwrap(Capability.notices.recover)
        let lines = try recover(RecoveryContext(db: h.db, now: h.clock.now(), time: h.time,
                                                environment: HarnessEnvironment(dataDirectory: h.directory)))
        XCTAssertEqual(lines, ["removed 1 notice print(s) cut short by the last stop"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: left))
    }

    // MARK: 3. Issuer, signer, register

    func testAnnounceRefusesWhileTheIssuerOrSignerIsUnsetOrAPlaceholder() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try planned(h)
        try h.db.execute("DELETE FROM policies WHERE key = 'notice.signer'")
        h.assertRefused("maintenance.announce", ["window": .string(ref)], saying: "'opsctl notice signer")
        try h.db.execute("DELETE FROM policies WHERE key = 'notice.issuer_code'")
        h.assertRefused("maintenance.announce", ["window": .string(ref)], saying: "'opsctl notice issuer")
        try h.run("notice.issuer", ["name": "Sở Thông tin và Truyền thông", "parent": "UBND tỉnh Lào Cai",
                                    "code": "STTTT", "place": "Lào Cai"])
        try UserStore(h.db).insert(name: "noname", uid: 3001, role: .supervisor, fullName: "Người ký", email: nil,
                                   now: h.clock.now())
        h.assertRefused("notice.signer", ["user": "noname", "title": "Giám đốc"], saying: "no full name")
        try PolicyStore(h.db).set("notice.signer", "noname", by: "t", now: h.clock.now())
        h.assertRefused("maintenance.announce", ["window": .string(ref)], saying: "'opsctl notice signer")
        h.assertRefused("notice.signer", ["user": "giamdoc", "title": "Phó Giám đốc", "authority": "kt"],
                        code: 2, saying: "needs --for")
        try h.run("user.add", ["name": "lan", "uid": "3002", "role": "operator", "full-name": "Lê Thị Lan"])
        h.assertRefused("notice.signer", ["user": "lan", "title": "Giám đốc"], saying: "a signer is a supervisor")
        try h.run("notice.signer", ["user": "giamdoc", "title": "Phó Giám đốc", "authority": "tuq", "for": "Giám đốc"])
        try h.run("maintenance.announce", ["window": .string(ref)])
        XCTAssertTrue(try issued(h, ref).text.contains("TUQ. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nNguyễn Văn An\n"))
        XCTAssertEqual(try h.run("notice.settings").data["ready"], .bool(true))
    }

    func testTheNumberFromTheBodysRegisterIsCheckedAndUniquePerIssuerAndYear() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("notice.issuer", ["name": "Viễn thông Lào Cai", "parent": "Tập đoàn VNPT", "code": "VNPT",
                                    "place": "Lào Cai"])
        let ref = try planned(h)
        h.assertRefused("maintenance.announce", ["window": .string(ref), "number": "15/TB-VNPT"], code: 2,
                        saying: "the console keeps the register")
        try PolicyStore(h.db).set("notice.register", "body", by: "t", now: h.clock.now())
        h.assertRefused("maintenance.announce", ["window": .string(ref)], code: 2, saying: "give --number NN/TB-VNPT")
        for bad in ["15/TB-STTTT", "15-TB-VNPT", "5/TB-VNPT", "015/TB-VNPT", "0/TB-VNPT", "x5/TB-VNPT"] {
            h.assertRefused("maintenance.announce", ["window": .string(ref), "number": .string(bad)], code: 2,
                            saying: "--number")
        }
        try h.run("maintenance.announce", ["window": .string(ref), "number": "15/TB-VNPT"])
        XCTAssertEqual(try issued(h, ref).number, "15/TB-VNPT")
        XCTAssertTrue(try issued(h, ref).text.contains("Số: 15/TB-VNPT    Lào Cai, ngày 01 tháng 12 năm 2026"))
        h.assertRefused("maintenance.correct", ["window": .string(ref), "advice": "x", "reason": "y",
                                                "number": "15/TB-VNPT"], saying: "already taken in 2026")
        try h.run("maintenance.correct", ["window": .string(ref), "advice": "x", "reason": "y", "number": "16/TB-VNPT"])
        XCTAssertEqual(try issued(h, ref).number, "16/TB-VNPT")
    }

    // MARK: 4. Signature required

    func testASignatureRequiredHoldsTheDeliveryAndRefusesAnUnsignedFile() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try PolicyStore(h.db).set("notice.signature_required", "true", by: "t", now: h.clock.now())
        let ref = try planned(h)
        let announced = try h.run("maintenance.announce", ["window": .string(ref)])
        XCTAssertTrue(announced.message?.contains("held for the signature") == true, announced.message ?? "")
        let notice = try issued(h, ref)
        XCTAssertNil(notice.messageID)
        XCTAssertEqual(try h.db.queryRow("SELECT count(*) FROM deliveries")?.int(0), 0, "nothing sent unsigned")
        let shown = try h.run("maintenance.show", ["window": .string(ref)])
        XCTAssertTrue(shown.fields.contains { $0.first == "pdf 01/TB-STTTT" && $0.last?.contains("held until") == true },
                      "\(shown.fields)")
        let frozen = try XCTUnwrap(try NoticeStore(h.db).pdf(of: notice.id))
        h.assertRefused("maintenance.sign", ["window": .string(ref),
                                             "signed": .string(Data(frozen).base64EncodedString())],
                        saying: "is not notice 01/TB-STTTT signed")
        let other = Array("%PDF-1.4\nanother document".utf8) + Array(repeating: 0x20, count: frozen.count)
        h.assertRefused("maintenance.sign", ["window": .string(ref),
                                             "signed": .string(Data(other).base64EncodedString())],
                        saying: "first revision is not the PDF frozen at issue")
    }

    func testPdfsigReportsAreReadStrictly() throws {
        let valid = """
            Digital Signature Info of: s.pdf
            Signature #1:
              - Signer Certificate Common Name: Nguyễn Văn An
              - Signing Time: Nov 29 2026 21:04:39
              - Signed Ranges: [0 - 67006], [71676 - 72176]
              - Total document signed
              - Signature Validation: Signature is Valid.
              - Certificate Validation: Certificate issuer isn't Trusted.
            """
        let signature = try NoticeSignature.parse(valid, number: "01/TB-STTTT")
        XCTAssertEqual(signature, NoticeSignature(signer: "Nguyễn Văn An", signedAt: "Nov 29 2026 21:04:39",
                                                  certificate: "Certificate issuer isn't Trusted."))
        XCTAssertThrowsError(try NoticeSignature.parse(valid.replacingOccurrences(
            of: "Signature is Valid.", with: "Digest Mismatch."), number: "01")) {
            XCTAssertTrue("\($0)".contains("changed after it was signed"), "\($0)")
        }
        XCTAssertThrowsError(try NoticeSignature.parse(valid.replacingOccurrences(
            of: "Total document signed", with: "Not total document signed"), number: "01")) {
            XCTAssertTrue("\($0)".contains("does not cover the whole file"), "\($0)")
        }
        XCTAssertThrowsError(try NoticeSignature.parse("File 'x' does not contain any signatures", number: "01"))
    }
}

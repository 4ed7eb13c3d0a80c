import Foundation
import XCTest

/// Issue 15 items 2 and 6 through the real programs: the HTML report renders in headless Chromium with no
/// console error (a screenshot kept), and `--format pdf` prints an A4 PDF that pdftotext reads back.
final class ReportEndToEndTests: XCTestCase {
    func testTheReportRendersInChromiumAndPrintsToPDF() throws {
        try NoticeTools.require(["/usr/bin/chromium", "/usr/bin/pdftotext", "/usr/bin/pdfinfo"])
        let daemon = try Daemon().start()
        daemon.opsctl("clock", "set", "2026-12-07 09:00").ok()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        let opened = daemon.opsctl("incident", "open", "--title", "Cổng không truy cập được",
                                   "--severity", "sev1", "--component", "portal", "--json").ok()
        let ref = opened.object["ref"] as? String ?? ""
        daemon.opsctl("incident", "resolve", ref, "--cause", "Hết dung lượng đĩa",
                      "--resolution", "Dọn nhật ký").ok()
        let html = daemon.scratch.file("bao-cao.html"), pdf = daemon.scratch.file("bao-cao.pdf")
        daemon.opsctl("report", "periodic", "--period", "month", "--of", "2026-12", "--format", "html",
                      "--output", html).ok()
        let shot = daemon.scratch.file("bao-cao.png")
        let rendered = Run.process("/usr/bin/chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            "--user-data-dir=\(daemon.scratch.file("chromium"))", "--window-size=900,1300", "--screenshot=\(shot)",
            "file://\(html)",
        ])
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot), rendered.stderr)
        let errors = rendered.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("ERROR") }
        XCTAssertTrue(errors.isEmpty, errors.joined(separator: "\n"))
        print("report screenshot: \(shot)")

        daemon.opsctl("report", "periodic", "--period", "month", "--of", "2026-12", "--format", "pdf",
                      "--output", pdf).ok()
        let text = Run.process("/usr/bin/pdftotext", ["-layout", pdf, "-"]).ok().stdout
        XCTAssertTrue(text.contains("BÁO CÁO TÌNH HÌNH VẬN HÀNH"), text)
        XCTAssertTrue(text.contains("15/11/2026") && text.contains("14/12/2026"), text)
        XCTAssertTrue(text.contains("INC-2026-") && text.contains("Hết dung"), "the sev1 is listed: \(text)")
        let info = Run.process("/usr/bin/pdfinfo", [pdf]).ok().stdout
        XCTAssertTrue(info.contains("(A4)"), info)
        let refused = daemon.opsctl("report", "periodic", "--period", "month", "--format", "pdf")
        XCTAssertEqual(refused.status, 2, "a PDF needs --output: \(refused.stderr)")
    }
}

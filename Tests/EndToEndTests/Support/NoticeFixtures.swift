import Foundation
import XCTest

extension Daemon {
    /// A quick stand-in for Chromium where a test is not about the PDF: a
    /// PDF header, then the HTML. NoticeDocumentTests prints for real.
    static let stubPrinter = "{ printf '%%PDF-1.4\\n%% stub\\n'; cat {html}; } > {pdf}"

    /// The issuer, a signer with an account and a full name, and (unless
    /// `realPrinter`) the quick printer: what `maintenance announce` needs.
    func configureNotices(code: String = "STTTT", realPrinter: Bool = false) {
        opsctl("user", "add", "giamdoc", "--uid", "4242", "--role", "supervisor", "--full-name", "Nguyễn Văn An").ok()
        opsctl("notice", "issuer", "--name", "Sở Thông tin và Truyền thông", "--parent", "UBND tỉnh Lào Cai",
               "--code", code, "--place", "Lào Cai").ok()
        opsctl("notice", "signer", "--user", "giamdoc", "--title", "Phó Giám đốc", "--authority", "kt",
               "--for", "Giám đốc").ok()
        if !realPrinter { opsctl("policy", "set", "notice.pdf_command", Self.stubPrinter).ok() }
    }
}

/// The tools the notice tests read PDFs with; missing ones fail on CI, skip elsewhere.
enum NoticeTools {
    static func require(_ paths: [String]) throws {
        for path in paths where !FileManager.default.isExecutableFile(atPath: path) {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("\(path) is missing; scripts/setup.sh installs it")
            }
            throw XCTSkip("\(path) is missing; run scripts/setup.sh")
        }
    }
}

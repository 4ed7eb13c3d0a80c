import Foundation
import OpsProtocol
@testable import PortalOps

extension CommandHarness {
    /// Prints a notice in milliseconds: a PDF header, then the HTML, so the
    /// frozen file identifies what was printed. Real printing with Chromium
    /// is proven end to end (NoticeDocumentTests).
    static let stubPrinter = "{ printf '%%PDF-1.4\\n%% stub\\n'; cat {html}; } > {pdf}"

    /// The issuer, the signer (an account with a full name) and the quick
    /// printer every harness starts with, so that notices can be issued.
    func configureNotices() throws {
        let store = PolicyStore(db)
        try UserStore(db).insert(name: "giamdoc", uid: 1999, role: .supervisor, fullName: "Nguyễn Văn An",
                                 email: "giamdoc@example.vn", now: clock.now())
        for (key, value) in [("notice.issuer_name", "Sở Thông tin và Truyền thông"),
                             ("notice.issuer", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
                             ("notice.parent_body", "UBND TỈNH LÀO CAI"),
                             ("notice.issuer_code", "STTTT"), ("notice.place", "Lào Cai"), ("notice.signer", "giamdoc"),
                             ("notice.signer_title", "PHÓ GIÁM ĐỐC"), ("notice.signer_authority", "KT. GIÁM ĐỐC"),
                             ("notice.pdf_command", Self.stubPrinter)] {
            try store.set(key, value, by: "harness", now: clock.now())
        }
    }
}

import XCTest
@testable import OpsClient
import OpsProtocol

/// Issue 16 item 4: whatever is already stored, opsctl's human output never
/// hands a terminal a raw control or bidirectional character: they are shown
/// escaped and visible. `--json` stays JSON (its writer escapes controls).
final class TerminalOutputTests: XCTestCase {
    func testTableCellsShowControlsEscaped() {
        let text = TableRenderer.table(columns: ["KEY", "NAME"],
                                       rows: [["stp", "S\u{1B}[2JTP"], ["x", "a\u{202E}gnp.exe"]])
        XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, text.debugDescription)
        XCTAssertTrue(text.contains("S\\x1b[2JTP"), text)
        XCTAssertTrue(text.contains("a\\u202egnp.exe"), text)
    }

    func testFieldValuesShowControlsEscaped() {
        let text = TableRenderer.fields([["title", "a\u{7}b\rc\u{0}d\u{2066}e\u{9B}f"]])
        XCTAssertEqual(text, "title: a\\x07b\\x0dc\\x00d\\u2066e\\u009bf\n")
    }

    func testMessagesKeepTheirLineBreaksButNotOtherControls() {
        XCTAssertEqual(Terminal.visible("one\ntwo\u{1B}]0;pwned\u{7}"), "one\ntwo\\x1b]0;pwned\\x07")
        XCTAssertEqual(Terminal.visible("Sở Tư pháp\tok"), "Sở Tư pháp\tok")
    }
}

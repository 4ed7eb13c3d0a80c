import XCTest
@testable import OpsProtocol

final class TextTests: XCTestCase {
    func testNormalisesToNFC() {
        let decomposed = "So\u{031B}\u{0309} Tu\u{031B} pha\u{0301}p"   // "Sở Tư pháp" with combining marks
        XCTAssertNotEqual(Array(decomposed.utf8), Array("Sở Tư pháp".utf8))
        XCTAssertEqual(Array(Text.normalized(decomposed).utf8), Array("Sở Tư pháp".utf8))
    }

    func testDisplayWidthCountsGraphemes() {
        XCTAssertEqual(Text.displayWidth("Sở Tư pháp"), 10)
        XCTAssertEqual(Text.displayWidth("So\u{031B}\u{0309}"), 2)
        XCTAssertEqual(Text.displayWidth("漢字"), 4)
        XCTAssertEqual(Text.padded("Lào Cai", to: 10), "Lào Cai   ")
    }

    func testKeysAndEmails() {
        XCTAssertTrue(Text.isValidKey("lan.nguyen"))
        XCTAssertTrue(Text.isValidKey("db-1_main"))
        for bad in ["", "Lan", "-x", "a b", "ờ", String(repeating: "a", count: 65)] { XCTAssertFalse(Text.isValidKey(bad), bad) }
        XCTAssertTrue(Text.isValidEmail("vanthu@laocai.gov.vn"))
        for bad in ["a", "a@b", "a@@b.vn", "a b@c.vn", "<a@b.vn>", "a@b..vn", "a@.b.vn", "a@b.vn\r\nBcc: x@y.vn"] {
            XCTAssertFalse(Text.isValidEmail(bad), bad)
        }
    }

    func testSuggestion() {
        XCTAssertEqual(Suggestion.nearest(to: "usr", among: ["user", "audit", "status"]), "user")
        XCTAssertEqual(Suggestion.nearest(to: "stauts", among: ["user", "audit", "status"]), "status")
        XCTAssertNil(Suggestion.nearest(to: "xyzzy", among: ["user", "audit"]))
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
    }
}

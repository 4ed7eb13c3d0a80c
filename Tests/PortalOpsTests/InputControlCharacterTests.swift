import Foundation
import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 16 item 4: text that could drive a terminal or reorder what a
/// reader sees never gets in. Control characters other than tab (and newline
/// in multi-line fields), DEL and the bidirectional controls are refused with
/// exit 2, naming the argument and the character.
final class InputControlCharacterTests: XCTestCase {
    static let refused: [Unicode.Scalar] = (0x00...0x1F).filter { $0 != 0x09 && $0 != 0x0A }.map { Unicode.Scalar($0)! }
        + [0x7F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]
            .map { Unicode.Scalar($0)! }

    func testSingleLineTextRefusesControlsNewlineAndBidi() throws {
        let harness = try CommandHarness()
        for scalar in Self.refused + ["\n"] {
            let name = "Thanh to\(Character(scalar))án"
            harness.assertRefused("component.add", ["key": "payment", "name": .string(name)], code: 2,
                                  saying: "--name holds the \(scalar.value > 0x7F ? "bidirectional control" : "control character") "
                                      + String(format: "U+%04X", scalar.value))
        }
        // Tab and ordinary Vietnamese text still pass.
        try harness.run("component.add", ["key": "payment", "name": "Thanh toán\ttrực tuyến"])
    }

    func testMultiLineFieldsTakeNewlinesButNotOtherControls() throws {
        let harness = try CommandHarness()
        try harness.run("component.add", ["key": "payment", "name": "Thanh toán",
                                          "description": "Dòng một\nDòng hai\r\nDòng ba"])
        let stored = try XCTUnwrap(harness.db.queryRow("SELECT description FROM components WHERE key = 'payment'"))
        XCTAssertEqual(stored.string("description"), "Dòng một\nDòng hai\nDòng ba", "CRLF is stored as LF")
        for scalar in Self.refused where scalar != "\r" {
            harness.assertRefused("component.add", ["key": "web", "name": "Web",
                                                    "description": .string("a\(Character(scalar))b")],
                                  code: 2, saying: String(format: "U+%04X", scalar.value))
        }
        harness.assertRefused("component.add", ["key": "web", "name": "Web", "description": "a\rb"], code: 2,
                              saying: "--description holds the control character U+000D")
    }

    func testKeysAndAddressesRefuseControlsByName() throws {
        let harness = try CommandHarness()
        harness.assertRefused("component.add", ["key": "pay\u{1B}[2J", "name": "x"], code: 2, saying: "U+001B")
        harness.assertRefused("user.add", ["name": "lan", "uid": "1500", "role": "operator",
                                           "email": "lan\u{202E}@example.vn"],
                              code: 2, saying: "--email holds the bidirectional control U+202E")
    }

    func testCSVImportRefusesControlsInFields() throws {
        XCTAssertThrowsError(try CSV.namedRows("key,name\nstp,S\u{1B}[31mTP\n", columns: ["key", "name"],
                                               required: ["key"])) { error in
            XCTAssertEqual((error as? OpsError)?.exitCode, 2)
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
            XCTAssertTrue("\(error)".contains("U+001B"), "\(error)")
        }
        XCTAssertThrowsError(try CSV.namedRows("key,name\nstp,\"S\rTP\"\n", columns: ["key", "name"],
                                               required: ["key"])) { error in
            XCTAssertTrue("\(error)".contains("U+000D"), "\(error)")
        }
        XCTAssertThrowsError(try CSV.namedRows("key,name\nstp,S\u{2067}TP\n", columns: ["key", "name"],
                                               required: ["key"])) { error in
            XCTAssertTrue("\(error)".contains("U+2067"), "\(error)")
        }
        // Windows line ends and tabs are fine.
        let (rows, problems) = try CSV.namedRows("key,name\r\nstp,Sở\tTư pháp\r\n", columns: ["key", "name"],
                                                 required: ["key"])
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(problems.isEmpty)
    }
}

import XCTest
@testable import OpsProtocol

final class JSONTests: XCTestCase {
    func testCanonicalFormSortsKeysAndEscapes() {
        let value: JSON = ["b": 1, "a": ["x", true, nil], "c": "dòng 1\nline \"2\"\u{1}/"]
        XCTAssertEqual(value.serialized(), #"{"a":["x",true,null],"b":1,"c":"dòng 1\nline \"2\"\u0001/"}"#)
    }

    func testParseKeepsBooleansIntegersAndDoublesApart() throws {
        let parsed = try JSON.parse(#"{"t":true,"one":1,"big":9007199254740993,"half":0.5,"neg":-2,"e":1e3,"s":"\u00e0\ud83d\ude00"}"#)
        XCTAssertEqual(parsed["t"], .bool(true))
        XCTAssertEqual(parsed["one"], .int(1))
        XCTAssertEqual(parsed["big"], .int(9_007_199_254_740_993))
        XCTAssertEqual(parsed["half"], .double(0.5))
        XCTAssertEqual(parsed["neg"], .int(-2))
        XCTAssertEqual(parsed["e"], .double(1000))
        XCTAssertEqual(parsed["s"], .string("à😀"))
    }

    func testRoundTrip() throws {
        let value: JSON = ["name": "Sở Tư pháp tỉnh Lào Cai", "n": 42, "list": [1, .double(2.5), ["k": nil]], "ok": false]
        XCTAssertEqual(try JSON.parse(value.serialized()), value)
        XCTAssertEqual(try JSON.parse(value.pretty()), value)
    }

    func testMalformedInputIsRefusedWithAPosition() {
        for text in ["", "{", #"{"a":}"#, "[1,]", #""unterminated"#, "tru", "{} x", "\"\u{1}\"", "01a", "[" + String(repeating: "[", count: 100)] {
            XCTAssertThrowsError(try JSON.parse(text), text) { error in
                XCTAssertTrue("\(error)".hasPrefix("malformed JSON"), "\(error)")
            }
        }
    }
}

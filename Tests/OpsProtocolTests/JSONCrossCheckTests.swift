import Foundation
import XCTest
@testable import OpsProtocol

/// Our JSON parser and writer against Foundation's JSONSerialization, an
/// independent implementation, on generated documents: Foundation must read
/// what we write, and we must read what Foundation writes, to the same value.
final class JSONCrossCheckTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// No U+FEFF: Foundation on Linux drops it from inside strings when it
    /// reads them (found by this test; our parser keeps it, as RFC 8259 asks).
    static let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{1}", "\u{1F}",
                                     "\u{7F}", "é", "ễ", "Sở", "中", "😀", "\u{2028}", "{", "]", ","]

    func value(_ g: inout Generator, depth: Int) -> JSON {
        switch g.below(depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(g.below(2) == 0)
        case 2: return .int(Int64(g.below(1 << 30)) * (g.below(2) == 0 ? 1 : -1) * Int64(1 + g.below(1 << 20)))
        // Never a whole number: Foundation may write 2.0 as 2, which is a different JSON value to us.
        case 3: return .double(Double(g.below(1_000_000)) / 8 + 0.0625)
        case 4: return .string((0..<g.below(12)).map { _ in Self.alphabet[g.below(Self.alphabet.count)] }.joined())
        case 5: return .array((0..<g.below(5)).map { _ in value(&g, depth: depth + 1) })
        default:
            var object: [String: JSON] = [:]
            for _ in 0..<g.below(5) {
                let key = (0..<1 + g.below(6)).map { _ in Self.alphabet[g.below(Self.alphabet.count)] }.joined()
                object[key] = value(&g, depth: depth + 1)
            }
            return .object(object)
        }
    }

    func testFoundationReadsWhatWeWriteAndWeReadWhatFoundationWrites() throws {
        var g = Generator(state: 20261129)
        for round in 0..<500 {
            let document = value(&g, depth: 0)
            let ours = document.serialized()
            let object = try JSONSerialization.jsonObject(with: Data(ours.utf8), options: [.fragmentsAllowed])
            let theirs = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
            XCTAssertEqual(try JSON.parse(theirs), document, "round \(round): \(ours)")
            XCTAssertEqual(try JSON.parse(ours), document, "round \(round): our own round trip")
        }
    }

    func testWeRefuseWhatFoundationRefuses() {
        let malformed = ["", "{", "{\"a\":}", "{\"a\" 1}", "[01]", "[-01]", "[1.]", "[1.e5]", "\"\u{1}\"", "tru",
                         "[1 2]", "{1:2}", "\"\\x\"", "[\"\\ud800\"]", "1e", "-", "[", "nul", "[.5]", "[1e+]"]
        for text in malformed {
            XCTAssertThrowsError(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
                                 "Foundation accepts \(text.debugDescription)")
            XCTAssertThrowsError(try JSON.parse(text), "we accept \(text.debugDescription)")
        }
        // Foundation on Linux accepts trailing commas; RFC 8259 does not, and neither do we.
        for text in ["[1,]", "{\"a\":1,}"] {
            XCTAssertThrowsError(try JSON.parse(text), "we accept \(text.debugDescription)")
        }
    }
}

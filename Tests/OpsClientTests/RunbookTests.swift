import Foundation
import XCTest
@testable import OpsClient
import OpsProtocol

/// Every `opsctl …` a runbook or the README names must be a command the
/// catalog has, with options it accepts: an operator following a runbook at
/// 3 a.m. must not meet "unknown command".
final class RunbookTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryCommandInTheRunbooksAndREADMEExists() throws {
        let runbooks = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("runbooks").path)
            .filter { $0.hasSuffix(".md") }.map { "runbooks/" + $0 }
        XCTAssertFalse(runbooks.isEmpty)
        var checked = 0
        for file in runbooks + ["README.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for (line, invocation) in Self.invocations(in: text) {
                checked += 1
                XCTAssertNoThrow(try CommandLineParser().parse(invocation), "\(file):\(line): opsctl \(invocation.joined(separator: " "))")
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// Runbook examples name the accounts README creates (`user add NAME`), so a
    /// new operator who followed README can paste them: `incident assign REF NAME`,
    /// `--owner NAME`, `--actor NAME` and the `user` commands.
    func testTheRunbooksNameTheAccountsREADMECreates() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let created = Set(Self.invocations(in: readme).compactMap { _, words in
            words.count > 2 && words[0] == "user" && words[1] == "add" && !words[2].hasPrefix("-") ? words[2] : nil
        })
        XCTAssertFalse(created.isEmpty)
        let folder = Self.root.appendingPathComponent("runbooks").path
        let runbooks = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".md") }.map { "runbooks/" + $0 }
        for file in runbooks + ["README.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for (line, words) in Self.invocations(in: text) {
                var names: [String] = []
                if words.starts(with: ["incident", "assign"]), words.count > 3 { names.append(words[3]) }
                let userCommands = ["set-role", "disable", "enable", "show"]
                if words.first == "user", words.count > 2, userCommands.contains(words[1]) {
                    names.append(words[2])
                }
                for (i, word) in words.enumerated() where ["--owner", "--actor"].contains(word) && i + 1 < words.count {
                    names.append(words[i + 1])
                }
                for name in names where !name.hasPrefix("uid:") && !name.hasPrefix("NAME") && !created.contains(name) {
                    XCTFail("\(file):\(line): '\(name)' is not an account README creates (\(created.sorted()))")
                }
            }
        }
    }

    /// `opsctl` invocations in code spans and code blocks, split into words
    /// as a shell would (quotes, `$(…)` kept as one word, `\` continuations).
    static func invocations(in markdown: String) -> [(Int, [String])] {
        var results: [(Int, [String])] = []
        var inFence = false
        let lines = markdown.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle(); continue }
            // Code only: the whole line inside a fence, else the `spans`.
            let segments = inFence ? [Substring(line)]
                : line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            for segment in segments {
                var rest = segment
                while let range = rest.range(of: "opsctl ") {
                    let before = rest[..<range.lowerBound].last
                    rest = rest[range.upperBound...]
                    guard before == nil || before == " " || before == "(" else { continue }
                    let words = shellWords(String(rest))
                    if let first = words.first, first.first?.isLetter == true || first.hasPrefix("--") {
                        results.append((number + 1, words))
                    }
                }
            }
        }
        return results
    }

    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var depth = 0
        var started = false
        for character in text {
            if let q = quote {
                if character == q { quote = nil } else { current.append(character) }
                continue
            }
            if depth > 0 {
                current.append(character)
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                continue
            }
            switch character {
            case "\"", "'": quote = character; started = true
            case "`", "|", ">", "#", ";", "&":
                if started { words.append(current) }
                return words
            case " ", "\t":
                if started { words.append(current); current = ""; started = false }
            case "(" where current.hasSuffix("$"):
                current.append(character); depth = 1
            default:
                current.append(character); started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    func testTheWordSplitterItself() {
        XCTAssertEqual(Self.shellWords(#"user add lan --uid "$(id -u lan)" --full-name "Nguyễn Thị Lan"` rest"#),
                       ["user", "add", "lan", "--uid", "$(id -u lan)", "--full-name", "Nguyễn Thị Lan"])
        XCTAssertEqual(Self.invocations(in: "run `opsctl audit verify` now, opsctl finds it\n```\nsudo -E opsctl status # comment\n```").map(\.1),
                       [["audit", "verify"], ["status"]])
    }
}

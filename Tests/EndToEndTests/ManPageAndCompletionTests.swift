import Foundation
import XCTest

/// opsctl(1), opsd(8) and the bash completion that scripts/package.sh
/// generates with `opsctl-catalog` (built beside opsd): complete, rendered
/// by man without warnings, and completing as a person types.
final class ManPageAndCompletionTests: XCTestCase {
    private var catalogTool: String { Binaries.directory + "/opsctl-catalog" }
    private let scratch = Scratch()

    private func generate(_ arguments: String...) -> String {
        Run.process(catalogTool, arguments, environment: ["SOURCE_DATE_EPOCH": "1796083200"]).ok().stdout
    }

    private func catalog() throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(generate("json").utf8)) as? [String: Any]
        return try XCTUnwrap(json?["commands"] as? [[String: Any]])
    }

    /// The page's source, written out, and what `man --warnings -l` prints on stderr.
    private func render(_ page: String, name: String) throws -> (source: String, text: String) {
        let man = try Tool.require("/usr/bin/man", package: "man-db")
        let file = scratch.file(name)
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        let rendered = Run.process(man, ["--warnings", "-l", file], environment: ["MANWIDTH": "80", "MANPAGER": "cat",
                                                                                 "PAGER": "cat"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertEqual(rendered.stderr, "", "man warns about \(name)")
        return (page, rendered.stdout)
    }

    func testOpsctlPageNamesEveryCommandItsOptionsAndRoles() throws {
        let (source, text) = try render(generate("man", "opsctl"), name: "opsctl.1")
        XCTAssertTrue(source.contains(".TH OPSCTL 1 \"2026-12-01\""), "the date comes from SOURCE_DATE_EPOCH")
        let commands = try catalog()
        XCTAssertGreaterThan(commands.count, 50)
        for command in commands {
            let name = try XCTUnwrap(command["name"] as? String)
            let words = name.replacingOccurrences(of: ".", with: " ").replacingOccurrences(of: "-", with: "\\-")
            XCTAssertTrue(source.contains("\\fBopsctl \(words)\\fR"), "\(name) is missing from opsctl(1)")
            let roles = (command["roles"] as? [String] ?? []).joined(separator: ", ")
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            for argument in arguments where argument["positional"] as? Bool != true {
                let option = "\\-\\-" + (argument["name"] as? String ?? "").replacingOccurrences(of: "-", with: "\\-")
                XCTAssertTrue(source.contains(option), "\(name): \(option) is missing")
            }
            XCTAssertFalse(roles.isEmpty, name)
        }
        XCTAssertTrue(text.contains("opsctl incident ack ID"), text)
        XCTAssertTrue(text.contains("Roles: operator, security, supervisor, admin."), text)
        XCTAssertTrue(text.contains("/run/portalops/opsd.sock"), text)
    }

    func testOpsdPageNamesEveryFlagOfItsHelp() throws {
        let (_, text) = try render(generate("man", "opsd"), name: "opsd.8")
        let help = Run.process(Binaries.opsd, ["--help"]).ok().stdout
        let flags = help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "[" || $0 == "]" })
            .filter { $0.hasPrefix("--") && !$0.contains(".") }.map(String.init)
        XCTAssertTrue(flags.contains("--metrics-file"), help)
        for flag in Set(flags) { XCTAssertTrue(text.contains(flag), "\(flag) is missing from opsd(8)") }
    }

    func testBashCompletesNounsVerbsOptionsAndChoices() throws {
        let bash = try Tool.require("/bin/bash", package: "bash")
        let script = scratch.file("opsctl.bash")
        try generate("bash-completion").write(toFile: script, atomically: true, encoding: .utf8)
        /// What bash offers for the words typed so far, the last one being completed.
        func complete(_ line: String) -> [String] {
            let driver = """
                source "$1"; shift
                COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _opsctl
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let result = Run.process(bash, ["-c", driver, "bash", script] + words).ok()
            return result.stdout.split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(complete("opsctl inc"), ["incident"])
        let verbs = complete("opsctl incident a")
        XCTAssertTrue(verbs.contains("ack") && verbs.contains("assign"), "\(verbs)")
        XCTAssertTrue(verbs.allSatisfy { $0.hasPrefix("a") }, "\(verbs)")
        XCTAssertEqual(complete("opsctl incident open --sev"), ["--severity"])
        XCTAssertEqual(complete("opsctl incident open --severity sev"), ["sev1", "sev2", "sev3", "sev4"])
        XCTAssertEqual(complete("opsctl stat"), ["status"])
        XCTAssertEqual(complete("opsctl status --j"), ["--json"])
        let nouns = Set(complete("opsctl "))
        for command in try catalog() {
            let noun = String((command["name"] as? String ?? "").split(separator: ".")[0])
            XCTAssertTrue(nouns.contains(noun), "\(noun) does not complete")
        }
    }
}

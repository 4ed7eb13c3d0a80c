import Foundation
import XCTest
@testable import OpsClient
import OpsProtocol

/// Issue 13 item 6: every command a runbook tells its reader to run is one their role may run, or
/// the runbook says who must. A runbook names whom it addresses with `<!-- role: operator -->` (at
/// the top, and again where a section addresses someone else); a line that names a role the command
/// allows ("a supervisor runs …", `# supervisor` in a code block) hands that command to that role.
final class RunbookRoleTests: XCTestCase {
    /// The role each line of `markdown` addresses, from the `<!-- role: … -->` markers.
    static func roles(in markdown: String) -> [Int: Role] {
        var current: Role?
        var result: [Int: Role] = [:]
        let lines = markdown.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n",
                                                                             omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if let range = line.range(of: "<!-- role: "), let end = line.range(of: " -->") {
                current = Role(rawValue: String(line[range.upperBound..<end.lowerBound]))
            }
            result[number + 1] = current
        }
        return result
    }

    func testEachCommandARunbookGivesIsAllowedToTheRoleItAddresses() throws {
        let folder = RunbookTests.root.appendingPathComponent("runbooks")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
        XCTAssertFalse(files.isEmpty)
        var checked = 0
        for file in files.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let roles = Self.roles(in: text)
            let lines = text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n",
                                                                              omittingEmptySubsequences: false)
            for (line, words) in RunbookTests.invocations(in: text) {
                guard let role = roles[line] else {
                    XCTFail("runbooks/\(file):\(line): no '<!-- role: … -->' above this command says whom it addresses")
                    continue
                }
                guard case .run(let name, _)? = try? CommandLineParser().parse(words).invocation,
                      let spec = ClientCatalog.shared.command(name) else { continue }
                checked += 1
                if spec.roles.contains(role) { continue }
                let said = String(lines[line - 1]).lowercased()
                let named = spec.roles.filter { said.contains($0.rawValue) }
                XCTAssertFalse(named.isEmpty, "runbooks/\(file):\(line): '\(name)' is not allowed to \(role.rawValue) "
                               + "(only \(spec.roles.map(\.rawValue).sorted().joined(separator: ", "))) and the "
                               + "line does not say who must run it")
            }
        }
        XCTAssertGreaterThan(checked, 50)
    }

    func testTheMarkersAreRead() {
        let roles = Self.roles(in: "<!-- role: operator -->\na\n<!-- role: supervisor -->\nb")
        XCTAssertEqual(roles[2], .operator)
        XCTAssertEqual(roles[4], .supervisor)
    }
}

import Foundation
@testable import OpsDaemon
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 18 item 5: every command of the catalog, sent through admission as every role, as a
/// disabled account and as a uid with no account: refused with exit 3 exactly when the catalog does
/// not allow the role. And the runbook's printed matrix is the catalog's, so it cannot drift.
final class RoleMatrixTests: XCTestCase {
    func testAdmissionEnforcesTheCatalogsRolesForEveryCommand() throws {
        let engine = try EngineFixture()
        let db = try Connection(path: engine.directory + "/ops.db")
        func become(role: Role?, enabled: Bool = true) throws {
            if let role {
                try db.run("UPDATE users SET role = ?, uid = ?, disabled = ? WHERE name = 'tester'", role.rawValue,
                           Int64(getuid()), enabled ? Int64(0) : Int64(1))
            } else {
                try db.run("UPDATE users SET uid = ? WHERE name = 'tester'", Int64(getuid()) + 100_000)
            }
        }
        var wrong: [String] = []
        let commands = engine.registry.catalog.commands
        for role in Role.allCases {
            try become(role: role)
            for command in commands {
                let response = engine.send(command.name)
                let refused = response.error?.exitCode == 3
                if refused == command.roles.contains(role) {
                    wrong.append("\(role.rawValue) \(command.name): \(response.error?.message ?? "ran")")
                }
            }
        }
        for (label, setup) in [("disabled", { try become(role: .admin, enabled: false) }),
                               ("no account", { try become(role: nil) })] as [(String, () throws -> Void)] {
            try setup()
            for command in commands where engine.send(command.name).error?.exitCode != 3 {
                wrong.append("\(label) \(command.name) was not refused")
            }
        }
        XCTAssertGreaterThan(commands.count, 100)
        XCTAssertTrue(wrong.isEmpty,
                      "\(wrong.count) outcomes differ from the catalog:\n" + wrong.joined(separator: "\n"))
    }

    func testTheRunbookPrintsTheCatalogsMatrix() throws {
        let runbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("runbooks/access-and-audit.md")
        let text = try String(contentsOf: runbook, encoding: .utf8)
        let matrix = RoleMatrix.markdown(try CatalogExport.catalog())
        XCTAssertTrue(text.contains(matrix.trimmingCharacters(in: .newlines)),
                      "runbooks/access-and-audit.md differs from the catalog: run scripts/role-matrix.sh")
    }
}

import Foundation
import OpsProtocol
@testable import OpsDaemon
@testable import PortalOps
import XCTest

/// The group-commit writer: many callers at once, each answered after its
/// batch commits, each change with its own audit entry, refusals recorded
/// without the refused change.
final class WriterTests: XCTestCase {
    func testConcurrentCallersAreEachAnsweredAndAudited() throws {
        let engine = try EngineFixture()
        let callers = 16, each = 10
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for index in 0..<each {
                let response = engine.send("component.add", ["key": .string("c\(caller)-\(index)"),
                                                             "name": .string("Thành phần \(caller)/\(index)")])
                XCTAssertNil(response.error, "\(response)")
            }
        }
        let list = engine.send("component.list")
        XCTAssertEqual(list.data["components"]?.arrayValue?.count, callers * each)
        let audit = engine.send("audit.verify")
        XCTAssertNil(audit.error, "\(audit)")
        let entries = try engine.writer.read { db, _ in
            try db.queryRow("SELECT count(*) AS n FROM audit_log WHERE command = 'component.add' AND outcome = 'ok'")?
                .int("n")
        }
        XCTAssertEqual(entries, Int64(callers * each))
    }

    func testAPipelinedBatchKeepsEachRequestsOwnOutcome() throws {
        let engine = try EngineFixture()
        let answers = engine.send([
            Request(command: "component.add", arguments: ["key": "web", "name": "Web"]),
            Request(command: "component.add", arguments: ["key": "web", "name": "Again"]),   // refused: exists
            Request(command: "no.such", arguments: [:]),                                        // refused: unknown
            Request(command: "component.add", arguments: ["key": "db", "name": "CSDL"]),
        ])
        XCTAssertNil(answers[0].error)
        XCTAssertEqual(answers[1].error?.exitCode, 1)
        XCTAssertEqual(answers[2].error?.exitCode, 2)
        XCTAssertNil(answers[3].error)
        let keys = engine.send("component.list").data["components"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
        XCTAssertEqual(keys?.sorted(), ["db", "web"])
        let refusals = try engine.writer.read { db, _ in
            try db.queryRow("SELECT count(*) AS n FROM audit_log WHERE outcome <> 'ok'")?.int("n")
        }
        XCTAssertEqual(refusals, 2)
    }

    func testARoleChangedAfterAdmissionIsHonouredByTheWriter() throws {
        let engine = try EngineFixture()
        let verdict = engine.admission.admit(Array(Request(command: "component.add",
                                                           arguments: ["key": "late", "name": "Late"]).json.serialized().utf8),
                                             peer: engine.me)
        // Between admission and the writer, the account is demoted.
        _ = try engine.writer.write { db, _ in
            try db.run("UPDATE users SET role = 'viewer' WHERE uid = ?", Int64(engine.me.uid))
        }
        guard case .answered(let response) = engine.writer.submit([verdict])[0] else { return XCTFail("a job?") }
        XCTAssertEqual(response.error?.exitCode, 3, "\(response)")
    }
}

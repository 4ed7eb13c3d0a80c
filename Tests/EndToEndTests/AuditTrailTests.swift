import Foundation
import XCTest

final class AuditTrailTests: XCTestCase {
    func testChangesAndRefusalsAreRecordedAndVerify() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công").ok()
        XCTAssertEqual(daemon.opsctl("component", "add", "portal", "--name", "again").status, 1)
        daemon.opsctl("component", "list").ok()   // a read: not recorded

        let list = daemon.opsctl("audit", "list", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(list.map { $0["command"] as? String }.filter { $0 != "bootstrap" }, ["component.add", "component.add"])
        let adds = list.filter { $0["command"] as? String == "component.add" }
        XCTAssertEqual(adds.map { $0["outcome"] as? String }, ["ok", "refused"])
        XCTAssertEqual((adds.first?["args"] as? [String: Any])?["name"] as? String, "Cổng dịch vụ công")
        XCTAssertFalse(list.contains { $0["command"] as? String == "component.list" })

        let verify = daemon.opsctl("audit", "verify").ok()
        XCTAssertTrue(verify.stdout.hasPrefix("intact, "), verify.stdout)
        let filtered = daemon.opsctl("audit", "list", "--command", "component.add", "--json").ok().object["entries"] as? [Any]
        XCTAssertEqual(filtered?.count, 2)
    }

    func testExportWritesJSONLines() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "payment", "--name", "Thanh toán trực tuyến").ok()
        let export = daemon.opsctl("audit", "export").ok()
        let lines = export.stdout.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["hash"] as? String)
            XCTAssertNotNil(object?["prev_hash"] as? String)
            XCTAssertNotNil(object?["seq"] as? Int)
        }
        XCTAssertTrue(export.stdout.contains("Thanh toán trực tuyến"))
        let future = daemon.opsctl("audit", "export", "--from", "2099-01-01").ok()
        XCTAssertEqual(future.stdout, "")
    }

    func testTamperingInOpsDbIsNamedByVerify() throws {
        let daemon = try Daemon().start()
        for key in ["a", "b", "c", "d"] { daemon.opsctl("component", "add", key, "--name", key.uppercased()).ok() }
        daemon.stop()
        let db = daemon.dataDirectory + "/ops.db"
        let seq = Run.process("/usr/bin/env", ["sqlite3", db, "SELECT seq FROM audit_log WHERE command = 'component.add' AND args LIKE '%\"c\"%'"]).ok()
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        Run.process("/usr/bin/env", ["sqlite3", db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'nothing' WHERE seq = \(seq);"]).ok()
        try daemon.start()
        let verify = daemon.opsctl("audit", "verify")
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("entry \(seq) does not match its hash"), verify.stderr)
        let json = daemon.opsctl("audit", "verify", "--json")
        XCTAssertEqual(json.status, 1)
        XCTAssertEqual((json.object["data"] as? [String: Any])?["failed_seq"] as? Int, Int(seq))
    }

    func testDeletionDirectlyInOpsDbIsNamedByVerify() throws {
        let daemon = try Daemon().start()
        for key in ["a", "b", "c"] { daemon.opsctl("component", "add", key, "--name", key).ok() }
        daemon.stop()
        let db = daemon.dataDirectory + "/ops.db"
        Run.process("/usr/bin/env", ["sqlite3", db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;"]).ok()
        try daemon.start()
        let verify = daemon.opsctl("audit", "verify")
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("entry 3 is missing"), verify.stderr)
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// A console from before per-kind numbers keeps the refs it already gave
/// (quoted in audit entries and gate evidence); new records continue after them.
final class IntegrityNumberingTests: XCTestCase {
    func testEarlierRefsStayValidAfterTheMigration() throws {
        let path = NSTemporaryDirectory() + "portalops-numbering-\(UUID().uuidString.prefix(8)).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try Connection(path: path)
        try db.migrate(Capabilities.schema.filter { $0.version < 28 }, now: 0)
        try db.run("""
            INSERT INTO backup_targets(key, kind, path, created_at, updated_at) VALUES ('t', 'sqlite', '/x', 0, 0)
            """)
        for kind in ["quick", "fingerprint", "integrity", "fingerprint"] {
            try db.run("""
                INSERT INTO integrity_records(target, kind, at, ok, findings, recorded_by)
                VALUES ('t', ?, 0, 1, '[]', 'x')
                """, kind)
        }
        try db.migrate(Capabilities.schema, now: 0)
        let store = IntegrityStore(db)
        XCTAssertEqual(try store.record(ref: "FP-2")?.id, 2, "FP-2 still names the record it named before")
        XCTAssertEqual(try store.record(ref: "FP-4")?.id, 4)
        XCTAssertEqual(try store.record(ref: "IC-3")?.id, 3)
        XCTAssertNil(try store.record(ref: "FP-1"), "no fingerprint was ever FP-1 here")
        let next = try store.record(target: "t", kind: "fingerprint", ok: true, findings: [], fingerprint: nil,
                                    by: "x", now: 1)
        XCTAssertEqual(next.ref, "FP-5", "new fingerprints continue after the highest")
        let check = try store.record(target: "t", kind: "quick", ok: true, findings: [], fingerprint: nil,
                                     by: "x", now: 1)
        XCTAssertEqual(check.ref, "IC-4")
    }
}

import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Fingerprints can be found (issue 19, item 8): `integrity list [TARGET]`
/// gives every check and fingerprint with its id, and fingerprints are
/// numbered FP-1, FP-2, … whatever checks were recorded between them.
final class IntegrityListTests: XCTestCase {
    private func harness() throws -> CommandHarness {
        let h = try CommandHarness()
        for name in ["portal", "forms"] {
            let path = h.directory + "/\(name).db"
            let db = try Connection(path: path)
            try db.execute("""
                CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT);
                INSERT INTO dossier(code) VALUES ('HS-1');
                """)
            try h.run("target.add", ["target": .string("\(name)-db"), "sqlite": .string(path)])
        }
        return h
    }

    func testFingerprintsAreNumberedWithoutGapsAndListed() throws {
        let h = try harness()
        try h.run("integrity.check", ["target": "portal-db", "quick": true])
        let first = try h.run("integrity.fingerprint", ["target": "portal-db"])
        XCTAssertEqual(first.data["ref"]?.stringValue, "FP-1", "the first fingerprint is FP-1")
        try h.run("integrity.check", ["target": "forms-db"])
        let second = try h.run("integrity.fingerprint", ["target": "forms-db"])
        XCTAssertEqual(second.data["ref"]?.stringValue, "FP-2")
        XCTAssertEqual(try h.run("integrity.compare", ["a": "FP-1", "b": "fp-2"]).data["identical"]?.boolValue, true)

        try h.become("viewer", role: .viewer)
        let all = try h.run("integrity.list")
        let refs = (all.data["records"]?.arrayValue ?? []).compactMap { $0["ref"]?.stringValue }
        XCTAssertEqual(Set(refs), ["IC-1", "FP-1", "IC-2", "FP-2"])
        XCTAssertTrue(all.table?.rows.contains { $0.contains("FP-1") && $0.contains("portal-db") } == true)
        let one = try h.run("integrity.list", ["target": "forms-db"])
        XCTAssertEqual(Set((one.data["records"]?.arrayValue ?? []).compactMap { $0["ref"]?.stringValue }),
                       ["IC-2", "FP-2"])
        h.assertRefused("integrity.list", ["target": "nothing"], saying: "target list")
    }
}
